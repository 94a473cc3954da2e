using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>A space whose architectures can be built as TorchSharp networks (logits from images).</summary>
public interface IBuildableSpace<TArch> where TArch : class, IArchitecture
{
    /// <summary>Builds on the CPU with TorchSharp's default initialisation; move it with <c>.to(device)</c>.</summary>
    nn.Module<Tensor, Tensor> Build(TArch arch, NetworkShape shape);

    /// <summary>The shape of the space's reference network (its benchmark's): what studies score when no shape is asked for.</summary>
    NetworkShape ReferenceShape => new();
}
