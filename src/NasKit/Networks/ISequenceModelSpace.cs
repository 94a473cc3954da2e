using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>A space whose architectures build as language models: token ids (batch, time) in, next-token logits (batch, time, vocabulary) out.</summary>
public interface ISequenceModelSpace<TArch> where TArch : class, IArchitecture
{
    /// <summary>Builds on the CPU, initialised from <paramref name="seed"/>; move it with <c>.to(device)</c>.</summary>
    nn.Module<Tensor, Tensor> Build(TArch arch, int vocabulary, int context, int seed);

    /// <summary>The same network with every operation twice differentiable (GraSP's Hessian-gradient product), where the
    /// fast path is not (a fused attention kernel); the default is <see cref="Build"/>.</summary>
    nn.Module<Tensor, Tensor> BuildForSecondDerivatives(TArch arch, int vocabulary, int context, int seed) => Build(arch, vocabulary, context, seed);

    /// <summary>Trainable parameters of the network <see cref="Build"/> makes, without building it.</summary>
    long Parameters(TArch arch, int vocabulary, int context);

    /// <summary>Multiply-accumulates of one forward pass over a full context of tokens.</summary>
    long ForwardMacs(TArch arch, int vocabulary, int context);
}
