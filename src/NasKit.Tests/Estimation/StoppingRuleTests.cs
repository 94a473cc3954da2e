using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.Estimation.Stopping;
using NasKit.Execution;
using NasKit.Experiments;
using NasKit.SearchSpaces.NasBenchNlp;
using NasKit.Strategies;

namespace NasKit.Tests.Estimation;

public class StoppingRuleTests
{
    private static readonly IReadOnlyList<double>[] Finished = [[1, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5, 6]];

    [Fact]
    public void The_median_rule_compares_the_best_so_far_with_the_median_running_average()
    {
        var rule = new MedianStoppingRule();
        // At step 2 the running averages are 1.5, 2.5, 3.5: median 2.5.
        Assert.True(rule.ShouldStop([2.0, 2.4], Finished, 4));
        Assert.False(rule.ShouldStop([2.0, 2.5], Finished, 4));  // not worse than the median
        Assert.False(rule.ShouldStop([2.6, 0.0], Finished, 4));  // its best so far counts, not its last
        Assert.False(rule.ShouldStop([-9.0], Finished, 4));      // the grace period
        Assert.False(rule.ShouldStop([0.0, 0.0], Finished.Take(2).ToArray(), 4)); // too few finished trials
        Assert.False(rule.ShouldStop([0.0, 0.0, 0.0, 0.0], Finished, 4)); // the last step: nothing left to save
        // Only finished trials that reached the step count (a stopped one is shorter).
        Assert.False(rule.ShouldStop([0.0, 0.0, 0.0], [.. Finished.Take(2), [9.0, 9.0]], 4));
    }

    [Fact]
    public void Extrapolation_recovers_a_power_law_and_stops_only_curves_that_cannot_catch_up()
    {
        double Curve(double t) => 0.9 - 0.5 * Math.Pow(t, -0.7);
        var first10 = Enumerable.Range(1, 10).Select(t => Curve(t)).ToArray();
        var p = CurveExtrapolation.Predict(first10, 50);
        Assert.Equal(Curve(50), p.Mean, 3);
        var rule = new ExtrapolationStoppingRule();
        IReadOnlyList<double>[] finished = [Enumerable.Range(1, 50).Select(t => Curve(t) - 0.05).ToArray()];
        Assert.False(rule.ShouldStop(first10, finished, 50));                                  // heading above the best
        Assert.True(rule.ShouldStop(first10.Select(v => v - 0.2).ToArray(), finished, 50));    // far below it
        Assert.False(rule.ShouldStop(first10.Take(3).ToArray(), finished, 50));                 // too few points
        Assert.False(rule.ShouldStop(first10.Select(v => v - 0.2).ToArray(), [], 50));          // nothing finished
        Assert.Throws<ArgumentException>(() => CurveExtrapolation.Predict([1.0, double.NaN, 2, 3], 50));
    }

    [Fact]
    public void Median_stopping_on_nas_bench_nlp_stops_trials_in_the_ledger_and_spends_the_saving_on_more_cells()
    {
        var b = NbNlpBenchmarkEntry.Tables();
        var signal = Objective.Min(Metrics.ValidPerplexity);
        QueryBudgetProtocol<NbNlpCell> Protocol(StoppingSetting? stopping) => new()
        {
            Space = new NbNlpSpace(b), Evaluator = new NbNlpTabularEvaluator(b), Fidelity = new Fidelity(Epochs: 50), Signal = signal,
            OutcomeMetric = NbNlpTabularEvaluator.FinalValidPerplexity, Epochs = 1000, Stopping = stopping,
        };
        var factory = Catalog.Get("random");
        var plain = Protocol(null).Run(factory, 10, 0);
        var stopped = Protocol(new StoppingSetting(new MedianStoppingRule(), signal)).Run(factory, 10, 0);
        Assert.All(plain, r => Assert.Equal(20, r.Trials.Count)); // 1000 epochs / 50
        Assert.All(stopped, r =>
        {
            Assert.InRange(r.Trials.Sum(t => t.Evaluation.StoppedAt ?? 50), 951, 1000);
            Assert.True(r.Trials.Count > 20, $"run {r.Run}: {r.Trials.Count} trials");
            var cut = r.Trials.Where(t => t.Evaluation.StoppedAt is not null).ToArray();
            Assert.NotEmpty(cut);
            Assert.All(cut, t => Assert.Equal(t.Evaluation.StoppedAt, t.Evaluation.Curves![Metrics.ValidPerplexity].Count));
        });
    }

    private static class Catalog
    {
        public static IStrategyFactory Get(string name) => NasKit.Catalogs.Catalog<IStrategyFactory>.Get(name);
    }
}
