using System.Globalization;
using NasKit.Networks;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.GeneralMacro;

/// <summary>
/// A general macro space over the four macro decisions of the NAS literature, layer by layer rather than cell by cell:
/// per stage its depth (1–4 layers) and width; per layer its type (3×3/5×5 convolution, 3×3/5×5 depthwise-separable
/// convolution, MobileNetV2 inverted residual 3×3 e3 / 5×5 e6, 3×3 max pooling, identity) and whether a residual skip
/// connection bypasses it. A layer's decisions exist only while its stage is deep enough (conditional decisions), so
/// shortening a stage removes them and lengthening it draws them afresh. Three stages at full, half and quarter
/// resolution; the first layer of stages 2 and 3 halves the resolution. Architectures are <see cref="Choices"/>
/// (<c>s1.depth=2, s1.width=24, s1.l1.type=conv3x3, …</c>); everything a strategy needs comes from the decisions.
/// </summary>
public sealed class GeneralMacroSpace : DecisionSpace, IBuildableSpace<Choices>
{
    public const int Stages = 3, MaxDepth = 4;

    public static IReadOnlyList<string> LayerTypes { get; } = ["conv3x3", "conv5x5", "sep3x3", "sep5x5", "mb3x3e3", "mb5x5e6", "maxpool3x3", "identity"];

    /// <summary>Width options per stage at the reference shape (C=16); a shape with C channels scales them by C/16.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Widths { get; } = [[16, 24, 32], [32, 48, 64], [64, 96, 128]];

    public GeneralMacroSpace() : base("macro", LayerDecisions()) { }

    private static Decision[] LayerDecisions()
    {
        var list = new List<Decision>();
        for (int s = 1; s <= Stages; s++)
        {
            list.Add(Decision.Integer($"s{s}.depth", 1, MaxDepth));
            list.Add(Decision.Ordinal($"s{s}.width", Widths[s - 1].Select(w => w.ToString(CultureInfo.InvariantCulture)).ToArray()));
            for (int l = 1; l <= MaxDepth; l++)
            {
                var depths = Enumerable.Range(l, MaxDepth - l + 1).Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray();
                var type = Decision.Categorical($"s{s}.l{l}.type", [.. LayerTypes]);
                var skip = Decision.Categorical($"s{s}.l{l}.skip", "none", "residual");
                list.Add(l == 1 ? type : type.When($"s{s}.depth", depths));
                list.Add(l == 1 ? skip : skip.When($"s{s}.depth", depths));
            }
        }
        return list.ToArray();
    }

    /// <summary>The layers of an architecture in order: stage, type, skip, input and output width, stride.</summary>
    public IReadOnlyList<MacroLayer> Layers(Choices arch, NetworkShape shape)
    {
        if (!ReferenceEquals(arch.Space, this) && arch.Space.Name != Name) throw new ArgumentException($"{arch.ToText()} is not an architecture of space '{Name}'.");
        var layers = new List<MacroLayer>();
        long cIn = Stem(shape);
        for (int s = 1; s <= Stages; s++)
        {
            long width = Scale((int)arch.Number($"s{s}.width"), shape);
            int depth = (int)arch.Number($"s{s}.depth");
            for (int l = 1; l <= depth; l++)
            {
                layers.Add(new MacroLayer(s, arch[$"s{s}.l{l}.type"]!, arch[$"s{s}.l{l}.skip"] == "residual", cIn, width, s > 1 && l == 1 ? 2 : 1));
                cIn = width;
            }
        }
        return layers;
    }

    internal static long Stem(NetworkShape shape) => Scale(16, shape);
    private static long Scale(int width, NetworkShape shape) => Math.Max(1, (long)width * shape.Channels / 16);

    public nn.Module<Tensor, Tensor> Build(Choices arch, NetworkShape shape) => new GeneralMacroNetwork(Layers(arch, shape), shape);

    public NetworkShape ReferenceShape => new(Channels: 16, CellsPerStage: 1);
}

/// <summary>One layer of a general macro network.</summary>
public sealed record MacroLayer(int Stage, string Type, bool Residual, long InputChannels, long OutputChannels, int Stride);
