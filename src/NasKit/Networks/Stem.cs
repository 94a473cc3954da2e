using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// Conv 3×3 + BN. Not a <c>Sequential</c>: that disposes the intermediate conv output, which forward hooks
/// (the fisher proxy) must keep.
/// </summary>
internal sealed class Stem : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d? bn;

    public Stem(long inputChannels, long channels, bool batchNorm) : base("stem")
    {
        conv = nn.Conv2d(inputChannels, channels, 3, padding: 1, bias: false);
        bn = batchNorm ? BatchNorm.Create2d(channels) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = conv.call(x);
        return bn is null ? y : bn.call(y);
    }
}
