using NasKit.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using BatchNorm = NasKit.Networks.BatchNorm;

namespace NasKit.SearchSpaces.NasBenchMacro;

/// <summary>
/// An identity layer (NAS-Bench-Macro's <c>Identity</c>): nothing, or a 1×1 convolution and BN where the layer
/// changes the stride or the width (the first layer of a stage).
/// </summary>
public sealed class MacroIdentity : nn.Module<Tensor, Tensor>
{
    private readonly Sequential? downsample;

    public MacroIdentity(long cIn, long cOut, long stride, bool batchNorm = true) : base(nameof(MacroIdentity))
    {
        if (stride != 1 || cIn != cOut)
            downsample = batchNorm ? nn.Sequential(nn.Conv2d(cIn, cOut, 1, stride: stride, bias: false), BatchNorm.Create2d(cOut))
                                   : nn.Sequential(nn.Conv2d(cIn, cOut, 1, stride: stride, bias: false));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => downsample is null ? x.alias() : downsample.call(x);
}

/// <summary>
/// The MobileNetV2 inverted residual (Sandler et al. 2018) as NAS-Bench-Macro defines it: 1×1 expansion to t·C_in,
/// BN, ReLU; k×k depthwise (stride s), BN, ReLU; 1×1 projection, BN; the input added when shape is kept.
/// </summary>
public sealed class MacroInvertedResidual : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv;
    private readonly bool _shortcut;

    public MacroInvertedResidual(long cIn, long cOut, long stride, int expansion, int kernel, bool batchNorm = true) : base(nameof(MacroInvertedResidual))
    {
        long hidden = cIn * expansion;
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(cIn, hidden, 1, bias: false),
        };
        if (batchNorm) layers.Add(BatchNorm.Create2d(hidden));
        layers.Add(nn.ReLU());
        layers.Add(nn.Conv2d(hidden, hidden, kernel, stride: stride, padding: kernel / 2, groups: hidden, bias: false));
        if (batchNorm) layers.Add(BatchNorm.Create2d(hidden));
        layers.Add(nn.ReLU());
        layers.Add(nn.Conv2d(hidden, cOut, 1, bias: false));
        if (batchNorm) layers.Add(BatchNorm.Create2d(cOut));
        conv = nn.Sequential(layers);
        _shortcut = cIn == cOut && stride == 1;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _shortcut ? conv.call(x).Plus(x) : conv.call(x);
}

/// <summary>
/// The NAS-Bench-Macro network (<c>train/model.py</c> of xiusu/NAS-Bench-Macro): stem 3×3 convolution to C channels,
/// BN, ReLU; 8 layers in stages of 2, 3 and 3, the first of each stage with stride 2 and twice the channels; a 1×1
/// convolution to 1,280 channels, BN, ReLU, global average pooling and a linear head. With C = 32 and 10 classes its
/// parameter count is the benchmark's <c>params</c>.
/// </summary>
public sealed class MacroNetwork : nn.Module<Tensor, Tensor>
{
    public const int HeadChannels = 1280;

    private readonly Sequential stem;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> features = new();
    private readonly Sequential head;
    private readonly Linear classifier;

    public MacroArchitecture Architecture { get; }

    public MacroNetwork(MacroArchitecture arch, NetworkShape shape) : base(nameof(MacroNetwork))
    {
        Architecture = arch;
        long c = shape.Channels;
        stem = shape.BatchNorm
            ? nn.Sequential(nn.Conv2d(shape.InputChannels, c, 3, padding: 1, bias: false), BatchNorm.Create2d(c), nn.ReLU())
            : nn.Sequential(nn.Conv2d(shape.InputChannels, c, 3, padding: 1, bias: false), nn.ReLU());
        int layer = 0;
        foreach (int count in MacroArchitecture.Stages)
            for (int i = 0; i < count; i++, layer++)
            {
                long cOut = i == 0 ? c * 2 : c, stride = i == 0 ? 2 : 1;
                features.Add(arch[layer] switch
                {
                    MacroOp.Identity => new MacroIdentity(c, cOut, stride, shape.BatchNorm),
                    MacroOp.InvertedResidualE3K3 => new MacroInvertedResidual(c, cOut, stride, 3, 3, shape.BatchNorm),
                    _ => new MacroInvertedResidual(c, cOut, stride, 6, 5, shape.BatchNorm),
                });
                c = cOut;
            }
        head = shape.BatchNorm
            ? nn.Sequential(nn.Conv2d(c, HeadChannels, 1, bias: false), BatchNorm.Create2d(HeadChannels), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
            : nn.Sequential(nn.Conv2d(c, HeadChannels, 1, bias: false), nn.ReLU(), nn.AdaptiveAvgPool2d(1));
        classifier = nn.Linear(HeadChannels, shape.Classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = stem.call(x);
        foreach (var f in features) y = f.call(y);
        return classifier.call(head.call(y).flatten(1));
    }
}

/// <summary>
/// Parameters and FLOPs of a NAS-Bench-Macro network without building it. FLOPs are the benchmark's convention:
/// multiply-accumulates of the convolutions and the linear head's weights (no BN, no ReLU, no bias, no addition).
/// </summary>
public static class MacroCostModel
{
    public static long Parameters(MacroArchitecture arch, NetworkShape shape)
    {
        long bn = shape.BatchNorm ? 2 : 0, c = shape.Channels;
        long p = shape.InputChannels * c * 9 + bn * c;
        foreach (var (op, cIn, cOut, stride) in Layers(arch, c))
            p += op switch
            {
                MacroOp.Identity => stride != 1 || cIn != cOut ? cIn * cOut + bn * cOut : 0,
                _ => BlockParameters(op, cIn, cOut, shape.BatchNorm),
            };
        long last = c << MacroArchitecture.Stages.Count;
        return p + last * MacroNetwork.HeadChannels + bn * MacroNetwork.HeadChannels + MacroNetwork.HeadChannels * shape.Classes + shape.Classes;
    }

    /// <summary>FLOPs (multiply-accumulates) for one image of <paramref name="resolution"/>² pixels.</summary>
    public static long Flops(MacroArchitecture arch, NetworkShape shape, int resolution = 32)
    {
        long c = shape.Channels, r = resolution;
        long f = r * r * shape.InputChannels * c * 9;
        foreach (var (op, cIn, cOut, stride) in Layers(arch, c))
        {
            long rOut = (r + stride - 1) / stride; // padding k/2 and a 1x1 stride-2 convolution both give ceil(r / s)
            if (op == MacroOp.Identity) f += stride != 1 || cIn != cOut ? rOut * rOut * cIn * cOut : 0;
            else
            {
                var (e, k) = op == MacroOp.InvertedResidualE3K3 ? (3, 3) : (6, 5);
                long hidden = cIn * e;
                f += r * r * cIn * hidden + rOut * rOut * hidden * k * k + rOut * rOut * hidden * cOut;
            }
            r = rOut;
        }
        long last = c << MacroArchitecture.Stages.Count;
        return f + r * r * last * MacroNetwork.HeadChannels + MacroNetwork.HeadChannels * shape.Classes;
    }

    private static long BlockParameters(MacroOp op, long cIn, long cOut, bool batchNorm)
    {
        var (e, k) = op == MacroOp.InvertedResidualE3K3 ? (3, 3) : (6, 5);
        long hidden = cIn * e, bn = batchNorm ? 2 : 0;
        return cIn * hidden + bn * hidden + hidden * k * k + bn * hidden + hidden * cOut + bn * cOut;
    }

    /// <summary>Each layer's op, input and output channels and stride.</summary>
    private static IEnumerable<(MacroOp Op, long In, long Out, long Stride)> Layers(MacroArchitecture arch, long c)
    {
        int layer = 0;
        foreach (int count in MacroArchitecture.Stages)
            for (int i = 0; i < count; i++, layer++)
            {
                long cOut = i == 0 ? c * 2 : c;
                yield return (arch[layer], c, cOut, i == 0 ? 2 : 1);
                c = cOut;
            }
    }
}
