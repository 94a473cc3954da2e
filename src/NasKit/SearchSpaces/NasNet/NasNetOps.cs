using NasKit.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm = NasKit.Networks.BatchNorm;

namespace NasKit.SearchSpaces.NasNet;

/// <summary>
/// The NASNet operations from C_in channels to the cell's F filters. Separable convolutions, identity and pooling follow
/// TF-slim's NASNet code (<c>_stacked_separable_conv</c>, <c>none</c>, <c>_pooling</c>); the ops the released code
/// does not build (the plain, factorised and dilated convolutions) are ReLU → conv(s) → BN with no bias, as its 1×1s are.
/// </summary>
public static class NasNetOps
{
    /// <summary>The module and its output channels.</summary>
    public static (nn.Module<Tensor, Tensor> Module, long Channels) Create(NasNetOp op, long cIn, long filters, int stride) => op switch
    {
        NasNetOp.SepConv3x3 => (new NasNetSepConv(cIn, filters, 3, stride), filters),
        NasNetOp.SepConv5x5 => (new NasNetSepConv(cIn, filters, 5, stride), filters),
        NasNetOp.SepConv7x7 => (new NasNetSepConv(cIn, filters, 7, stride), filters),
        // TF's 'none': the state itself, or a strided/projecting ReLU-1×1-BN when it must change size or width.
        NasNetOp.Identity => stride > 1 || cIn != filters ? (ReluConvBn(cIn, filters, 1, stride), filters) : (nn.Identity(), cIn),
        NasNetOp.AvgPool3x3 => Pool(nn.AvgPool2d(3, stride: stride, padding: 1, count_include_pad: false), cIn, filters),
        NasNetOp.MaxPool3x3 => Pool(nn.MaxPool2d(3, stride: stride, padding: 1), cIn, filters),
        NasNetOp.MaxPool5x5 => Pool(nn.MaxPool2d(5, stride: stride, padding: 2), cIn, filters),
        NasNetOp.MaxPool7x7 => Pool(nn.MaxPool2d(7, stride: stride, padding: 3), cIn, filters),
        NasNetOp.Conv1x1 => (ReluConvBn(cIn, filters, 1, stride), filters),
        NasNetOp.Conv3x3 => (ReluConvBn(cIn, filters, 3, stride), filters),
        NasNetOp.DilatedConv3x3 => (ReluConvBn(cIn, filters, 3, stride, dilation: 2), filters),
        NasNetOp.Conv1x3Then3x1 => (new NasNetFactorisedConv(cIn, filters, 3, stride), filters),
        NasNetOp.Conv1x7Then7x1 => (new NasNetFactorisedConv(cIn, filters, 7, stride), filters),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>ReLU → k×k conv (no bias, "same" padding) → BN.</summary>
    public static nn.Module<Tensor, Tensor> ReluConvBn(long cIn, long cOut, long kernel, long stride, long dilation = 1) => nn.Sequential(
        ("relu", nn.ReLU()),
        ("conv", nn.Conv2d(cIn, cOut, kernel, stride: stride, padding: dilation * (kernel / 2), dilation: dilation, bias: false)),
        ("bn", BatchNorm.Create2d(cOut)));

    // A pool keeps the width; TF projects with a 1×1 conv and BN (no ReLU) when the cell's filters differ.
    private static (nn.Module<Tensor, Tensor>, long) Pool(nn.Module<Tensor, Tensor> pool, long cIn, long filters) => cIn == filters
        ? (pool, cIn)
        : (nn.Sequential(("pool", pool), ("conv", nn.Conv2d(cIn, filters, 1, bias: false)), ("bn", BatchNorm.Create2d(filters))), filters);
}

/// <summary>TF's separable_KxK_2: twice (ReLU → depthwise k×k → pointwise 1×1 → BN), the first to F filters and carrying the stride.</summary>
public sealed class NasNetSepConv : nn.Module<Tensor, Tensor>
{
    private readonly Sequential first, second;

    public NasNetSepConv(long cIn, long filters, long kernel, long stride) : base(nameof(NasNetSepConv))
    {
        first = Unit(cIn, filters, kernel, stride);
        second = Unit(filters, filters, kernel, 1);
        RegisterComponents();
    }

    private static Sequential Unit(long cIn, long cOut, long kernel, long stride) => nn.Sequential(
        ("relu", nn.ReLU()),
        ("depthwise", nn.Conv2d(cIn, cIn, kernel, stride: stride, padding: kernel / 2, groups: cIn, bias: false)),
        ("pointwise", nn.Conv2d(cIn, cOut, 1, bias: false)),
        ("bn", BatchNorm.Create2d(cOut)));

    public override Tensor forward(Tensor x) => second.call(first.call(x));
}

/// <summary>ReLU → 1×k conv → k×1 conv → BN: a k×k receptive field for 2k weights per channel pair.</summary>
public sealed class NasNetFactorisedConv : nn.Module<Tensor, Tensor>
{
    private readonly ReLU relu = nn.ReLU();
    private readonly Conv2d row, column;
    private readonly BatchNorm2d bn;

    public NasNetFactorisedConv(long cIn, long filters, long kernel, long stride) : base(nameof(NasNetFactorisedConv))
    {
        row = nn.Conv2d(cIn, filters, (1, kernel), stride: (1, stride), padding: (0, kernel / 2), bias: false);
        column = nn.Conv2d(filters, filters, (kernel, 1), stride: (stride, 1), padding: (kernel / 2, 0), bias: false);
        bn = BatchNorm.Create2d(filters);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => bn.call(column.call(row.call(relu.call(x))));
}

/// <summary>
/// TF's factorized_reduction: at stride 1 a 1×1 conv and BN; at stride 2 two 1×1 convs of half the filters on the
/// even and the odd pixel grid, concatenated, then BN. Cells apply a ReLU first when they adjust their earlier input.
/// </summary>
public sealed class NasNetFactorizedReduction : nn.Module<Tensor, Tensor>
{
    private readonly bool _relu;
    private readonly long _stride;
    private readonly Conv2d path1;
    private readonly Conv2d? path2;
    private readonly BatchNorm2d bn;

    public NasNetFactorizedReduction(long cIn, long cOut, long stride, bool relu) : base(nameof(NasNetFactorizedReduction))
    {
        if (stride == 2 && cOut % 2 != 0) throw new ArgumentException($"A factorized reduction needs an even number of filters, got {cOut}.");
        (_relu, _stride) = (relu, stride);
        path1 = nn.Conv2d(cIn, stride == 1 ? cOut : cOut / 2, 1, stride: stride, bias: false);
        path2 = stride == 1 ? null : nn.Conv2d(cIn, cOut / 2, 1, stride: stride, bias: false);
        bn = BatchNorm.Create2d(cOut);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = _relu ? nn.functional.relu(x) : x;
        if (path2 is null) return bn.call(path1.call(h));
        // TF pads one zero row and column at the bottom right and drops the first: the odd grid, same output size.
        var shifted = nn.functional.pad(h, [0, 1, 0, 1])[.., .., 1.., 1..];
        return bn.call(cat([path1.call(h), path2.call(shifted)], 1));
    }
}
