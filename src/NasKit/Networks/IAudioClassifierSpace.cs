using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>The shape of a feature map a network classifies: (frames, features per frame), one channel.</summary>
public readonly record struct FeatureMapShape(int Frames, int Features)
{
    public override string ToString() => $"{Frames}x{Features}";
}

/// <summary>
/// A space whose architectures build as audio classifiers: feature maps (batch, 1, frames, features) in, class logits
/// (batch, classes) out. Costs are analytic so a budget can refuse an architecture before it is built.
/// </summary>
public interface IAudioClassifierSpace<TArch> where TArch : class, IArchitecture
{
    /// <summary>Builds on the CPU, initialised from <paramref name="seed"/>; move it with <c>.to(device)</c>.</summary>
    nn.Module<Tensor, Tensor> Build(TArch arch, FeatureMapShape input, int classes, int seed);

    /// <summary>Trainable parameters of the network <see cref="Build"/> makes.</summary>
    long Parameters(TArch arch, FeatureMapShape input, int classes);

    /// <summary>Multiply-accumulates of one forward pass of one feature map (convolutions and the classifier).</summary>
    long MultiplyAccumulates(TArch arch, FeatureMapShape input, int classes);
}
