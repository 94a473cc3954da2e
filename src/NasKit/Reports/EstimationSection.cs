using NasKit.Analysis;

namespace NasKit.Reports;

/// <summary>
/// The section of an estimation study's problem: each method's Kendall τ between its scores and the truth, per run
/// (the run's value in the methods table and the paired tests), Spearman ρ and cost beside it, τ against the
/// training-set size for predictors, and run 0's rank-correlation scatter.
/// </summary>
internal static class EstimationSection
{
    public static ProblemSection Build(ProblemRecord p, IReadOnlyList<TrialRow> rows, IReadOnlyList<string> methods, int runs)
    {
        var byMethod = rows.GroupBy(r => r.Strategy).ToDictionary(g => g.Key, g => g.GroupBy(r => r.Run).ToDictionary(run => run.Key, run => run.ToArray()));
        foreach (var name in methods)
        {
            var key = byMethod.Keys.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidDataException($"{p.Trials} has no runs of '{name}'; the results do not match the manifest.");
            if (byMethod[key].Count != runs)
                throw new InvalidDataException($"{p.Trials}: {key} has {byMethod[key].Count} runs, the manifest asks for {runs}; resume with 'naskit run'.");
        }
        int largest = p.Estimation!.TrainSizes is { Count: > 0 } sizes ? sizes.Max() : 0;
        var tau = new Dictionary<string, Dictionary<int, double>>();
        var rho = new Dictionary<string, Dictionary<int, double>>();
        foreach (var (method, perRun) in byMethod)
        {
            tau[method] = [];
            rho[method] = [];
            foreach (var (run, trials) in perRun)
            {
                var (x, y) = Pairs(trials.Where(t => t.TrainingSet == largest), p, method, run);
                tau[method][run] = RankCorrelation.KendallTauB(x, y);
                rho[method][run] = RankCorrelation.Spearman(x, y);
            }
        }
        var table = byMethod.Select(kv =>
        {
            var t = tau[kv.Key].OrderBy(r => r.Key).Select(r => r.Value).ToArray();
            var (lo, hi) = Statistics.BootstrapMeanCi(t, seed: 0);
            var final = kv.Value.Values.Select(r => r.Where(x => x.TrainingSet == largest).ToArray()).ToArray();
            return new MethodRow(kv.Key, t.Length, Statistics.Mean(t), Statistics.Std(t), Statistics.Quantile(t.Order().ToArray(), 0.5), lo, hi, null,
                                 final.Average(r => r.Sum(x => x.CostSeconds)), final.Sum(r => r.Count(x => x.Failed)));
        }).OrderByDescending(m => m.Mean).ToArray();
        var extra = table.Select(m =>
        {
            var r = rho[m.Strategy].Values.ToArray();
            var scored = byMethod[m.Strategy].Values.SelectMany(x => x.Where(t => t.TrainingSet == largest)).ToArray();
            return new EstimationRow(m.Strategy, Statistics.Mean(r), Statistics.Std(r), scored.Count(t => double.IsNaN(t.Signal)), scored.Sum(t => t.CostSeconds) / scored.Length);
        }).ToArray();
        var names = table.Select(m => m.Strategy).ToArray();
        var tests = SearchStudyReport.Pairwise(names, tau);

        // Predictors: τ against the training-set size, median and IQR over runs.
        var anytime = new List<AnytimeSeries>();
        if (p.Estimation.TrainSizes is { Count: > 1 } ladder)
            foreach (var name in names)
            {
                var perSize = ladder.Select(n => byMethod[name].Select(kv =>
                {
                    var (x, y) = Pairs(kv.Value.Where(t => t.TrainingSet == n), p, name, kv.Key);
                    return RankCorrelation.KendallTauB(x, y);
                }).Order().ToArray()).ToArray();
                anytime.Add(new AnytimeSeries(name, ladder.Select(n => (double)n).ToArray(), perSize.Select(v => Statistics.Quantile(v, 0.5)).ToArray(),
                                              perSize.Select(v => Statistics.Quantile(v, 0.25)).ToArray(), perSize.Select(v => Statistics.Quantile(v, 0.75)).ToArray()));
            }

        var scatter = names.ToDictionary(n => n, n =>
        {
            var first = byMethod[n][byMethod[n].Keys.Min()].Where(t => t.TrainingSet == largest && !t.Failed && double.IsFinite(t.Outcome)).ToArray();
            var ranks = RankCorrelation.Ranks(first.Select(t => LastIfNaN(t.Signal)).ToArray());
            return (ranks.Select(r => 100 * (r - 0.5) / ranks.Length).ToArray(), first.Select(t => t.Outcome).ToArray());
        });
        return new ProblemSection(p, table, tests, anytime, "training architectures", false, tau.ToDictionary(kv => kv.Key, kv => kv.Value.OrderBy(r => r.Key).Select(r => r.Value).ToArray()))
        {
            Estimation = extra, Scatter = scatter,
        };
    }

    /// <summary>A run's (score, truth) pairs: failed trials and missing truths left out, NaN scores ranked last (as the zero-cost literature does).</summary>
    private static (double[] X, double[] Y) Pairs(IEnumerable<TrialRow> trials, ProblemRecord p, string method, int run)
    {
        var ok = trials.Where(t => !t.Failed && double.IsFinite(t.Outcome)).ToArray();
        if (ok.Length < 3)
            throw new InvalidDataException($"{p.Trials}: run {run} of {method} has {ok.Length} architectures with an outcome; a rank correlation needs at least 3. Look at the run's trials.");
        return (ok.Select(t => LastIfNaN(t.Signal)).ToArray(), ok.Select(t => t.Outcome).ToArray());
    }

    private static double LastIfNaN(double v) => double.IsNaN(v) ? double.NegativeInfinity : v;
}
