using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// The batch normalisation every NasKit network uses: TorchSharp's <c>BatchNorm2d</c> without the
/// <c>num_batches_tracked</c> counter.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>BatchNorm.forward</c> bumps the counter with <c>add_(1)</c>, whose <c>alpha</c> is a temporary
/// <c>Scalar</c> with a finalizer and no <c>GC.KeepAlive</c>: a collection during the native call can free it while
/// libtorch reads it. CI once failed with "For integral input tensors, argument alpha must not be a floating point
/// number" from exactly that call. The counter is only read when momentum is 0 (a cumulative average), which NasKit
/// never uses, so dropping it changes no result and removes the race from every forward pass.
/// </remarks>
public static class BatchNorm
{
    public static BatchNorm2d Create2d(long channels, bool affine = true)
    {
        var bn = nn.BatchNorm2d(channels, affine: affine);
        bn.num_batches_tracked = null;
        return bn;
    }
}
