using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>A space whose architectures build as sentence classifiers: token ids (batch, length; 0 is padding) in, class logits (batch, classes) out.</summary>
public interface ISentenceClassifierSpace<TArch> where TArch : class, IArchitecture
{
    /// <summary>Builds on the CPU, initialised from <paramref name="seed"/>; move it with <c>.to(device)</c>.</summary>
    nn.Module<Tensor, Tensor> Build(TArch arch, int vocabulary, int classes, int seed);

    /// <summary>Trainable parameters of the network <see cref="Build"/> makes, without building it.</summary>
    long Parameters(TArch arch, int vocabulary, int classes);
}

/// <summary>A network with constraints on its weights that training restores after every optimizer step (a max-norm
/// bound, a padding embedding held at zero).</summary>
public interface IWeightConstraints
{
    void ApplyConstraints();
}
