using System.Reflection;
using NasKit.Estimation.Predictors;
using NasKit.Experiments;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// Makes a strategy by name for any space that has the capabilities it needs. Factories are found by
/// reflection (<see cref="StrategyCatalog"/>): adding a strategy means adding one file with the strategy and its
/// factory, never editing a registry.
/// </summary>
public interface IStrategyFactory
{
    /// <summary>The name used on the command line, e.g. <c>rea</c>.</summary>
    string Name { get; }
    string Description { get; }
    /// <summary>Position in listings and in <c>--strategy all</c>.</summary>
    int Order => 100;

    /// <summary>
    /// Whether independent runs may execute on several threads at once. Strategies that train TorchSharp models
    /// say no: TorchSharp creates native Scalars implicitly (e.g. the alpha of every tensor addition) and leaves
    /// them to the finalizer, so a garbage collection triggered by another thread can free one during the native
    /// call that uses it (seen as "Unknown scalar type" in parallel runs, never in serial ones).
    /// </summary>
    bool Parallelizable => true;

    ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, Objective objective, int seed) where TArch : class, IArchitecture;
}

public static class StrategyCatalog
{
    private static readonly Lazy<IReadOnlyList<IStrategyFactory>> Factories = new(() =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a == typeof(IStrategyFactory).Assembly || a.GetReferencedAssemblies().Any(r => r.Name == typeof(IStrategyFactory).Assembly.GetName().Name))
            .SelectMany(a => { try { return a.GetTypes(); } catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); } })
            .Where(t => typeof(IStrategyFactory).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IStrategyFactory)Activator.CreateInstance(t)!)
            .OrderBy(f => f.Order).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToArray());

    public static IReadOnlyList<IStrategyFactory> All => Factories.Value;

    public static IStrategyFactory Get(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown strategy '{name}'. Available: {string.Join(", ", All.Select(f => f.Name))}, or 'all'.");
}

public sealed class RandomSearchFactory : IStrategyFactory
{
    public string Name => "random";
    public string Description => "Uniform random search without repeats.";
    public int Order => 0;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, Objective objective, int seed) where TArch : class, IArchitecture =>
        new RandomSearch<TArch>(space, seed);
}

public sealed class RegularizedEvolutionFactory : IStrategyFactory
{
    public string Name => "rea";
    public string Description => "Regularized evolution (Real et al. 2019), population 10, sample size 3.";
    public int Order => 10;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, Objective objective, int seed) where TArch : class, IArchitecture =>
        new RegularizedEvolution<TArch>(space, objective, seed);
}

public sealed class ReinforceFactory : IStrategyFactory
{
    public string Name => "reinforce";
    public string Description => "REINFORCE with NB201's per-edge categorical policy and a moving-average baseline.";
    public int Order => 20;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, Objective objective, int seed) where TArch : class, IArchitecture =>
        new Reinforce<TArch>(space, objective, seed);
}

public sealed class LstmControllerFactory : IStrategyFactory
{
    public string Name => "reinforce-lstm";
    public string Description => "REINFORCE with an ENAS-style LSTM controller (TorchSharp).";
    public int Order => 30;
    public bool Parallelizable => false;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, Objective objective, int seed) where TArch : class, IArchitecture =>
        new LstmController<TArch>(space, objective, seed);
}

public sealed class LocalSearchFactory : IStrategyFactory
{
    public string Name => "local-search";
    public string Description => "First-improvement hill climbing with random restarts (White et al. 2021).";
    public int Order => 40;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, Objective objective, int seed) where TArch : class, IArchitecture =>
        new LocalSearch<TArch>(space, objective, seed);
}

public sealed class BananasFactory : IStrategyFactory
{
    /// <summary>A predictor from <see cref="PredictorCatalog"/> (e.g. <c>gcn</c>, <c>gbdt</c>); null for BANANAS' MLP ensemble.</summary>
    public string? Predictor { get; init; }

    public string Name => "bananas";
    public string Description => $"BANANAS: {(Predictor is null ? "MLP ensemble on the path encoding" : $"predictor {Predictor}")}, mutation candidates, Thompson sampling.";
    public int Order => 50;
    public bool Parallelizable => false;

    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, Objective objective, int seed) where TArch : class, IArchitecture
    {
        if (Predictor is null) return new Bananas<TArch>(space, objective, seed);
        var predictor = PredictorCatalog.Get(Predictor).Create(space, seed)
            ?? throw new ArgumentException($"Predictor '{Predictor}' cannot work on space '{space.Name}'.");
        return new Bananas<TArch>(space, objective, seed, predictor);
    }
}
