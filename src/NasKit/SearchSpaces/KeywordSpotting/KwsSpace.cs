using System.Globalization;
using NasKit.Networks;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.KeywordSpotting;

/// <summary>
/// Keyword-spotting CNNs as decisions, in the manner of Hello Edge's CNN and DS-CNN families: the first layer's kernel
/// (time×frequency), stride and width; then 1–6 layers, each a standard or depthwise-separable convolution with a
/// 3×3 or 5×5 kernel, stride 1 or 2, a width, and an optional 2×2 max pooling (decisions that exist only while the
/// network is that deep). Hello Edge's DS-CNN-S is an architecture of the space (<see cref="DsCnnSmall"/>). Text form
/// <c>stem.kernel=10x4, stem.stride=2x2, stem.width=64, layers=4, l1.op=dsconv, l1.kernel=3, l1.stride=1, l1.width=64, l1.pool=none, …</c>.
/// </summary>
public sealed class KwsSpace : DecisionSpace, IAudioClassifierSpace<Choices>
{
    public const int MaxLayers = 6;
    public static IReadOnlyList<int> Widths { get; } = [16, 24, 32, 48, 64, 96];
    public static IReadOnlyList<string> StemKernels { get; } = ["3x3", "5x3", "10x4"];
    public static IReadOnlyList<string> StemStrides { get; } = ["1x1", "2x1", "2x2"];

    public KwsSpace() : base("kws", Declare()) { }

    private static Decision[] Declare()
    {
        var widths = Widths.Select(w => w.ToString(CultureInfo.InvariantCulture)).ToArray();
        var list = new List<Decision>
        {
            Decision.Categorical("stem.kernel", StemKernels.ToArray()),
            Decision.Ordinal("stem.stride", StemStrides.ToArray()),
            Decision.Ordinal("stem.width", widths),
            Decision.Integer("layers", 1, MaxLayers),
        };
        for (int l = 1; l <= MaxLayers; l++)
        {
            var deepEnough = Enumerable.Range(l, MaxLayers - l + 1).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
            Decision Deep(Decision d) => l == 1 ? d : d.When("layers", deepEnough);
            list.Add(Deep(Decision.Categorical($"l{l}.op", "conv", "dsconv")));
            list.Add(Deep(Decision.Ordinal($"l{l}.kernel", "3", "5")));
            list.Add(Deep(Decision.Ordinal($"l{l}.stride", "1", "2")));
            list.Add(Deep(Decision.Ordinal($"l{l}.width", widths)));
            list.Add(Deep(Decision.Categorical($"l{l}.pool", "none", "max")));
        }
        return list.ToArray();
    }

    /// <summary>Hello Edge's DS-CNN-S (ML-KWS-for-MCU <c>model_size_info 5 64 10 4 2 2 64 3 3 1 1 ×4</c>): a 10×4 stride-2 convolution of 64, then four 3×3 depthwise-separable layers of 64.</summary>
    public Choices DsCnnSmall => (Choices)Parse("stem.kernel=10x4, stem.stride=2x2, stem.width=64, layers=4, " +
        string.Join(", ", Enumerable.Range(1, 4).Select(l => $"l{l}.op=dsconv, l{l}.kernel=3, l{l}.stride=1, l{l}.width=64, l{l}.pool=none")));

    public KwsConfig Configure(Choices arch, FeatureMapShape input, int classes)
    {
        if (arch.Space.Name != Name) throw new ArgumentException($"{arch.ToText()} is not an architecture of space '{Name}'.");
        static (int, int) Pair(string text)
        {
            var parts = text.Split('x');
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        var (kt, kf) = Pair(arch["stem.kernel"]!);
        var (st, sf) = Pair(arch["stem.stride"]!);
        var blocks = Enumerable.Range(1, (int)arch.Number("layers")).Select(l => new KwsBlock(
            arch[$"l{l}.op"] == "dsconv" ? KwsConvolution.DepthwiseSeparable : KwsConvolution.Standard,
            (int)arch.Number($"l{l}.kernel"), (int)arch.Number($"l{l}.stride"), (int)arch.Number($"l{l}.width"), arch[$"l{l}.pool"] == "max")).ToArray();
        var config = new KwsConfig(input, classes, new KwsStem(kt, kf, st, sf, (int)arch.Number("stem.width")), blocks);
        config.Validate();
        return config;
    }

    public nn.Module<Tensor, Tensor> Build(Choices arch, FeatureMapShape input, int classes, int seed) => new KwsNetwork(Configure(arch, input, classes), seed);

    public long Parameters(Choices arch, FeatureMapShape input, int classes) => Configure(arch, input, classes).TotalParameters;

    public long MultiplyAccumulates(Choices arch, FeatureMapShape input, int classes) => Configure(arch, input, classes).MultiplyAccumulates;
}
