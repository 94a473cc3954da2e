using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// A supernet whose weights every architecture of its space shares: a forward pass runs one architecture's path
/// through the shared weights (SPOS, ENAS, inherited-weight evaluation).
/// </summary>
public interface IWeightSharingSupernet<TArch> : IDisposable where TArch : class, IArchitecture
{
    /// <summary>The shared weights as a module (parameters, train/eval mode, device moves, checkpoints).</summary>
    nn.Module Module { get; }
    NetworkShape Shape { get; }
    /// <summary>Logits of <paramref name="path"/> with the shared weights; intermediates belong to the caller's dispose scope.</summary>
    Tensor Forward(Tensor x, TArch path);
}

/// <summary>A space with a weight-sharing supernet (one-shot search: SPOS, ENAS).</summary>
public interface IWeightSharingSpace<TArch> : ISearchSpace<TArch> where TArch : class, IArchitecture
{
    IWeightSharingSupernet<TArch> CreateWeightSharingSupernet(NetworkShape shape);
}
