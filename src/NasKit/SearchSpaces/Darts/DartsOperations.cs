using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using NasKit.Networks;

using BatchNorm = NasKit.Networks.BatchNorm;

namespace NasKit.SearchSpaces.Darts;

/// <summary>The DARTS operations as the reference builds them (operations.py), for C channels and a stride.</summary>
public static class DartsOperations
{
    public static nn.Module<Tensor, Tensor> Create(DartsOp op, long channels, long stride, bool affine = true) => op switch
    {
        DartsOp.None => new Zero(stride),
        DartsOp.AvgPool3x3 => new Pool(nn.AvgPool2d(3, stride: stride, padding: 1, count_include_pad: false)),
        DartsOp.MaxPool3x3 => new Pool(nn.MaxPool2d(3, stride: stride, padding: 1)),
        DartsOp.SkipConnect => stride == 1 ? new Identity() : new FactorizedReduce(channels, channels, affine),
        DartsOp.SepConv3x3 => new SepConv(channels, channels, 3, stride, 1, affine),
        DartsOp.SepConv5x5 => new SepConv(channels, channels, 5, stride, 2, affine),
        DartsOp.DilConv3x3 => new DilConv(channels, channels, 3, stride, 2, 2, affine),
        DartsOp.DilConv5x5 => new DilConv(channels, channels, 5, stride, 4, 2, affine),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}

/// <summary>ReLU → depthwise k×k (dilated) conv → pointwise conv → BN.</summary>
public sealed class DilConv : nn.Module<Tensor, Tensor>
{
    private readonly ReLU relu = nn.ReLU();
    private readonly Conv2d depthwise, pointwise;
    private readonly BatchNorm2d bn;

    public DilConv(long cIn, long cOut, long kernel, long stride, long padding, long dilation, bool affine = true) : base(nameof(DilConv))
    {
        depthwise = nn.Conv2d(cIn, cIn, kernel, stride: stride, padding: padding, dilation: dilation, groups: cIn, bias: false);
        pointwise = nn.Conv2d(cIn, cOut, 1, bias: false);
        bn = BatchNorm.Create2d(cOut, affine: affine);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => bn.call(pointwise.call(depthwise.call(relu.call(x))));
}

/// <summary>Two stacked dilation-1 <see cref="DilConv"/> units, the first carrying the stride (the reference's SepConv).</summary>
public sealed class SepConv : nn.Module<Tensor, Tensor>
{
    private readonly DilConv first, second;

    public SepConv(long cIn, long cOut, long kernel, long stride, long padding, bool affine = true) : base(nameof(SepConv))
    {
        first = new DilConv(cIn, cIn, kernel, stride, padding, 1, affine);
        second = new DilConv(cIn, cOut, kernel, 1, padding, 1, affine);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => second.call(first.call(x));
}

/// <summary>Halves the resolution without losing half the pixels: two stride-2 1×1 convs, one shifted by a pixel, concatenated.</summary>
public sealed class FactorizedReduce : nn.Module<Tensor, Tensor>
{
    private readonly ReLU relu = nn.ReLU();
    private readonly Conv2d conv_1, conv_2;
    private readonly BatchNorm2d bn;

    public FactorizedReduce(long cIn, long cOut, bool affine = true) : base(nameof(FactorizedReduce))
    {
        if (cOut % 2 != 0) throw new ArgumentException($"FactorizedReduce needs an even number of output channels, got {cOut}.");
        conv_1 = nn.Conv2d(cIn, cOut / 2, 1, stride: 2, bias: false);
        conv_2 = nn.Conv2d(cIn, cOut / 2, 1, stride: 2, bias: false);
        bn = BatchNorm.Create2d(cOut, affine: affine);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = relu.call(x);
        var shifted = h[.., .., 1.., 1..];
        return bn.call(cat([conv_1.call(h), conv_2.call(shifted)], 1));
    }
}

/// <summary>The <c>none</c> op: zeros of the output shape (kept so a supernet's mixed op can weigh it).</summary>
public sealed class Zero(long stride) : nn.Module<Tensor, Tensor>(nameof(Zero))
{
    public override Tensor forward(Tensor x) => stride == 1 ? x.mul(ExplicitScalars.Zero) : x[.., .., TensorIndex.Slice(null, null, stride), TensorIndex.Slice(null, null, stride)].mul(ExplicitScalars.Zero);
}

/// <summary>Identity (skip connection with stride 1).</summary>
public sealed class Identity() : nn.Module<Tensor, Tensor>(nameof(Identity))
{
    public override Tensor forward(Tensor x) => x;
}

/// <summary>A pooling module as a Module&lt;Tensor, Tensor&gt;.</summary>
public sealed class Pool : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> pool;

    public Pool(nn.Module<Tensor, Tensor> pool) : base(nameof(Pool))
    {
        this.pool = pool;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => pool.call(x);
}
