using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.SearchSpaces.NasBenchNlp;

namespace NasKit.Tests.SearchSpaces.NasBenchNlp;

/// <summary>
/// NAS-Bench-NLP's WikiText-2 logs as a benchmark. Reference values from scipy 1.10.1 (Debian 12 python3-scipy, run
/// with /usr/bin/python3) on the same files: the runs with 50 finite epochs, spearmanr and kendalltau of
/// val_losses[e-1] against test_losses[49]:
/// <code>
/// runs = [d for d in (json.load(open(f)) for f in sorted(glob.glob('logs/*.json'))) if all 50 val and test losses are finite]
/// final = [d['test_losses'][49] for d in runs]
/// spearmanr([d['val_losses'][e-1] for d in runs], final).correlation; kendalltau(...).correlation
/// </code>
/// </summary>
public class NbNlpBenchmarkTests
{
    private static readonly Lazy<NbNlpBenchmark> Bench = new(() => NbNlpBenchmark.Load(DataLocator.Default));

    [Fact]
    public void The_logs_load_with_their_duplicates_and_divergences()
    {
        var b = Bench.Value;
        Assert.Equal(345, b.Runs.Count);
        Assert.Equal(291, b.Cells.Count); // 49 recipes were trained under more than one id
        Assert.Equal(4, b.Runs.Count(r => r.Status != "OK"));
        Assert.Equal(341, b.Runs.Count(r => r.CompletedEpochs == NbNlpBenchmark.MaxEpochs));
        // Two ids of one recipe are one cell, named by the lower id.
        Assert.Same(b.Find(1000213), b.Find(1002213));
        Assert.Equal(1000213, b.Find(1002213)!.Id);
    }

    [Theory]
    [InlineData(1, 0.785155963913579, 0.5830602035535623)]
    [InlineData(3, 0.8681868116902574, 0.6978092116612041)]
    [InlineData(5, 0.9137030950673214, 0.7670174228048992)]
    [InlineData(10, 0.9455056910864361, 0.8322580645161292)]
    [InlineData(25, 0.9877886020900101, 0.9343453510436434)]
    public void Validation_loss_at_epoch_e_ranks_the_final_test_loss_as_scipy_says(int epoch, double spearman, double kendall)
    {
        var row = Bench.Value.RankVsEpoch([epoch]).Single();
        Assert.Equal(341, row.Runs);
        Assert.Equal(spearman, row.Spearman, 12);
        Assert.Equal(kendall, row.Kendall, 12);
    }

    [Fact]
    public void The_evaluator_walks_the_curve_and_fails_a_diverged_cell_where_it_diverged()
    {
        var b = Bench.Value;
        var evaluator = new NbNlpTabularEvaluator(b);
        var cell = b.Find(1000000)!;
        var e10 = evaluator.Evaluate(cell, new Fidelity(Epochs: 10));
        var run = b.RunsOf(cell).Single();
        Assert.Equal(run.ValidLoss[9], e10[Metrics.ValidLoss], 12);
        Assert.Equal(Math.Exp(run.ValidLoss[9]), e10[Metrics.ValidPerplexity], 9);
        Assert.Equal(Math.Exp(run.ValidLoss[49]), e10[NbNlpTabularEvaluator.FinalValidPerplexity], 9);
        Assert.Equal(run.WallSeconds.Take(10).Sum(), e10.CostSeconds, 6);
        Assert.Equal(run.ValidLoss.Take(10), e10.Curves![Metrics.ValidLoss]);

        // Recipe 1007257 diverged in both of its runs (ids 1007257 and 1009257): the cell lasts as long as the longer one.
        var diverged = b.Find(1007257)!;
        Assert.Equal(2, b.RunsOf(diverged).Count);
        int lasted = b.RunsOf(diverged).Max(r => r.CompletedEpochs);
        Assert.InRange(lasted, 2, 49);
        Assert.False(evaluator.Evaluate(diverged, new Fidelity(Epochs: lasted)).Failed);
        Assert.True(evaluator.Evaluate(b.Find(1009703)!, new Fidelity(Epochs: 1)).Failed); // NaN from the first epoch
        var failed = evaluator.Evaluate(diverged, new Fidelity(Epochs: lasted + 1));
        Assert.True(failed.Failed);
        Assert.Contains("diverged", failed.Reason);
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(cell, new Fidelity(Epochs: 51)));
    }

    private sealed class StopAt(int step) : TrialContext
    {
        public List<int> Seen { get; } = [];
        public override bool Report(int s, IReadOnlyDictionary<string, double> metrics) { Seen.Add(s); return s < step; }
    }

    [Fact]
    public void A_stopping_rule_ends_the_walk_and_the_result_is_the_stopping_epochs()
    {
        var b = Bench.Value;
        var cell = b.Find(1000000)!;
        var context = new StopAt(4);
        var e = new NbNlpTabularEvaluator(b).Evaluate(cell, new Fidelity(Epochs: 50), context);
        Assert.Equal([1, 2, 3, 4], context.Seen);
        Assert.Equal(4, e.StoppedAt);
        Assert.Equal(b.RunsOf(cell)[0].ValidLoss[3], e[Metrics.ValidLoss], 12);
    }

    [Fact]
    public void A_corrupt_log_names_the_file_and_the_value()
    {
        var dir = Directory.CreateTempSubdirectory("nbnlp-").FullName;
        var logs = Directory.CreateDirectory(Path.Combine(dir, NbNlpBenchmark.Folder)).FullName;
        var source = Directory.GetFiles(Path.Combine(Path.GetDirectoryName(DataLocator.Default.Find(NbNlpBenchmark.Folder + "/" +
            Path.GetFileName(Directory.GetFiles(DataLocator.Default.Find(NbNlpBenchmark.Folder))[0])))!)).Order().First();
        var text = File.ReadAllText(source);
        int at = text.IndexOf("\"val_losses\": [", StringComparison.Ordinal) + "\"val_losses\": [".Length;
        File.WriteAllText(Path.Combine(logs, "bad.json"), text[..at] + "-1.5, " + text[at..]);
        var e = Assert.Throws<BenchmarkDataException>(() => NbNlpBenchmark.Load(new DataLocator(dir)));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains("-1.5", e.Message);
        File.WriteAllText(Path.Combine(logs, "bad.json"), "{ not json");
        Assert.Contains("bad.json", Assert.Throws<BenchmarkDataException>(() => NbNlpBenchmark.Load(new DataLocator(dir))).Message);
    }
    [Fact]
    public void Cells_are_encoded_by_their_operations_and_size_as_the_recipe_says()
    {
        var space = new NbNlpSpace(Bench.Value);
        // Computed with json on log_stats_model_1000213_*.json: 2 linear, 1 sigmoid, 1 leaky ReLU; 4 nodes; log10(num_params).
        var v = space.Encode(Bench.Value.Find(1000213)!, NasKit.Spaces.ArchitectureEncoding.Features);
        Assert.Equal([2f, 0, 0, 0, 0, 1, 1, 4], v[..8]);
        Assert.Equal(7.224990630532048, v[8], 5);
        Assert.Throws<NotSupportedException>(() => space.Encode(Bench.Value.Cells[0], NasKit.Spaces.ArchitectureEncoding.OneHot));
    }

    [Fact]
    public void Bohb_picks_cells_by_density_ratio_over_their_features()
    {
        var b = Bench.Value;
        var space = new NbNlpSpace(b);
        var evaluator = new NbNlpTabularEvaluator(b);
        double Score(NbNlpCell c) => evaluator.Evaluate(c, new Fidelity(Epochs: 50)) is { Failed: false } e ? -e[Metrics.ValidPerplexity] : double.NaN;
        var sampler = new NasKit.Strategies.MultiFidelity.KdeSampler<NbNlpCell>(space);
        var rng = new Random(2);
        for (int i = 0; i < 80; i++) { var c = space.Sample(rng); var s = Score(c); sampler.Observe(c, 50, double.IsNaN(s) ? null : s); }
        Assert.Equal(50, sampler.ModelEpochs);
        double Median(IEnumerable<double> xs) { var a = xs.Where(double.IsFinite).Order().ToArray(); return a[a.Length / 2]; }
        double modelled = Median(Enumerable.Range(0, 300).Select(_ => Score(sampler.Sample(rng))));
        double uniform = Median(Enumerable.Range(0, 300).Select(_ => Score(space.Sample(rng))));
        Assert.True(modelled > uniform, $"median score of BOHB's cells {modelled:0.0} vs uniform {uniform:0.0}");
    }
}

public class NbNlpExtrapolationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// What the extrapolation achieves on these curves, measured: from half the curve it predicts the final loss better
    /// than the last value does; from 5 or 10 epochs it overshoots (reported in docs/measurements.md, not asserted away).
    /// </summary>
    [Fact]
    public void Extrapolating_half_the_curve_predicts_the_final_loss_better_than_its_last_value()
    {
        var rows = NbNlpBenchmarkEntry.Tables().ExtrapolationError([5, 10, 25]);
        foreach (var r in rows)
            output.WriteLine($"epoch {r.Epoch}: MAE extrapolated {r.ExtrapolationMae:0.0000} vs last value {r.LastValueMae:0.0000} nats; " +
                             $"Spearman {r.ExtrapolationSpearman:0.000} vs {r.LastValueSpearman:0.000} ({r.Runs} runs)");
        Assert.All(rows, r => Assert.True(double.IsFinite(r.ExtrapolationMae) && double.IsFinite(r.ExtrapolationSpearman)));
        var half = rows.Single(r => r.Epoch == 25);
        Assert.True(half.ExtrapolationMae < half.LastValueMae, $"from 25 epochs: {half.ExtrapolationMae} vs {half.LastValueMae}");
    }

}
