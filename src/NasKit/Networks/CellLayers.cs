using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// ReLU → Conv (no bias) → BatchNorm, the NB201/DARTS convolution unit. Without batch norm (synflow scores a
/// network with BN removed, as its reference does) the unit is ReLU → Conv. Another <see cref="Activation"/> may
/// take ReLU's place (the module keeps the name <c>relu</c>, so state dictionaries do not depend on it).
/// </summary>
public sealed class ReluConvBn : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly Conv2d conv;
    private readonly BatchNorm2d? bn;

    public ReluConvBn(long cIn, long cOut, long kernel, long stride, long padding, long dilation = 1, bool affine = true, bool batchNorm = true,
                      Activation activation = Activation.ReLU)
        : base(nameof(ReluConvBn))
    {
        relu = Activations.Create(activation);
        conv = nn.Conv2d(cIn, cOut, kernel, stride: stride, padding: padding, dilation: dilation, bias: false);
        bn = batchNorm ? BatchNorm.Create2d(cOut, affine: affine) : null;
        RegisterComponents();
    }

    // Intermediates are not disposed here: autograd may still need them. The caller's dispose scope (one per
    // training step or evaluation) releases them after backward. Submodules run through call(), not forward(),
    // so that forward hooks (zero-cost proxies observe ReLUs and convolutions) fire.
    public override Tensor forward(Tensor x)
    {
        var y = conv.call(relu.call(x));
        return bn is null ? y : bn.call(y);
    }
}

/// <summary>3×3 average pooling that does not count the padding (NB201's <c>POOLING</c> with equal channels).</summary>
public sealed class AvgPool3x3 : nn.Module<Tensor, Tensor>
{
    private readonly AvgPool2d pool;

    public AvgPool3x3(long stride = 1) : base(nameof(AvgPool3x3))
    {
        pool = nn.AvgPool2d(3, stride: stride, padding: 1, count_include_pad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => pool.call(x);
}

/// <summary>
/// NB201's ResNet basic block between stages: two ReLU-Conv-BN 3×3 (the first with stride 2) plus a shortcut
/// of 2×2 average pooling and a 1×1 convolution.
/// </summary>
public sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly ReluConvBn conv_a, conv_b;
    private readonly Sequential? downsample;
    private readonly ReluConvBn? project;

    public ResNetBasicBlock(long inplanes, long planes, long stride, bool batchNorm = true, Activation activation = Activation.ReLU) : base(nameof(ResNetBasicBlock))
    {
        conv_a = new ReluConvBn(inplanes, planes, 3, stride, 1, batchNorm: batchNorm, activation: activation);
        conv_b = new ReluConvBn(planes, planes, 3, 1, 1, batchNorm: batchNorm, activation: activation);
        if (stride == 2)
            downsample = nn.Sequential(("avg", nn.AvgPool2d(2, stride: 2)), ("conv", nn.Conv2d(inplanes, planes, 1, bias: false)));
        else if (inplanes != planes)
            project = new ReluConvBn(inplanes, planes, 1, 1, 0, batchNorm: batchNorm, activation: activation);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var b = conv_b.call(conv_a.call(x));
        var residual = downsample is not null ? downsample.call(x) : project is not null ? project.call(x) : x;
        return residual.Plus(b);
    }
}
