using NasKit.Spaces;

namespace NasKit.Strategies.MultiFidelity;

/// <summary>
/// Where a scheduler's new configurations come from: uniformly from the space (Hyperband, successive halving, ASHA)
/// or from a model of the results so far (BOHB). The scheduler decides fidelities; the sampler only what to try.
/// </summary>
public interface IConfigurationSampler<TArch> where TArch : class, IArchitecture
{
    TArch Sample(Random rng);

    /// <summary>A result at <paramref name="epochs"/>; <paramref name="score"/> is higher-is-better, null for a failure.</summary>
    void Observe(TArch arch, int epochs, double? score);
}

/// <summary>Uniform sampling from the space, ignoring results.</summary>
public sealed class UniformSampler<TArch>(ISearchSpace<TArch> space) : IConfigurationSampler<TArch> where TArch : class, IArchitecture
{
    public TArch Sample(Random rng) => space.Sample(rng);
    public void Observe(TArch arch, int epochs, double? score) { }
}
