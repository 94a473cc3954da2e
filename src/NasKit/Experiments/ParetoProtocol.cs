using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.Spaces.Nb201;
using NasKit.Strategies;

namespace NasKit.Experiments;

/// <summary>One multi-objective run: the hypervolume of everything it queried, after each query and at the end.</summary>
public sealed record ParetoRun(string Strategy, int Seed, double Hypervolume, double[] HypervolumeSoFar,
                               IReadOnlyList<(Nb201Cell Cell, double[] Values)> Front, double BestFeasible);

/// <summary>
/// Multi-objective search on NB201 with HW-NAS-Bench costs, measured by hypervolume. Objectives are plain data; the
/// reference point is, for every objective, its worst value over all 15,625 cells (the nadir of the space), so
/// every strategy and the true front are measured against the same point. A run's front is the non-dominated set
/// of all cells it queried.
/// </summary>
public sealed class ParetoProtocol
{
    public Nb201Benchmark Benchmark { get; }
    public IReadOnlyList<Objective> Objectives { get; }
    /// <summary>Constraints for constrained strategies (an objective with a bound).</summary>
    public IReadOnlyList<Objective> Constraints { get; set; } = [];
    public int Queries { get; init; } = 300;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public TabularEvaluator Evaluator { get; }
    /// <summary>The reference point in minimisation form (maximised objectives negated).</summary>
    public double[] Reference { get; }

    private readonly double[][] _all;

    /// <summary>The tabular evaluation of every cell, in index order, made once.</summary>
    public IReadOnlyList<Evaluation> AllEvaluations { get; }

    public ParetoProtocol(Nb201Benchmark benchmark, IReadOnlyList<Objective> objectives, Nb201Dataset dataset = Nb201Dataset.Cifar10)
    {
        if (objectives.Count is < 2 or > 3) throw new ArgumentException("Hypervolume is exact here for 2 or 3 objectives.");
        (Benchmark, Objectives) = (benchmark, objectives);
        Evaluator = new TabularEvaluator(benchmark, dataset);
        var probe = Evaluator.Evaluate(benchmark.CellAt(0), Fidelity.Full);
        var unknown = objectives.Where(o => !probe.Metrics.ContainsKey(o.Metric)).Select(o => o.Metric).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Unknown objective metric(s) {string.Join(", ", unknown)}. Known: {string.Join(", ", probe.Metrics.Keys)}.");
        AllEvaluations = benchmark.Cells.Select(c => Evaluator.Evaluate(c, Fidelity.Full)).ToArray();
        _all = AllEvaluations.Select(Costs).Where(v => v is not null).Select(v => v!).ToArray();
        Reference = Enumerable.Range(0, objectives.Count).Select(k => _all.Max(v => v[k])).ToArray();
    }

    /// <summary>Objective values in minimisation form, or null when one is missing (e.g. an unmeasured latency).</summary>
    public double[]? Costs(Evaluation e)
    {
        var v = new double[Objectives.Count];
        for (int k = 0; k < v.Length; k++)
        {
            if (Objectives[k].Score(e) is not { } s) return null;
            v[k] = -s;
        }
        return v;
    }

    /// <summary>The true front over all cells and its hypervolume.</summary>
    public (double Hypervolume, int Size) TrueFront()
    {
        var front = Pareto.Front(_all);
        return (Hypervolume.Compute(front.Select(i => (IReadOnlyList<double>)_all[i]).ToArray(), Reference), front.Length);
    }

    /// <summary>The best value of the first objective among cells that meet every constraint, over the whole space.</summary>
    public double TrueBestFeasible() => AllEvaluations
        .Where(e => Constraints.All(c => c.Satisfied(e))).Select(e => Objectives[0].Score(e)).Where(s => s is not null).Max(s => s!.Value);

    public static IReadOnlyList<string> StrategyNames => ["nsga2", "random", "rea-constrained", "rea-weighted"];

    public IReadOnlyList<ParetoRun> Run(string strategy, int runs, int firstSeed, Action? onRunDone = null)
    {
        var results = new ParetoRun[runs];
        Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, r =>
        {
            results[r] = RunOne(strategy, firstSeed + r);
            onRunDone?.Invoke();
        });
        return results;
    }

    public ParetoRun RunOne(string strategy, int seed)
    {
        var space = Benchmark.Space;
        IEvaluator<Nb201Cell> evaluator = Evaluator;
        ISearchStrategy<Nb201Cell> searcher;
        switch (strategy)
        {
            case "nsga2":
                searcher = new Nsga2<Nb201Cell>(space, Objectives, seed);
                break;
            case "random":
                searcher = new RandomSearch<Nb201Cell>(space, seed);
                break;
            case "rea-constrained":
                if (Constraints.Count == 0) throw new ArgumentException("rea-constrained needs a constraint (e.g. pixel3_latency<=5).");
                evaluator = new ScalarizingEvaluator<Nb201Cell>(Evaluator, ScalarizingEvaluator<Nb201Cell>.Constrained(Objectives[0], Constraints));
                searcher = new RegularizedEvolution<Nb201Cell>(space, Objective.Max("score"), seed);
                break;
            case "rea-weighted":
                var terms = Objectives.Select((o, k) => (o, 1.0 / Objectives.Count, Range(k).Min, Range(k).Max)).ToArray();
                evaluator = new ScalarizingEvaluator<Nb201Cell>(Evaluator, ScalarizingEvaluator<Nb201Cell>.WeightedSum(terms));
                searcher = new RegularizedEvolution<Nb201Cell>(space, Objective.Max("score"), seed);
                break;
            default:
                throw new ArgumentException($"Unknown multi-objective strategy '{strategy}'. Available: {string.Join(", ", StrategyNames)}, or 'all'.");
        }
        var study = new Study<Nb201Cell>(new StudySpec($"{strategy}-{seed}", space.Name, strategy, seed), space, evaluator,
            Budget.OfQueries(Queries), new InMemoryTrialStore());
        var trials = study.Run(searcher.WithStandardWrappers(space, seed)).Trials;
        var points = new List<(Nb201Cell Cell, double[] Values)>();
        var hvSoFar = new double[trials.Count];
        double bestFeasible = double.NaN;
        for (int i = 0; i < trials.Count; i++)
        {
            var e = trials[i].Evaluation;
            if (Costs(e) is { } v) points.Add((trials[i].Architecture, v));
            if (Constraints.All(c => c.Satisfied(e)) && Objectives[0].Score(e) is { } s && !(s <= bestFeasible)) bestFeasible = s;
            if (Objectives.Count == 2)
                hvSoFar[i] = Hypervolume.Compute2D(points.Select(p => (p.Values[0], p.Values[1])).ToArray(), Reference[0], Reference[1]);
        }
        var front = Pareto.Front(points.Select(p => (IReadOnlyList<double>)p.Values).ToArray()).Select(i => points[i]).ToArray();
        double hv = Hypervolume.Compute(front.Select(p => (IReadOnlyList<double>)p.Values).ToArray(), Reference);
        if (Objectives.Count != 2) hvSoFar[^1] = hv;
        return new ParetoRun(strategy, seed, hv, hvSoFar, front, bestFeasible);
    }

    /// <summary>Range of objective k over the space, in its natural units.</summary>
    private (double Min, double Max) Range(int k)
    {
        var values = _all.Select(v => Objectives[k].Maximize ? -v[k] : v[k]).ToArray();
        return (values.Min(), values.Max());
    }

    /// <summary>Parses "test_acc,pixel3_latency": accuracies are maximised, latency, energy and sizes minimised.</summary>
    public static IReadOnlyList<Objective> ParseObjectives(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(m => m.EndsWith("_acc") ? Objective.Max(m) : Objective.Min(m)).ToArray();

    /// <summary>Parses "pixel3_latency&lt;=5" or "test_acc&gt;=90".</summary>
    public static Objective ParseConstraint(string text)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        foreach (var (op, max) in new[] { ("<=", false), (">=", true) })
        {
            int i = text.IndexOf(op, StringComparison.Ordinal);
            if (i > 0 && double.TryParse(text[(i + 2)..], System.Globalization.NumberStyles.Float, inv, out var bound))
                return new Objective(text[..i].Trim(), max, bound);
        }
        throw new FormatException($"Constraint '{text}' must look like metric<=value or metric>=value, e.g. pixel3_latency<=5.");
    }
}
