using System.Globalization;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.MultimodalFusion;

/// <summary>A fusion layer's non-linearity (MFAS searches ReLU, sigmoid and leaky ReLU).</summary>
public enum FusionActivation { Relu, Sigmoid, LeakyRelu }

/// <summary>One fusion layer: which hidden layer (1-based) of each modality it reads, its width and non-linearity.</summary>
public sealed record FusionLayer(int ImageLayer, int AudioLayer, int Width, FusionActivation Activation);

/// <summary>
/// Fusion architectures in the manner of MFAS (Pérez-Rúa et al., CVPR 2019): 1–4 fusion layers; layer l reads one
/// hidden layer of the image network and one of the audio network (of three each), concatenates them with layer
/// l−1's output, and applies a linear map of a searched width and a searched non-linearity; a linear classifier
/// reads the last. The unimodal networks are trained first and frozen, so an architecture trains in seconds on their
/// stored hidden features. Text form <c>layers=2, l1.image=3, l1.audio=2, l1.width=64, l1.act=relu, …</c>.
/// </summary>
public sealed class FusionSpace : DecisionSpace
{
    public const int MaxLayers = 4;
    public static IReadOnlyList<int> Widths { get; } = [16, 32, 64, 128];

    public FusionSpace() : base("fusion", Declare()) { }

    private static Decision[] Declare()
    {
        var list = new List<Decision> { Decision.Integer("layers", 1, MaxLayers) };
        for (int l = 1; l <= MaxLayers; l++)
        {
            var deep = Enumerable.Range(l, MaxLayers - l + 1).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
            Decision Deep(Decision d) => l == 1 ? d : d.When("layers", deep);
            list.Add(Deep(Decision.Ordinal($"l{l}.image", "1", "2", "3")));
            list.Add(Deep(Decision.Ordinal($"l{l}.audio", "1", "2", "3")));
            list.Add(Deep(Decision.Ordinal($"l{l}.width", Widths.Select(w => w.ToString(CultureInfo.InvariantCulture)).ToArray())));
            list.Add(Deep(Decision.Categorical($"l{l}.act", "relu", "sigmoid", "leakyrelu")));
        }
        return list.ToArray();
    }

    public IReadOnlyList<FusionLayer> Layers(Choices arch)
    {
        if (arch.Space.Name != Name) throw new ArgumentException($"{arch.ToText()} is not an architecture of space '{Name}'.");
        return Enumerable.Range(1, (int)arch.Number("layers")).Select(l => new FusionLayer((int)arch.Number($"l{l}.image"), (int)arch.Number($"l{l}.audio"),
            (int)arch.Number($"l{l}.width"), arch[$"l{l}.act"] switch { "relu" => FusionActivation.Relu, "sigmoid" => FusionActivation.Sigmoid, _ => FusionActivation.LeakyRelu })).ToArray();
    }

    /// <summary>Trainable parameters of the fusion network over hidden layers of <see cref="UnimodalNetwork.HiddenSizes"/>.</summary>
    public long Parameters(Choices arch, int classes)
    {
        long total = 0;
        int previous = 0;
        foreach (var l in Layers(arch))
        {
            int inputs = UnimodalNetwork.HiddenSizes[l.ImageLayer - 1] + UnimodalNetwork.HiddenSizes[l.AudioLayer - 1] + previous;
            total += (long)inputs * l.Width + l.Width;
            previous = l.Width;
        }
        return total + (long)previous * classes + classes;
    }
}
