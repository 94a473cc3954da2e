using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// Regularized (aging) evolution, Real et al. 2019. The first <c>PopulationSize</c> architectures are random;
/// afterwards each child is a mutation of the best of <c>SampleSize</c> population members drawn at random, and
/// every new result pushes out the oldest member. The NB201 paper used population 10 and sample size 3.
/// Several asks may be outstanding at once (asynchronous evolution): each picks its parent from the population
/// as it stands.
/// </summary>
public sealed class RegularizedEvolution<TArch> : ArchitectureStrategy<TArch> where TArch : class, IArchitecture
{
    private readonly ISearchSpace<TArch> _space;
    private readonly IMutableSpace<TArch> _mutable;
    private readonly Objective _objective;
    private readonly Random _rng;
    private readonly Queue<(TArch Arch, double Score)> _population = new();
    private int _asked;

    public int PopulationSize { get; }
    public int SampleSize { get; }

    public RegularizedEvolution(ISearchSpace<TArch> space, Objective objective, int seed, int populationSize = 10, int sampleSize = 3)
    {
        if (space is not IMutableSpace<TArch> mutable)
            throw new ArgumentException($"Regularized evolution needs a space that can mutate; '{space.Name}' cannot.");
        if (populationSize < 1 || sampleSize < 1 || sampleSize > populationSize)
            throw new ArgumentException($"Need 1 <= sample size ({sampleSize}) <= population size ({populationSize}).");
        (_space, _mutable, _objective, _rng, PopulationSize, SampleSize) = (space, mutable, objective, new Random(seed), populationSize, sampleSize);
    }

    protected override TArch? Propose()
    {
        if (_asked++ < PopulationSize || _population.Count == 0) return _space.Sample(_rng);
        var members = _population.ToArray();
        var parent = members[_rng.Next(members.Length)];
        for (int i = 1; i < SampleSize; i++)
        {
            var candidate = members[_rng.Next(members.Length)];
            if (candidate.Score > parent.Score) parent = candidate;
        }
        return _mutable.Mutate(parent.Arch, _rng);
    }

    protected override void Observe(TArch arch, Evaluation evaluation)
    {
        if (_objective.Score(evaluation) is not { } score) return;
        _population.Enqueue((arch, score));
        while (_population.Count > PopulationSize) _population.Dequeue(); // the oldest dies
    }
}
