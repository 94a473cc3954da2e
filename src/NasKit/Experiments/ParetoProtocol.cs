using NasKit.Analysis;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Experiments;

/// <summary>
/// One multi-objective run: the hypervolume of everything it queried, after each query and at the end; its front
/// with every objective in its own units; and the best value of the first objective among feasible queries (NaN when
/// none met the constraints).
/// </summary>
public sealed record ParetoRun<TArch>(string Strategy, int Seed, double Hypervolume, double[] HypervolumeSoFar,
                                      IReadOnlyList<(TArch Architecture, double[] Values)> Front, double BestFeasible)
    where TArch : class, IArchitecture
{
    /// <summary>Every trial of the run, in order.</summary>
    public IReadOnlyList<Trial<TArch>> Trials { get; init; } = [];
}

/// <summary>
/// Multi-objective search on any enumerable space with an evaluator for all of it (a tabular benchmark), measured by
/// hypervolume. Objectives are plain data; the reference point is, for every objective, its worst value over the
/// whole space (the nadir), so every strategy and the true front are measured against the same point. A run's
/// front is the non-dominated set of all architectures it queried. Strategies come from the catalog and receive the
/// objectives (with their ranges over the space) followed by the constraints.
/// </summary>
public sealed class ParetoProtocol<TArch> where TArch : class, IArchitecture
{
    private readonly double[][] _all;

    public ISearchSpace<TArch> Space { get; }
    public IEvaluator<TArch> Evaluator { get; }
    public Fidelity Fidelity { get; init; } = Fidelity.Full;
    /// <summary>The objectives, each with its range over the space.</summary>
    public IReadOnlyList<Objective> Objectives { get; }
    /// <summary>Constraints for constrained strategies (objectives with a bound).</summary>
    public IReadOnlyList<Objective> Constraints { get; }
    public int Queries { get; init; } = 300;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>Where each run's study lives (default: in memory); with a storage a killed run resumes trial by trial.</summary>
    public RunStorage? Storage { get; init; }
    /// <summary>When set, each run sets libtorch's intra-op threads on the thread it runs on (parallel runs: 1).</summary>
    public int? IntraOpThreads { get; init; }
    /// <summary>The reference point in minimisation form (maximised objectives negated).</summary>
    public double[] Reference { get; }
    /// <summary>The evaluation of every architecture, in the space's order, made once.</summary>
    public IReadOnlyList<Evaluation> AllEvaluations { get; }

    public ParetoProtocol(ISearchSpace<TArch> space, IEvaluator<TArch> evaluator, IReadOnlyList<Objective> objectives,
                          IReadOnlyList<Objective>? constraints = null, Fidelity? fidelity = null)
    {
        if (objectives.Count is < 2 or > 3) throw new ArgumentException($"Hypervolume is exact here for 2 or 3 objectives, got {objectives.Count}.");
        if (objectives.Any(o => o.Bound is not null)) throw new ArgumentException("An objective with a bound is a constraint; pass it among the constraints.");
        if (space is not IEnumerableSpace<TArch> all) throw new ArgumentException($"The Pareto protocol needs the whole front, so an enumerable space; '{space.Name}' is not one.");
        (Space, Evaluator, Fidelity) = (space, evaluator, fidelity ?? Fidelity.Full);
        Constraints = constraints ?? [];
        var evaluations = all.All().Select(a => evaluator.Evaluate(a, Fidelity)).ToArray();
        var known = evaluations.First(e => !e.Failed).Metrics.Keys;
        var unknown = objectives.Concat(Constraints).Select(o => o.Metric).Where(m => !known.Contains(m)).Distinct().ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Unknown objective metric(s) {string.Join(", ", unknown)}. The evaluator reports: {string.Join(", ", known)}.");
        AllEvaluations = evaluations;
        _all = evaluations.Select(e => Costs(objectives, e)).Where(v => v is not null).Select(v => v!).ToArray();
        Reference = Enumerable.Range(0, objectives.Count).Select(k => _all.Max(v => v[k])).ToArray();
        // Each objective's range over the space, in its own units: weighted sums normalise by it.
        Objectives = objectives.Select((o, k) =>
        {
            var values = _all.Select(v => o.Maximize ? -v[k] : v[k]).ToArray();
            return o with { Range = (values.Min(), values.Max()) };
        }).ToArray();
    }

    /// <summary>Objective values in minimisation form, or null when one is missing (e.g. an unmeasured latency).</summary>
    public double[]? Costs(Evaluation e) => Costs(Objectives, e);

    private static double[]? Costs(IReadOnlyList<Objective> objectives, Evaluation e)
    {
        var v = new double[objectives.Count];
        for (int k = 0; k < v.Length; k++)
        {
            if (objectives[k].Score(e) is not { } s) return null;
            v[k] = -s;
        }
        return v;
    }

    /// <summary>Minimisation form back to each objective's own units.</summary>
    private double[] Natural(double[] costs) => costs.Select((c, k) => Objectives[k].Maximize ? -c : c).ToArray();

    /// <summary>The true front over the whole space and its hypervolume.</summary>
    public (double Hypervolume, int Size) TrueFront()
    {
        var front = Pareto.Front(_all);
        return (Hypervolume.Compute(front.Select(i => (IReadOnlyList<double>)_all[i]).ToArray(), Reference), front.Length);
    }

    /// <summary>The best value of the first objective, in its units, among architectures that meet every constraint (NaN if none does).</summary>
    public double TrueBestFeasible()
    {
        var feasible = AllEvaluations.Where(e => Constraints.All(c => c.Satisfied(e))).Select(e => Objectives[0].Score(e)).Where(s => s is not null).ToArray();
        return feasible.Length == 0 ? double.NaN : Natural0(feasible.Max(s => s!.Value));
    }

    /// <summary>A constraint on <paramref name="objective"/> at its median over the space: the default cap of constrained search.</summary>
    public Objective MedianConstraint(Objective objective)
    {
        var values = AllEvaluations.Select(e => e.Metrics.GetValueOrDefault(objective.Metric, double.NaN)).Where(v => !double.IsNaN(v)).Order().ToArray();
        return objective with { Bound = Math.Round(values[values.Length / 2], 3), Range = null };
    }

    /// <summary>The true front in each objective's own units, sorted by the first objective.</summary>
    public IReadOnlyList<double[]> TrueFrontPoints() => Pareto.Front(_all).Select(i => Natural(_all[i])).OrderBy(v => v[0]).ToArray();

    /// <summary>Each objective's worst value over the space, in its own units: the reference point.</summary>
    public double[] ReferencePoint => Natural(Reference);

    private double Natural0(double score) => Objectives[0].Maximize ? score : -score;

    public IReadOnlyList<ParetoRun<TArch>> Run(IStrategyFactory strategy, int runs, int firstSeed, Action? onRunDone = null)
    {
        Seeds.CheckRuns(firstSeed, runs);
        var results = new ParetoRun<TArch>[runs];
        Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, r =>
        {
            results[r] = RunOne(strategy, firstSeed + r);
            onRunDone?.Invoke();
        });
        return results;
    }

    public ParetoRun<TArch> RunOne(IStrategyFactory factory, int seed)
    {
        if (IntraOpThreads is { } threads) Runtime.TorchRuntime.SetIntraOpThreads(threads);
        var strategy = factory.Create(Space, [.. Objectives, .. Constraints], seed);
        try
        {
            using var queue = RunStorage.Open(Storage);
            var study = new Study<TArch>(queue, new StudySpec(RunStorage.StudyName(Storage, factory.Name, seed), Space.Name, factory.Name, seed), Space,
                                         Budget.OfQueries(Queries), Fidelity);
            var trials = study.Run(strategy.WithStandardWrappers(), Evaluator).Trials;
            var points = new List<(TArch Arch, double[] Costs)>();
            var hvSoFar = new double[trials.Count];
            double bestFeasible = double.NaN;
            for (int i = 0; i < trials.Count; i++)
            {
                var e = trials[i].Evaluation;
                if (Costs(e) is { } v) points.Add((trials[i].Architecture, v));
                if (Constraints.All(c => c.Satisfied(e)) && Objectives[0].Score(e) is { } s && !(s <= bestFeasible)) bestFeasible = s;
                if (Objectives.Count == 2)
                    hvSoFar[i] = Hypervolume.Compute2D(points.Select(p => (p.Costs[0], p.Costs[1])).ToArray(), Reference[0], Reference[1]);
            }
            var front = Pareto.Front(points.Select(p => (IReadOnlyList<double>)p.Costs).ToArray()).Select(i => points[i]).ToArray();
            double hv = Hypervolume.Compute(front.Select(p => (IReadOnlyList<double>)p.Costs).ToArray(), Reference);
            if (Objectives.Count != 2 && hvSoFar.Length > 0) hvSoFar[^1] = hv;
            return new ParetoRun<TArch>(factory.Name, seed, hv, hvSoFar, front.Select(p => (p.Arch, Natural(p.Costs))).ToArray(),
                                        double.IsNaN(bestFeasible) ? double.NaN : Natural0(bestFeasible)) { Trials = trials };
        }
        finally { (strategy as IDisposable)?.Dispose(); }
    }
}
