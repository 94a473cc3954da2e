using System.Globalization;
using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Estimation.Predictors;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.Reports.Studies;
using NasKit.SearchSpaces.Nb201;

namespace NasKit.Tests.Reports;

/// <summary>Zero-cost and predictor studies: manifests, runs, the τ the report states, and verification.</summary>
public class EstimationStudyTests
{
    private const string ZeroCost = """
        {
          "schema": "naskit-manifest/1",
          "name": "tiny-zc",
          "study": "zero-cost",
          "problems": [ { "id": "c10", "benchmark": "nb201", "dataset": "cifar10" } ],
          "proxies": ["synflow", "params", "flops"],
          "budget": { "queries": 8 },
          "batch-size": 16,
          "runs": 2,
          "seed": 4
        }
        """;

    private const string Predictors = """
        {
          "schema": "naskit-manifest/1",
          "name": "tiny-predictors",
          "study": "predictors",
          "problems": [ { "id": "c10", "benchmark": "nb201", "dataset": "cifar10" } ],
          "predictors": ["ridge-onehot", "ridge-path"],
          "budget": { "queries": 30 },
          "train-sizes": [10, 30],
          "test-size": 40,
          "runs": 2,
          "seed": 7
        }
        """;

    [Theory]
    [InlineData(ZeroCost, "\"flops\"]", "\"flopz\"]", "proxies names 'flopz', which is unknown; known:")]
    [InlineData(ZeroCost, "\"proxies\": [\"synflow\", \"params\", \"flops\"],", "", "\"proxies\" is missing or empty")]
    [InlineData(ZeroCost, "\"proxies\"", "\"strategies\": [\"random\"], \"proxies\"", "a zero-cost study does not read \"strategies\"")]
    [InlineData(ZeroCost, "{ \"queries\": 8 }", "{ \"queries\": 2 }", "at least 3 to rank anything")]
    [InlineData(ZeroCost, "\"batch-size\": 16", "\"batch-size\": 16, \"data\": \"imagenet\"", "data 'imagenet' is unknown; use one of cifar10-subset, fashion-mnist")]
    [InlineData(Predictors, "[10, 30]", "[10, 20]", "train-sizes must include budget.queries (30)")]
    [InlineData(Predictors, "[10, 30]", "[1, 30]", "train-sizes must be whole numbers from 2 to budget.queries (30)")]
    [InlineData(Predictors, "\"test-size\": 40", "\"test-size\": 40, \"proxies\": [\"synflow\"]", "a predictors study does not read \"proxies\"")]
    [InlineData(Predictors, "\"ridge-path\"", "\"ridge-path\", \"ridge-path\"", "predictors names a method twice")]
    [InlineData(Predictors, "\"study\": \"predictors\",", "", "a search study does not read \"predictors\"")]
    public void Estimation_studies_check_their_own_fields(string manifest, string from, string to, string expected)
    {
        Assert.Contains(from, manifest);
        var path = Path.Combine(Path.GetTempPath(), $"naskit-manifest-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, manifest.Replace(from, to));
        try { Assert.Contains(expected, Assert.Throws<FormatException>(() => ManifestRunner.Load(path)).Message); }
        finally { File.Delete(path); }
    }

    [Theory]
    // LCBench's hyperparameter space builds no networks; NAS-Bench-NLP's cells have no encoding a ridge regression reads.
    [InlineData(ZeroCost, "\"benchmark\": \"nb201\", \"dataset\": \"cifar10\"", "\"benchmark\": \"lcbench\", \"task\": \"3945\"", "problem 'c10': Benchmark 'lcbench' has a space")]
    [InlineData(Predictors, "\"benchmark\": \"nb201\", \"dataset\": \"cifar10\"", "\"benchmark\": \"nbnlp\"", "problem 'c10': predictor 'ridge-onehot' cannot work on its space (nbnlp)")]
    [InlineData(Predictors, "\"test-size\": 40", "\"test-size\": 15600", "15,625 architectures; 30 for training plus 15600 held out do not fit")]
    public void A_problem_that_cannot_host_the_study_is_refused_before_anything_runs(string manifest, string from, string to, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("naskit-estimation-");
        try
        {
            var m = ExperimentManifest.Parse(manifest.Replace(from, to));
            var e = Assert.Throws<ArgumentException>(() => ManifestRunner.Run(m, dir.FullName));
            Assert.Contains(expected, e.Message);
            Assert.Empty(dir.EnumerateFileSystemInfos()); // refused before the folder was written to
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void An_estimation_study_refuses_a_storage_it_would_not_use()
    {
        using var temp = new TempFolder("naskit-estimation-");
        var dir = temp.Path;
        var e = Assert.Throws<ArgumentException>(() => ManifestRunner.Run(ExperimentManifest.Parse(ZeroCost), dir,
            new StudyHooks { Storage = Path.Combine(dir, "studies.db") }));
        Assert.Contains("A zero-cost study keeps its results in the results folder only", e.Message);
    }

    [Fact]
    public void A_zero_cost_study_ranks_each_proxy_against_the_benchmark_and_verifies()
    {
        using var temp = new TempFolder("naskit-zc-");
        var dir = temp.Path;
        var m = ExperimentManifest.Parse(ZeroCost);
        var record = ManifestRunner.Run(m, dir);
        var p = Assert.Single(record.Problems);
        Assert.Equal("test_acc", p.Estimation!.Truth);
        var rows = TrialTable.Read(Path.Combine(dir, p.Trials));
        Assert.Equal(3 * 2 * 8, rows.Count);

        // Run r scores the seeded sample 'naskit zerocost --seed 4+r' scores, and the truth is NB201's table.
        var bench = Nb201Benchmark.Load();
        for (int run = 0; run < 2; run++)
        {
            var cells = ZeroCostStudy.Sample(bench, 8, m.Seed + run);
            var synflow = rows.Where(r => r.Strategy == "synflow" && r.Run == run).OrderBy(r => r.Trial).ToArray();
            Assert.Equal(cells.Select(c => c.ToText()), synflow.Select(r => r.Architecture));
            Assert.Equal(cells.Select(c => bench.TestAccuracy(c)), synflow.Select(r => r.Outcome));
        }
        // params counts the network's parameters: the same cell, the same count, whatever the run.
        foreach (var g in rows.Where(r => r.Strategy == "params").GroupBy(r => r.Architecture))
            Assert.Single(g.Select(r => r.Signal).Distinct());

        var report = SearchStudyReport.Load(dir);
        Assert.True(report.IsEstimation);
        var section = Assert.Single(report.Problems);
        foreach (var method in section.Methods)
        {
            var taus = rows.Where(r => r.Strategy == method.Strategy).GroupBy(r => r.Run).OrderBy(g => g.Key)
                .Select(g => RankCorrelation.KendallTauB(g.Select(r => r.Signal).ToArray(), g.Select(r => r.Outcome).ToArray())).ToArray();
            Assert.Equal(taus, section.RunOutcomes[method.Strategy]);
            Assert.Equal(Statistics.Mean(taus), method.Mean, 12);
        }
        Assert.Equal(3, section.Tests.Count);
        Assert.Equal(8, section.Scatter!["synflow"].Rank.Length);
        Assert.True(Verification.Verify(dir, report, 2).Identical);

        var html = HtmlReport.Render(report, "/* plotly */");
        Assert.Contains("Plotly.newPlot('scatter-c10'", html);
        Assert.Contains("Kendall τ is 0 in expectation", html);
        Assert.DoesNotContain("Anytime performance", html); // a zero-cost score has no budget axis
        var md = MarkdownReport.Render(report);
        var best = section.Methods[0];
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"| {best.Strategy} | {best.Mean:0.000} ± {best.Std:0.000} |"), md);
    }

    [Fact]
    public void A_predictor_study_gives_the_tau_of_the_predictor_protocol_at_every_training_size()
    {
        using var temp = new TempFolder("naskit-predictors-");
        var dir = temp.Path;
        var m = ExperimentManifest.Parse(Predictors);
        var record = ManifestRunner.Run(m, dir);
        var report = SearchStudyReport.Load(dir);
        var section = Assert.Single(report.Problems);

        // The same protocol through PredictorStudy (the one 'naskit predictors' runs): the same τ, seed by seed.
        var bench = Nb201Benchmark.Load();
        var makers = PredictorStudy.Makers(bench.Space, Catalog<IPredictorFactory>.Parse("ridge-onehot,ridge-path"), null);
        var fits = PredictorStudy.Run(bench.Cells, c => bench.TestAccuracy(c), makers, [10, 30], seeds: 2, testSize: 40, firstSeed: m.Seed);
        foreach (var method in new[] { "ridge-onehot", "ridge-path" })
        {
            var expected = fits.Where(f => f.Predictor == method && f.TrainSize == 30).OrderBy(f => f.Seed).Select(f => f.Kendall).ToArray();
            Assert.Equal(expected, section.RunOutcomes[method]);
            var curve = section.Anytime.Single(a => a.Strategy == method);
            Assert.Equal([10.0, 30.0], curve.Budget);
            var at10 = fits.Where(f => f.Predictor == method && f.TrainSize == 10).Select(f => f.Kendall).Order().ToArray();
            Assert.Equal(Statistics.Quantile(at10, 0.5), curve.Median[0], 12);
        }
        Assert.True(Verification.Verify(dir, report, 2).Identical);
        Assert.Contains("Plotly.newPlot('curve-c10'", HtmlReport.Render(report, "/* plotly */"));
    }
}
