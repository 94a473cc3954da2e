using NasKit.Runtime;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// Networks lent for a short evaluation and given back by disposing them. Scoring thousands of architectures
/// builds thousands of networks, and TorchSharp keeps a little native memory for every module it ever constructed
/// (see <see cref="NativeModules"/>); a pool builds its layers once and lends networks made of them, so memory stays flat.
/// </summary>
public interface INetworkPool<TArch> : IDisposable where TArch : class, IArchitecture
{
    /// <summary>
    /// A network of <paramref name="arch"/> in the state of a freshly built one: weights to be initialised by the
    /// caller, zero gradients, BN running statistics reset, float32. Dispose it before borrowing the next.
    /// </summary>
    nn.Module<Tensor, Tensor> Borrow(TArch arch);
}

/// <summary>A space whose networks can be lent from a pool instead of built.</summary>
public interface IPooledBuildSpace<TArch> : IBuildableSpace<TArch> where TArch : class, IArchitecture
{
    INetworkPool<TArch> CreatePool(NetworkShape shape);
}
