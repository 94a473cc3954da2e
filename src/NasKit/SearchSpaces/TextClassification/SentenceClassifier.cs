using NasKit.Data;
using NasKit.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NasKit.SearchSpaces.TextClassification;

/// <summary>
/// A sentence classifier built from a <see cref="SentenceClassifierConfig"/>: token ids (batch, length; 0 = padding)
/// in, class logits out. Initialised as Kim's CNN in harvardnlp's reproduction (<c>model/convNN.lua</c>): embeddings
/// U(±0.25) with the padding row zero, convolutions U(±0.01) with zero bias, the output layer N(0, 0.01²) with zero
/// bias; attention, GRU and projections with PyTorch's defaults; all from the seed's own generator. After each
/// optimizer step <see cref="ApplyConstraints"/> puts the padding row back to zero and rescales any output-layer
/// row whose L2 norm exceeds <see cref="MaxNorm"/> (Kim's constraint, s = 3).
/// </summary>
public sealed class SentenceClassifier : nn.Module<Tensor, Tensor>, IWeightConstraints
{
    public const double MaxNorm = 3.0;

    private readonly Embedding embedding;
    private readonly ModuleList<SentenceLayerModule> layers;
    private readonly Dropout dropout;
    private readonly Linear output;

    public SentenceClassifierConfig Config { get; }

    public SentenceClassifier(SentenceClassifierConfig config, int seed) : base(nameof(SentenceClassifier))
    {
        config.Validate();
        Config = config;
        embedding = nn.Embedding(config.Vocabulary, config.Embedding);
        var list = new List<SentenceLayerModule>();
        int c = config.Embedding;
        foreach (var l in config.Layers)
        {
            list.Add(new SentenceLayerModule(config, l, c));
            c = config.OutputChannels(l.Op, c);
        }
        layers = new ModuleList<SentenceLayerModule>(list.ToArray());
        dropout = nn.Dropout(config.Dropout);
        output = nn.Linear(c, config.Classes);
        RegisterComponents();
        Initialise(config, seed);
    }

    private void Initialise(SentenceClassifierConfig config, int seed)
    {
        SeededInitialization.Apply(this, seed); // PyTorch's defaults for linear layers; then Kim's choices where his model has them
        using var g = new Generator((ulong)seed + 1);
        using var _ = no_grad();
        using (var e = rand(embedding.weight!.shape, generator: g)) embedding.weight!.copy_(e.mul(0.5).sub_(0.25));
        embedding.weight![SentenceTask.PaddingToken].zero_();
        foreach (var conv in modules().OfType<Conv1d>())
        {
            using var r = rand(conv.weight!.shape, generator: g);
            conv.weight!.copy_(r.mul(0.02).sub_(0.01));
            conv.bias?.zero_();
        }
        double gruBound = 1 / Math.Sqrt(config.Width / 2); // PyTorch's GRU initialisation: U(±1/√hidden)
        foreach (var p in modules().OfType<GRU>().SelectMany(gru => gru.parameters()))
        {
            using var r = rand(p.shape, generator: g);
            p.copy_(r.mul(2 * gruBound).sub_(gruBound));
        }
        using (var n = normal(0, 0.01, output.weight!.shape, generator: g)) output.weight!.copy_(n);
        output.bias!.zero_();
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var words = tokens.ne(SentenceTask.PaddingToken); // (batch, length)
        var x = embedding.call(tokens).transpose(1, 2); // (batch, channels, length)
        foreach (var layer in layers) x = layer.Forward(x, words);
        var pooled = Config.Readout == SentenceReadout.Max
            ? x.amax([2])
            : x.mul(words.unsqueeze(1).to(x.dtype)).sum(2).div(words.sum(1, keepdim: true).clamp_min(1).to(x.dtype));
        var logits = output.call(dropout.call(pooled));
        return logits.MoveToOuterDisposeScope();
    }

    public void ApplyConstraints()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        embedding.weight![SentenceTask.PaddingToken].zero_();
        var norms = output.weight!.norm(1, keepdim: true);
        output.weight!.mul_(norms.clamp_min(MaxNorm).reciprocal().mul_(MaxNorm)); // rows above s scaled to s, others unchanged
    }
}

/// <summary>One layer of a <see cref="SentenceClassifier"/> on (batch, channels, length), with its optional residual path.</summary>
internal sealed class SentenceLayerModule : nn.Module
{
    private readonly SentenceOp op;
    private readonly bool residual;
    private readonly ModuleList<Conv1d> convs = new();
    private readonly LayerNorm? norm;
    private readonly Linear? qkv, proj;
    private readonly GRU? gru;
    private readonly Conv1d? shortcut;

    public SentenceLayerModule(SentenceClassifierConfig config, SentenceLayer layer, int input) : base(nameof(SentenceLayerModule))
    {
        (op, residual) = (layer.Op, layer.Residual);
        int width = config.Width;
        switch (op)
        {
            case SentenceOp.Conv1 or SentenceOp.Conv3 or SentenceOp.Conv5 or SentenceOp.Conv7:
                convs.Add(nn.Conv1d(input, width, SentenceClassifierConfig.KernelOf(op)));
                break;
            case SentenceOp.Conv345:
                foreach (int k in new[] { 3, 4, 5 }) convs.Add(nn.Conv1d(input, width / 3, k));
                break;
            case SentenceOp.Attention:
                norm = nn.LayerNorm(input);
                qkv = nn.Linear(input, 3 * input);
                proj = nn.Linear(input, input);
                break;
            case SentenceOp.Gru:
                gru = nn.GRU(input, width / 2, batchFirst: true, bidirectional: true);
                break;
        }
        int output = config.OutputChannels(op, input);
        if (residual && output != input) shortcut = nn.Conv1d(input, output, 1, bias: false);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor words)
    {
        var y = op switch
        {
            SentenceOp.MaxPool3 => F.max_pool1d(x, 3, stride: 1, padding: 1),
            SentenceOp.AvgPool3 => F.avg_pool1d(x, 3, stride: 1, padding: 1),
            SentenceOp.Attention => Attend(x, words),
            SentenceOp.Gru => gru!.call(x.transpose(1, 2)).Item1.transpose(1, 2),
            _ => F.relu(cat(convs.Select(c => c.call(PadSame(x, (int)c.weight!.shape[2]))).ToArray(), 1)),
        };
        if (!residual) return y;
        return y.Plus(shortcut is null ? x : shortcut.call(x));
    }

    // "Same" length for any kernel width: (k-1)/2 zeros before, the rest after (a width-4 kernel: 1 before, 2 after).
    private static Tensor PadSame(Tensor x, int k) => k == 1 ? x : F.pad(x, [(k - 1) / 2, k - 1 - (k - 1) / 2]);

    private Tensor Attend(Tensor x, Tensor words)
    {
        long b = x.shape[0], c = x.shape[1], t = x.shape[2];
        int h = SentenceClassifierConfig.AttentionHeads;
        var h3 = qkv!.call(norm!.call(x.transpose(1, 2))).view(b, t, 3, h, c / h).permute(2, 0, 3, 1, 4); // (3, batch, heads, length, d)
        var mask = words.view(b, 1, 1, t); // a position attends to the sentence's words only
        var attended = F.scaled_dot_product_attention(h3[0], h3[1], h3[2], attn_mask: mask);
        return proj!.call(attended.transpose(1, 2).reshape(b, t, c)).transpose(1, 2);
    }
}
