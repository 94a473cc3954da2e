using NasKit.Networks;
using NasKit.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm = NasKit.Networks.BatchNorm;

namespace NasKit.SearchSpaces.GeneralMacro;

/// <summary>
/// A general macro network: 3×3 stem conv-BN-ReLU, the layers in order, global average pooling, a linear classifier.
/// A residual layer adds its input (through a 1×1 conv and BN when the layer changes size or width).
/// </summary>
public sealed class GeneralMacroNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential stem;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> layers = new();
    private readonly ModuleList<nn.Module<Tensor, Tensor>> shortcuts = new();
    private readonly int[] _shortcutOf; // per layer: its shortcut module, -1 without a skip, -2 for a plain identity skip
    private readonly Linear classifier;

    public GeneralMacroNetwork(IReadOnlyList<MacroLayer> plan, NetworkShape shape) : base(nameof(GeneralMacroNetwork))
    {
        TorchRuntime.Prepare();
        long stemChannels = GeneralMacroSpace.Stem(shape);
        stem = nn.Sequential(("conv", nn.Conv2d(shape.InputChannels, stemChannels, 3, padding: 1, bias: false)), ("bn", BatchNorm.Create2d(stemChannels)), ("relu", nn.ReLU()));
        _shortcutOf = new int[plan.Count];
        for (int i = 0; i < plan.Count; i++)
        {
            var l = plan[i];
            layers.Add(Layer(l.Type, l.InputChannels, l.OutputChannels, l.Stride));
            if (!l.Residual) _shortcutOf[i] = -1;
            else if (l.Stride == 1 && l.InputChannels == l.OutputChannels) _shortcutOf[i] = -2;
            else
            {
                _shortcutOf[i] = shortcuts.Count;
                shortcuts.Add(Projection(l.InputChannels, l.OutputChannels, l.Stride));
            }
        }
        classifier = nn.Linear(plan[^1].OutputChannels, shape.Classes);
        RegisterComponents();
    }

    private static nn.Module<Tensor, Tensor> Projection(long cIn, long cOut, int stride) =>
        nn.Sequential(("conv", nn.Conv2d(cIn, cOut, 1, stride: stride, bias: false)), ("bn", BatchNorm.Create2d(cOut)));

    private static nn.Module<Tensor, Tensor> ConvBnRelu(long cIn, long cOut, long kernel, long stride, long groups = 1) => nn.Sequential(
        ("conv", nn.Conv2d(cIn, cOut, kernel, stride: stride, padding: kernel / 2, groups: groups, bias: false)), ("bn", BatchNorm.Create2d(cOut)), ("relu", nn.ReLU()));

    /// <summary>The layer types of <see cref="GeneralMacroSpace.LayerTypes"/>; pooling and identity project with a 1×1 conv when the width changes.</summary>
    private static nn.Module<Tensor, Tensor> Layer(string type, long cIn, long cOut, int stride) => type switch
    {
        "conv3x3" => ConvBnRelu(cIn, cOut, 3, stride),
        "conv5x5" => ConvBnRelu(cIn, cOut, 5, stride),
        "sep3x3" => nn.Sequential(("depthwise", ConvBnRelu(cIn, cIn, 3, stride, cIn)), ("pointwise", ConvBnRelu(cIn, cOut, 1, 1))),
        "sep5x5" => nn.Sequential(("depthwise", ConvBnRelu(cIn, cIn, 5, stride, cIn)), ("pointwise", ConvBnRelu(cIn, cOut, 1, 1))),
        "mb3x3e3" => InvertedResidual(cIn, cOut, 3, 3, stride),
        "mb5x5e6" => InvertedResidual(cIn, cOut, 5, 6, stride),
        "maxpool3x3" => cIn == cOut ? nn.MaxPool2d(3, stride: stride, padding: 1)
            : nn.Sequential(("pool", nn.MaxPool2d(3, stride: stride, padding: 1)), ("project", Projection(cIn, cOut, 1))),
        "identity" => cIn == cOut && stride == 1 ? nn.Identity() : Projection(cIn, cOut, stride),
        _ => throw new ArgumentException($"Unknown layer type '{type}'; the space has {string.Join(", ", GeneralMacroSpace.LayerTypes)}."),
    };

    // MobileNetV2's block without its own residual (the layer's skip decision adds one): expand, depthwise, project.
    private static nn.Module<Tensor, Tensor> InvertedResidual(long cIn, long cOut, long kernel, long expand, int stride)
    {
        long hidden = cIn * expand;
        return nn.Sequential(
            ("expand", nn.Conv2d(cIn, hidden, 1, bias: false)), ("bn1", BatchNorm.Create2d(hidden)), ("relu1", nn.ReLU6()),
            ("depthwise", nn.Conv2d(hidden, hidden, kernel, stride: stride, padding: kernel / 2, groups: hidden, bias: false)), ("bn2", BatchNorm.Create2d(hidden)), ("relu2", nn.ReLU6()),
            ("project", nn.Conv2d(hidden, cOut, 1, bias: false)), ("bn3", BatchNorm.Create2d(cOut)));
    }

    public override Tensor forward(Tensor input)
    {
        var x = stem.call(input);
        for (int i = 0; i < layers.Count; i++)
        {
            var y = layers[i].call(x);
            x = _shortcutOf[i] switch
            {
                -1 => y,
                -2 => y.Plus(x),
                var k => y.Plus(shortcuts[k].call(x)),
            };
        }
        return classifier.call(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1));
    }

    protected override void Dispose(bool disposing) => NativeModules.Dispose(this, disposing, base.Dispose);
}
