using NasKit.Analysis;
using NasKit.Experiments;

namespace NasKit.Reports;

/// <summary>A method's line in a problem's table: the outcome over its seeded runs.</summary>
public sealed record MethodRow(string Strategy, int Runs, double Mean, double Std, double Median, double CiLow, double CiHigh,
                               double? MeanRegret, double MeanCostSeconds, int FailedTrials);

/// <summary>One pair of methods compared on the same seeds.</summary>
public sealed record PairwiseTest(string A, string B, int Pairs, double P, double PHolm, double A12, bool Exact)
{
    public string Effect => SignificanceTests.EffectSize(A12);
}

/// <summary>Median and interquartile band over runs of the incumbent's regret (or outcome) against the budget spent.</summary>
public sealed record AnytimeSeries(string Strategy, IReadOnlyList<double> Budget, IReadOnlyList<double> Median, IReadOnlyList<double> Lower, IReadOnlyList<double> Upper);

public sealed record ProblemSection(ProblemRecord Problem, IReadOnlyList<MethodRow> Methods, IReadOnlyList<PairwiseTest> Tests,
                                    IReadOnlyList<AnytimeSeries> Anytime, string BudgetAxis, bool Regret,
                                    IReadOnlyDictionary<string, double[]> RunOutcomes)
{
    /// <summary>The same curves against the training time the benchmark charges for the queried architectures (NASLib's simulated wall-clock); null when it charges none.</summary>
    public IReadOnlyList<AnytimeSeries>? AnytimeByCost { get; init; }

    /// <summary>Multi-objective studies: each method's front (objective values in their units) from its run of median hypervolume.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double[]>>? MedianFronts { get; init; }

    /// <summary>Estimation studies: per method, Spearman ρ and the cost of a score, beside the table's Kendall τ.</summary>
    public IReadOnlyList<EstimationRow>? Estimation { get; init; }

    /// <summary>Estimation studies: per method, run 0's architectures as (score's percentile rank, outcome) pairs.</summary>
    public IReadOnlyDictionary<string, (double[] Rank, double[] Truth)>? Scatter { get; init; }
}

/// <summary>An estimation method's line beside its Kendall τ: Spearman ρ over runs, scores that were NaN, seconds per architecture scored.</summary>
public sealed record EstimationRow(string Method, double SpearmanMean, double SpearmanStd, int NaNScores, double SecondsPerArchitecture);

/// <summary>
/// A search-strategy study as a reviewer reads it: per benchmark the methods table (mean ± std, median, bootstrap 95%
/// interval), anytime curves (median and IQR of regret), Wilcoxon signed-rank tests on paired seeds with Holm's
/// correction and Vargha-Delaney A12; across benchmarks Friedman's test and Nemenyi's critical difference; the
/// Lindauer &amp; Hutter checklist; provenance. Computed from a results folder of <c>naskit run</c> only.
/// </summary>
public sealed record SearchStudyReport(ExperimentManifest Manifest, RunRecord Record, IReadOnlyList<ProblemSection> Problems,
                                       IReadOnlyList<string> Methods, FriedmanResult? Friedman, double? Cd, string? FriedmanNote,
                                       IReadOnlyList<ChecklistItem> Checklist)
{
    /// <summary>What each run spent, in words (the study kind's).</summary>
    public string Budget { get; init; } = Manifest.Budget.Text;

    /// <summary>True when the methods are estimators (zero-cost proxies, predictors) ranked against the truth, not searches.</summary>
    public bool IsEstimation => Problems.Count > 0 && Problems[0].Problem.Estimation is not null;

    public const double Alpha = 0.05;

    public static SearchStudyReport Load(string folder)
    {
        var (manifest, record) = RunRecord.Open(folder);
        var kind = Studies.ManifestRunner.Kind(manifest, folder);
        var declared = kind.Methods(manifest);
        var missing = manifest.Problems.Where(p => record.Problems.All(r => r.Id != p.Key)).Select(p => p.Key).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"{folder}: problems {string.Join(", ", missing)} have not finished; resume with 'naskit run' on the manifest first.");
        var sections = manifest.Problems.Select(p => record.Problems.Single(r => r.Id == p.Key))
            .Select(p => p.Estimation is null
                ? Section(p, TrialTable.Read(Path.Combine(folder, p.Trials)), manifest, declared)
                : EstimationSection.Build(p, TrialTable.Read(Path.Combine(folder, p.Trials)), declared, manifest.Runs)).ToArray();
        var methods = declared.Select(s => sections[0].Methods.First(m => m.Strategy.Equals(s, StringComparison.OrdinalIgnoreCase)).Strategy).ToArray();
        FriedmanResult? friedman = null;
        double? cd = null;
        string? note = null;
        if (sections.Length < 2) note = "Friedman's test ranks methods within each benchmark; it needs at least 2 benchmarks, and this study has 1.";
        else if (methods.Length < 2) note = "Friedman's test needs at least 2 methods.";
        else
        {
            // Blocks are benchmarks (Demšar's data sets): each method's mean outcome, made "higher is better".
            var scores = sections.Select(s => (IReadOnlyList<double>)methods.Select(m => Sign(s.Problem) * s.Methods.Single(r => r.Strategy == m).Mean).ToArray()).ToArray();
            friedman = CriticalDifference.Friedman(scores);
            cd = CriticalDifference.NemenyiCd(methods.Length, sections.Length, Alpha);
        }
        return new SearchStudyReport(manifest, record, sections, methods, friedman, cd, note, Reports.Checklist.Answer(manifest, record, sections, methods))
        {
            Budget = kind.Budget(manifest),
        };
    }

    private static double Sign(ProblemRecord p) => p.SignalMaximize ? 1 : -1;

    private static ProblemSection Section(ProblemRecord p, IReadOnlyList<TrialRow> rows, ExperimentManifest manifest, IReadOnlyList<string> declared)
    {
        var byStrategy = rows.GroupBy(r => r.Strategy).ToDictionary(g => g.Key, g => g.GroupBy(r => r.Run).ToDictionary(run => run.Key, run => run.OrderBy(t => t.Trial).ToArray()));
        foreach (var s in declared)
        {
            if (!byStrategy.Keys.Any(k => k.Equals(s, StringComparison.OrdinalIgnoreCase)))
                throw new InvalidDataException($"{p.Trials} has no runs of strategy '{s}'; the results do not match the manifest.");
        }
        foreach (var (s, runs) in byStrategy)
            if (runs.Count != manifest.Runs)
                throw new InvalidDataException($"{p.Trials}: strategy {s} has {runs.Count} runs, the manifest asks for {manifest.Runs}; resume with 'naskit run'.");
        // A run's outcome is its final incumbent's outcome, as 'naskit search' reports it.
        double Final(TrialRow[] run) => run[^1].BestOutcomeSoFar;
        foreach (var (s, runs) in byStrategy)
            if (runs.FirstOrDefault(r => !double.IsFinite(Final(r.Value))) is { Value: not null } bad)
                throw new InvalidDataException($"{p.Trials}: run {bad.Key} of {s} ended without an incumbent (every trial failed or no outcome is finite: {bad.Value.LastOrDefault(t => t.Failed)?.Reason}); " +
                                               "a mean over runs would hide it. Look at the run's trials, fix the cause and run the problem again.");
        var methods = byStrategy.Select(kv =>
        {
            var outcomes = kv.Value.OrderBy(r => r.Key).Select(r => Final(r.Value)).ToArray();
            var sorted = outcomes.Order().ToArray();
            var (lo, hi) = Statistics.BootstrapMeanCi(outcomes, seed: 0);
            double? regret = p.Optimum is { } opt ? outcomes.Average(o => Sign(p) * (opt - o)) : null;
            return new MethodRow(kv.Key, outcomes.Length, Statistics.Mean(outcomes), Statistics.Std(outcomes), Statistics.Quantile(sorted, 0.5), lo, hi,
                                 regret, kv.Value.Values.Average(r => r.Sum(t => t.CostSeconds)), kv.Value.Values.Sum(r => r.Count(t => t.Failed)));
        }).OrderByDescending(m => Sign(p) * m.Mean).ToArray();

        // Paired on the seed: run r of every strategy used seed + r.
        var names = methods.Select(m => m.Strategy).ToArray();
        var tests = Pairwise(names, byStrategy.ToDictionary(kv => kv.Key, kv => kv.Value.ToDictionary(r => r.Key, r => Sign(p) * Final(r.Value))));

        bool byEpochs = manifest.Budget.Epochs is not null;
        double total = byEpochs ? manifest.Budget.Epochs!.Value : manifest.Budget.Queries!.Value;
        var grid = Enumerable.Range(1, 60).Select(i => Math.Max(1, Math.Round(total * i / 60))).Distinct().ToArray();
        var anytime = names.Select(s => Anytime(s, byStrategy[s].Values.ToArray(), p, grid, t => byEpochs ? t.Epochs : 1)).ToArray();
        // On the cost axis, a log grid from the cheapest first trial to the most expensive run, common to all methods.
        var costs = byStrategy.Values.SelectMany(r => r.Values).Select(r => (First: r[0].CostSeconds, Total: r.Sum(t => t.CostSeconds))).ToArray();
        IReadOnlyList<AnytimeSeries>? byCost = null;
        if (costs.All(c => c.First > 0 && double.IsFinite(c.Total)))
        {
            double lo = costs.Min(c => c.First), hi = costs.Max(c => c.Total);
            var costGrid = Enumerable.Range(0, 60).Select(i => lo * Math.Pow(hi / lo, i / 59.0)).ToArray();
            byCost = names.Select(s => Anytime(s, byStrategy[s].Values.ToArray(), p, costGrid, t => t.CostSeconds)).ToArray();
        }
        var runOutcomes = byStrategy.ToDictionary(kv => kv.Key, kv => kv.Value.OrderBy(r => r.Key).Select(r => Final(r.Value)).ToArray());
        return new ProblemSection(p, methods, tests, anytime, byEpochs ? "training epochs spent" : "queries", p.Optimum is not null, runOutcomes)
        {
            AnytimeByCost = byCost,
            MedianFronts = p.Objectives is { } objectives ? byStrategy.ToDictionary(kv => kv.Key, kv => MedianFront(kv.Value, objectives)) : null,
        };
    }

    /// <summary>
    /// Wilcoxon signed-rank tests between every pair of methods on the runs both have (paired by seed), Holm-corrected
    /// over the pairs, with A12; <paramref name="perRun"/> holds each method's value per run, higher better.
    /// </summary>
    internal static IReadOnlyList<PairwiseTest> Pairwise(IReadOnlyList<string> names, IReadOnlyDictionary<string, Dictionary<int, double>> perRun)
    {
        var pairs = new List<(string A, string B, WilcoxonResult W, double A12)>();
        for (int i = 0; i < names.Count; i++)
            for (int j = i + 1; j < names.Count; j++)
            {
                var runs = perRun[names[i]].Keys.Intersect(perRun[names[j]].Keys).Order().ToArray();
                var a = runs.Select(r => perRun[names[i]][r]).ToArray();
                var b = runs.Select(r => perRun[names[j]][r]).ToArray();
                pairs.Add((names[i], names[j], SignificanceTests.WilcoxonSignedRank(a, b), SignificanceTests.VarghaDelaneyA12(a, b)));
            }
        var holm = SignificanceTests.Holm(pairs.Select(x => x.W.P).ToArray());
        return pairs.Select((x, i) => new PairwiseTest(x.A, x.B, x.W.Pairs, x.W.P, holm[i], x.A12, x.W.Exact)).ToArray();
    }

    /// <summary>The non-dominated objective vectors of the run whose final hypervolume is the median (the lower middle one).</summary>
    private static IReadOnlyList<double[]> MedianFront(Dictionary<int, TrialRow[]> runs, IReadOnlyList<string> objectives)
    {
        var ordered = runs.Values.OrderBy(r => r[^1].BestOutcomeSoFar).ToArray();
        var run = ordered[(ordered.Length - 1) / 2];
        var maximize = objectives.Select(o => o.EndsWith("(max)", StringComparison.Ordinal)).ToArray();
        var points = run.Where(t => !t.Failed && t.Objectives.Length > 0)
            .Select(t => t.ObjectiveValues().Select(v => v.Value).ToArray())
            .Where(v => v.Length == objectives.Count && v.All(double.IsFinite)).ToArray();
        var costs = points.Select(v => (IReadOnlyList<double>)v.Select((x, k) => maximize[k] ? -x : x).ToArray()).ToArray();
        return Pareto.Front(costs).Select(i => points[i]).OrderBy(v => v[0]).ToArray();
    }

    /// <summary>Median and IQR over runs of the incumbent's regret (or outcome) at each grid point of the budget <paramref name="step"/> spends.</summary>
    private static AnytimeSeries Anytime(string strategy, TrialRow[][] runs, ProblemRecord p, double[] grid, Func<TrialRow, double> step)
    {
        var perRun = runs.Select(run =>
        {
            double spent = 0;
            var steps = run.Select(t => (Spent: spent += step(t), Value: t.BestOutcomeSoFar)).ToArray();
            return grid.Select(g => steps.LastOrDefault(s => s.Spent <= g) is { Spent: > 0 } s && double.IsFinite(s.Value)
                ? (p.Optimum is { } opt ? Sign(p) * (opt - s.Value) : s.Value) : double.NaN).ToArray();
        }).ToArray();
        var median = new double[grid.Length];
        var lower = new double[grid.Length];
        var upper = new double[grid.Length];
        for (int i = 0; i < grid.Length; i++)
        {
            var v = perRun.Select(r => r[i]).Where(double.IsFinite).Order().ToArray();
            (median[i], lower[i], upper[i]) = v.Length * 2 < perRun.Length // a point where most runs have no incumbent yet is left out
                ? (double.NaN, double.NaN, double.NaN)
                : (Statistics.Quantile(v, 0.5), Statistics.Quantile(v, 0.25), Statistics.Quantile(v, 0.75));
        }
        return new AnytimeSeries(strategy, grid, median, lower, upper);
    }
}
