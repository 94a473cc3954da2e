using NasKit.Spaces;

namespace NasKit.Networks;

/// <summary>
/// A space that counts its networks' costs analytically, without building them: trainable parameters and FLOPs
/// (multiply-accumulates of one forward pass of one image) for a <see cref="NetworkShape"/> and input resolution.
/// The training evaluator, the FLOPs proxy and hardware models use it instead of knowing any space.
/// </summary>
public interface ICostModelSpace<TArch> where TArch : class, IArchitecture
{
    long Parameters(TArch arch, NetworkShape shape);
    long Flops(TArch arch, NetworkShape shape, int resolution);
}
