using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>How many objectives a strategy optimises.</summary>
public enum ObjectiveCount
{
    /// <summary>It maximises the first objective (the search signal).</summary>
    One,
    /// <summary>It trades several off (a Pareto front, a constrained or weighted scalarisation).</summary>
    Many,
    /// <summary>It ignores them (random search).</summary>
    Any,
}

/// <summary>
/// Makes a strategy by name for any space that has the capabilities it needs. Factories are found by
/// reflection (<see cref="Catalog{TEntry}"/>): adding a strategy means adding one file with the strategy and its
/// factory, never editing a registry. Objectives are plain data; one with a <see cref="Objective.Bound"/> is a
/// constraint.
/// </summary>
[CatalogKind("strategy")]
public interface IStrategyFactory : ICatalogEntry
{
    ObjectiveCount Objectives => ObjectiveCount.One;

    ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture;

    /// <summary>True for multi-fidelity schedulers: they choose each proposal's epochs from the rungs they are given.</summary>
    bool SchedulesFidelities => false;

    /// <summary>
    /// The strategy for a study whose evaluations may run at <paramref name="rungs"/>' epochs. Strategies that do not
    /// schedule fidelities ignore the rungs (their proposals run at the study's fidelity).
    /// </summary>
    ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed, FidelityRungs? rungs)
        where TArch : class, IArchitecture => Create(space, objectives, seed);

    /// <summary>The objective a single-objective strategy maximises: the first.</summary>
    protected static Objective Target(IReadOnlyList<Objective> objectives, string strategy) =>
        objectives.Count > 0 ? objectives[0] : throw new ArgumentException($"Strategy '{strategy}' needs an objective to optimise.");
}

public static class StrategyFactories
{
    /// <summary>The single-objective strategies (and those that ignore objectives): what "all" means for a search.</summary>
    public static bool SingleObjective(IStrategyFactory f) => f.Objectives is ObjectiveCount.One or ObjectiveCount.Any;

    /// <summary>The multi-objective strategies (and those that ignore objectives): what "all" means for a Pareto study.</summary>
    public static bool MultiObjective(IStrategyFactory f) => f.Objectives is ObjectiveCount.Many or ObjectiveCount.Any;

    /// <summary>What "all" means when no fidelity rungs are given: the strategies that do not schedule fidelities.</summary>
    public static bool SingleFidelity(IStrategyFactory f) => !f.SchedulesFidelities;

    /// <summary>
    /// Null when the strategy runs on <paramref name="space"/>, else why not (REINFORCE on a space without categorical
    /// decisions): "all" then means all that can run, and a named strategy still fails with that reason.
    /// </summary>
    public static string? WhyNot<TArch>(this IStrategyFactory factory, ISearchSpace<TArch> space, Objective objective) where TArch : class, IArchitecture
    {
        try { (factory.Create(space, [objective], 0) as IDisposable)?.Dispose(); return null; }
        catch (ArgumentException e) { return e.Message; }
    }

    /// <summary>Makes the strategy with a single objective.</summary>
    public static ISearchStrategy<TArch> Create<TArch>(this IStrategyFactory factory, ISearchSpace<TArch> space, Objective objective, int seed)
        where TArch : class, IArchitecture => factory.Create(space, [objective], seed);
}

public sealed class RandomSearchFactory : IStrategyFactory
{
    public string Name => "random";
    public string Description => "Uniform random search without repeats.";
    public int Order => 0;
    public ObjectiveCount Objectives => ObjectiveCount.Any;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture =>
        new RandomSearch<TArch>(space, seed);
}

public sealed class RegularizedEvolutionFactory : IStrategyFactory
{
    /// <summary>The population P: the last P evaluated architectures (NB201 and NASLib: 10).</summary>
    public int Population { get; init => field = value >= 1 ? value : throw new ArgumentException($"population must be at least 1, got {value}."); } = 10;
    /// <summary>The tournament size S: the parent is the best of S random members (NB201 and NASLib: 3); at most P.</summary>
    public int SampleSize { get; init => field = value >= 1 ? value : throw new ArgumentException($"sample-size must be at least 1, got {value}."); } = 3;

    public string Name => "rea";
    public string Description => $"Regularized evolution (Real et al. 2019), population {Population}, sample size {SampleSize}.";
    public int Order => 10;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture =>
        new RegularizedEvolution<TArch>(space, IStrategyFactory.Target(objectives, Name), seed, Population, SampleSize);
}

public sealed class ReinforceFactory : IStrategyFactory
{
    /// <summary>The policy's learning rate (NB201: 0.01).</summary>
    public double LearningRate { get; init => field = value > 0 ? value : throw new ArgumentException($"learning-rate must be positive, got {value}."); } = 0.01;
    /// <summary>The moving-average baseline's momentum.</summary>
    public double BaselineMomentum { get; init => field = value is >= 0 and < 1 ? value : throw new ArgumentException($"baseline-momentum must be in [0, 1), got {value}."); } = 0.9;

    public string Name => "reinforce";
    public string Description => $"REINFORCE with NB201's per-decision categorical policy and a moving-average baseline (learning rate {LearningRate}).";
    public int Order => 20;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture =>
        new Reinforce<TArch>(space, IStrategyFactory.Target(objectives, Name), seed, LearningRate, BaselineMomentum);
}

public sealed class LstmControllerFactory : IStrategyFactory
{
    /// <summary>The LSTM's hidden units.</summary>
    public int Hidden { get; init => field = value >= 1 ? value : throw new ArgumentException($"hidden must be at least 1, got {value}."); } = 32;
    /// <summary>The controller's Adam learning rate (ENAS: 3.5e-3).</summary>
    public double LearningRate { get; init => field = value > 0 ? value : throw new ArgumentException($"learning-rate must be positive, got {value}."); } = 3.5e-3;

    public string Name => "reinforce-lstm";
    public string Description => $"REINFORCE with an ENAS-style LSTM controller (TorchSharp), {Hidden} hidden units.";
    public int Order => 30;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture =>
        new LstmController<TArch>(space, IStrategyFactory.Target(objectives, Name), seed, Hidden, LearningRate);
}

public sealed class LocalSearchFactory : IStrategyFactory
{
    /// <summary>Random architectures evaluated before the first climb starts from the best of them.</summary>
    public int InitialRandom { get; init => field = value >= 1 ? value : throw new ArgumentException($"initial-random must be at least 1, got {value}."); } = 10;

    public string Name => "local-search";
    public string Description => $"First-improvement hill climbing with random restarts (White et al. 2021), starting from the best of {InitialRandom} random architectures.";
    public int Order => 40;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture =>
        new LocalSearch<TArch>(space, IStrategyFactory.Target(objectives, Name), seed, InitialRandom);
}

public sealed class BananasFactory : IStrategyFactory
{
    /// <summary>A predictor from the catalog (e.g. <c>gcn</c>, <c>gbdt</c>); null for BANANAS' MLP ensemble.</summary>
    public string? Predictor { get; init; }

    public string Name => "bananas";
    public string Description => $"BANANAS: {(Predictor is null ? "MLP ensemble on the path encoding" : $"predictor {Predictor}")}, mutation candidates, Thompson sampling.";
    public int Order => 50;

    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture
    {
        var objective = IStrategyFactory.Target(objectives, Name);
        if (Predictor is null) return new Bananas<TArch>(space, objective, seed);
        var predictor = Catalog<Estimation.Predictors.IPredictorFactory>.Get(Predictor).Create(space, seed)
            ?? throw new ArgumentException($"Predictor '{Predictor}' cannot work on space '{space.Name}' (it lacks a capability the predictor needs).");
        return new Bananas<TArch>(space, objective, seed, predictor);
    }
}

public sealed class Nsga2Factory : IStrategyFactory
{
    public int Population { get; init => field = value >= 2 ? value : throw new ArgumentException($"population must be at least 2, got {value}."); } = 20;

    public string Name => "nsga2";
    public string Description => $"NSGA-II (Deb et al. 2002): non-dominated sorting and crowding over the unbounded objectives, population {Population}.";
    public int Order => 60;
    public ObjectiveCount Objectives => ObjectiveCount.Many;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture =>
        new Nsga2<TArch>(space, objectives.Where(o => o.Bound is null).ToArray(), seed, Population);
}

public sealed class ConstrainedEvolutionFactory : IStrategyFactory
{
    public string Name => "rea-constrained";
    public string Description => "Regularized evolution on the first objective, infeasible architectures (outside a bound) ranked below every feasible one.";
    public int Order => 70;
    public ObjectiveCount Objectives => ObjectiveCount.Many;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture
    {
        var constraints = objectives.Where(o => o.Bound is not null).ToArray();
        if (constraints.Length == 0) throw new ArgumentException($"{Name} needs a constraint: an objective with a bound, such as pixel3_latency<=5.");
        var target = objectives.FirstOrDefault(o => o.Bound is null) ?? throw new ArgumentException($"{Name} needs an objective without a bound to maximise.");
        return new Scalarized<TArch>(new RegularizedEvolution<TArch>(space, Objective.Max(Scalarized.DefaultMetric), seed), Scalarized.Constrained(target, constraints));
    }
}

public sealed class WeightedEvolutionFactory : IStrategyFactory
{
    public string Name => "rea-weighted";
    public string Description => "Regularized evolution on the equally weighted sum of the unbounded objectives, each normalised by its range.";
    public int Order => 80;
    public ObjectiveCount Objectives => ObjectiveCount.Many;
    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture
    {
        var terms = objectives.Where(o => o.Bound is null).ToArray();
        if (terms.Length == 0) throw new ArgumentException($"{Name} needs at least one objective without a bound.");
        return new Scalarized<TArch>(new RegularizedEvolution<TArch>(space, Objective.Max(Scalarized.DefaultMetric), seed),
            Scalarized.WeightedSum(terms.Select(o => (o, 1.0 / terms.Length)).ToArray()));
    }
}
