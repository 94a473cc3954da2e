using System.Globalization;
using NasKit.Networks;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.Transformer;

/// <summary>
/// Decoder-only Transformers as decisions, in the manner of HAT and AutoFormer (heterogeneous layers): the number of
/// layers (1–6), the embedding width, per layer its query heads and MLP ratio (decisions that exist only while the
/// network is that deep), the attention variant (full causal, a sliding window of w tokens, multi-query), the
/// positional encoding (learned, sinusoidal, rotary, ALiBi, none) and dropout. Architectures are
/// <see cref="Choices"/> with the text form <c>layers=4, width=128, attention=full, position=learned, dropout=0,
/// l1.heads=4, l1.mlp=4, …</c>; the task supplies vocabulary and context (<see cref="Configure"/>).
/// </summary>
public sealed class DecoderSpace : DecisionSpace, ISequenceModelSpace<Choices>
{
    public const int MaxLayers = 6;
    public static IReadOnlyList<int> Widths { get; } = [64, 96, 128, 192, 256];
    public static IReadOnlyList<int> Heads { get; } = [1, 2, 4, 8];
    public static IReadOnlyList<int> MlpRatios { get; } = [1, 2, 3, 4];
    public static IReadOnlyList<int> Windows { get; } = [8, 16, 32];

    private static readonly (string Text, AttentionKind Kind)[] AttentionOptions =
        [("full", AttentionKind.Full), ("local", AttentionKind.Local), ("multiquery", AttentionKind.MultiQuery)];
    private static readonly (string Text, PositionKind Kind)[] PositionOptions =
        [("learned", PositionKind.Learned), ("sinusoidal", PositionKind.Sinusoidal), ("rotary", PositionKind.Rotary), ("alibi", PositionKind.Alibi), ("none", PositionKind.None)];

    public DecoderSpace() : base("transformer", Declare()) { }

    private static Decision[] Declare()
    {
        static string[] Text(IEnumerable<int> values) => values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
        var list = new List<Decision>
        {
            Decision.Integer("layers", 1, MaxLayers),
            Decision.Ordinal("width", Text(Widths)),
            Decision.Categorical("attention", AttentionOptions.Select(a => a.Text).ToArray()),
            Decision.Ordinal("window", Text(Windows)).When("attention", "local"),
            Decision.Categorical("position", PositionOptions.Select(p => p.Text).ToArray()),
            Decision.Ordinal("dropout", "0", "0.1", "0.2"),
        };
        for (int l = 1; l <= MaxLayers; l++)
        {
            var deepEnough = Text(Enumerable.Range(l, MaxLayers - l + 1));
            var heads = Decision.Ordinal($"l{l}.heads", Text(Heads));
            var mlp = Decision.Ordinal($"l{l}.mlp", Text(MlpRatios));
            list.Add(l == 1 ? heads : heads.When("layers", deepEnough));
            list.Add(l == 1 ? mlp : mlp.When("layers", deepEnough));
        }
        return list.ToArray();
    }

    /// <summary>The network configuration of an architecture for a task's vocabulary and context.</summary>
    public DecoderConfig Configure(Choices arch, int vocabulary, int context)
    {
        if (arch.Space.Name != Name) throw new ArgumentException($"{arch.ToText()} is not an architecture of space '{Name}'.");
        int layers = (int)arch.Number("layers");
        var attention = AttentionOptions.Single(a => a.Text == arch["attention"]).Kind;
        var config = new DecoderConfig(vocabulary, context, (int)arch.Number("width"),
            Enumerable.Range(1, layers).Select(l => new DecoderLayerConfig((int)arch.Number($"l{l}.heads"), (int)arch.Number($"l{l}.mlp"))).ToArray(),
            attention, attention == AttentionKind.Local ? (int)arch.Number("window") : 0,
            PositionOptions.Single(p => p.Text == arch["position"]).Kind, arch.Number("dropout"));
        config.Validate();
        return config;
    }

    /// <summary>nanoGPT's CPU baseline for shakespeare_char as an architecture of this space (4 layers of 4 heads, width 128, MLP ratio 4, learned positions).</summary>
    public Choices NanoGptBaseline => (Choices)Parse("layers=4, width=128, attention=full, position=learned, dropout=0, " +
        string.Join(", ", Enumerable.Range(1, 4).Select(l => $"l{l}.heads=4, l{l}.mlp=4")));

    public nn.Module<Tensor, Tensor> Build(Choices arch, int vocabulary, int context, int seed) =>
        new DecoderTransformer(Configure(arch, vocabulary, context), seed);

    public nn.Module<Tensor, Tensor> BuildForSecondDerivatives(Choices arch, int vocabulary, int context, int seed) =>
        new DecoderTransformer(Configure(arch, vocabulary, context), seed) { FusedAttention = false };

    public long Parameters(Choices arch, int vocabulary, int context) => Configure(arch, vocabulary, context).TotalParameters;

    public long ForwardMacs(Choices arch, int vocabulary, int context) => Configure(arch, vocabulary, context).ForwardMacs;
}
