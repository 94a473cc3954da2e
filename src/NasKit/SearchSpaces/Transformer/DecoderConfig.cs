namespace NasKit.SearchSpaces.Transformer;

/// <summary>Which keys a query attends to.</summary>
public enum AttentionKind
{
    /// <summary>Every earlier token and itself (GPT's causal attention).</summary>
    Full,
    /// <summary>Only the last <see cref="DecoderConfig.Window"/> tokens, itself included (sliding-window attention).</summary>
    Local,
    /// <summary>
    /// Causal attention with one key/value head shared by all query heads (Shazeer 2019, multi-query attention): the
    /// key and value projections shrink from width×width to width×head-size each and the generation cache by the
    /// number of heads; queries keep their heads.
    /// </summary>
    MultiQuery,
}

/// <summary>How the network knows where a token is.</summary>
public enum PositionKind
{
    /// <summary>A learned embedding per position, added to the token embedding (GPT-2, nanoGPT).</summary>
    Learned,
    /// <summary>Fixed sines and cosines of geometric frequencies, added to the token embedding (Vaswani et al. 2017).</summary>
    Sinusoidal,
    /// <summary>Queries and keys rotated by position-dependent angles (RoFormer, Su et al. 2021).</summary>
    Rotary,
    /// <summary>A per-head linear penalty on the query-key distance added to the attention scores (Press et al. 2022).</summary>
    Alibi,
    /// <summary>No positional signal beyond the causal mask (Haviv et al. 2022 find causal models learn position anyway).</summary>
    None,
}

/// <summary>One decoder layer: its query heads and MLP expansion ratio (heterogeneous layers, as in HAT and AutoFormer).</summary>
public sealed record DecoderLayerConfig(int Heads, int MlpRatio);

/// <summary>
/// Everything needed to build a decoder-only Transformer: vocabulary and context (from the task), width, layers,
/// attention, positions and dropout (from the architecture). Pre-norm blocks, bias-free linear and layer-norm
/// layers, GELU MLPs and an output layer tied to the token embedding, as nanoGPT with <c>bias=False</c>.
/// </summary>
public sealed record DecoderConfig(int Vocabulary, int Context, int Width, IReadOnlyList<DecoderLayerConfig> Layers,
    AttentionKind Attention = AttentionKind.Full, int Window = 0, PositionKind Position = PositionKind.Learned, double Dropout = 0)
{
    /// <summary>nanoGPT's CPU baseline for shakespeare_char (README): 4 layers, 4 heads, width 128, context 64, no dropout.</summary>
    public static DecoderConfig NanoGptCpuBaseline(int vocabulary) =>
        new(vocabulary, 64, 128, Enumerable.Repeat(new DecoderLayerConfig(4, 4), 4).ToArray());

    /// <summary>Refuses a configuration the network cannot be built from, naming the problem.</summary>
    public void Validate()
    {
        if (Vocabulary < 2) throw new ArgumentException($"A language model needs a vocabulary of at least 2 tokens, got {Vocabulary}.");
        if (Context < 1) throw new ArgumentException($"The context must be at least 1 token, got {Context}.");
        if (Width < 1) throw new ArgumentException($"The width must be at least 1, got {Width}.");
        if (Layers.Count == 0) throw new ArgumentException("A decoder needs at least one layer.");
        for (int l = 0; l < Layers.Count; l++)
        {
            var (heads, ratio) = (Layers[l].Heads, Layers[l].MlpRatio);
            if (heads < 1 || Width % heads != 0) throw new ArgumentException($"Layer {l + 1}: {heads} heads do not divide width {Width}.");
            if (Position == PositionKind.Rotary && Width / heads % 2 != 0) throw new ArgumentException($"Layer {l + 1}: rotary positions need an even head size; width {Width} / {heads} heads = {Width / heads}.");
            if (ratio < 1) throw new ArgumentException($"Layer {l + 1}: the MLP ratio must be at least 1, got {ratio}.");
        }
        if (Attention == AttentionKind.Local && Window < 1) throw new ArgumentException($"Local attention needs a window of at least 1 token, got {Window}.");
        if (Position == PositionKind.Sinusoidal && Width % 2 != 0) throw new ArgumentException($"Sinusoidal positions need an even width, got {Width}.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"Dropout must be in [0, 1), got {Dropout}.");
    }

    private long KeyValueWidth(DecoderLayerConfig layer) => Attention == AttentionKind.MultiQuery ? Width / layer.Heads : Width;

    /// <summary>Parameters of one decoder layer: two layer norms, the q/k/v and output projections, the MLP.</summary>
    public long LayerParameters(DecoderLayerConfig layer) =>
        2L * Width + (long)Width * (Width + 2 * KeyValueWidth(layer)) + (long)Width * Width + 2L * layer.MlpRatio * Width * Width;

    /// <summary>Parameters of the decoder layers alone (what Lightweight Transformer Search ranks by): no embeddings, no final norm.</summary>
    public long DecoderParameters => Layers.Sum(LayerParameters);

    /// <summary>Every trainable parameter: token (= output, tied) and learned position embeddings, decoder layers, final norm.</summary>
    public long TotalParameters => (long)Vocabulary * Width + (Position == PositionKind.Learned ? (long)Context * Width : 0) + DecoderParameters + Width;

    /// <summary>
    /// Multiply-accumulates of one forward pass over a full context of tokens: the projections and MLPs per token, the
    /// scores and weighted sums over the keys each query sees (causal: position t sees t+1; local: at most the window),
    /// and the output layer.
    /// </summary>
    public long ForwardMacs
    {
        get
        {
            long keys = 0; // sum over query positions of the keys it attends to
            for (int t = 0; t < Context; t++) keys += Attention == AttentionKind.Local ? Math.Min(t + 1, Window) : t + 1;
            long macs = 0;
            foreach (var layer in Layers)
            {
                long perToken = (long)Width * (Width + 2 * KeyValueWidth(layer)) + (long)Width * Width + 2L * layer.MlpRatio * Width * Width;
                macs += perToken * Context + 2L * Width * keys; // q·k and weights·v: head size × heads = width per key
            }
            return macs + (long)Vocabulary * Width * Context;
        }
    }
}
