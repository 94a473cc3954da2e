using NasKit.Spaces;

namespace NasKit.Estimation.Predictors;

/// <summary>Turns an architecture into the flat feature vector a predictor learns from.</summary>
public interface IFeaturizer<TArch> where TArch : class, IArchitecture
{
    string Name { get; }
    int Length { get; }
    float[] Features(TArch arch);
}

/// <summary>A space's own encoding (one-hot or path) as features.</summary>
public sealed class EncodingFeaturizer<TArch>(IEncodableSpace<TArch> space, ArchitectureEncoding encoding) : IFeaturizer<TArch>
    where TArch : class, IArchitecture
{
    public string Name => encoding.ToString().ToLowerInvariant();
    public int Length => space.EncodingLength(encoding);
    public float[] Features(TArch arch) => space.Encode(arch, encoding);
}

/// <summary>Two featurizers side by side, e.g. an encoding followed by zero-cost scores.</summary>
public sealed class ConcatenatedFeaturizer<TArch>(IFeaturizer<TArch> first, IFeaturizer<TArch> second) : IFeaturizer<TArch>
    where TArch : class, IArchitecture
{
    public string Name => $"{first.Name}+{second.Name}";
    public int Length => first.Length + second.Length;
    public float[] Features(TArch arch) => [.. first.Features(arch), .. second.Features(arch)];
}
