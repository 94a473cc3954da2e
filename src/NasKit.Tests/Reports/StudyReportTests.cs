using System.Globalization;
using System.Text.Json.Nodes;
using NasKit.Analysis;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.Reports.Studies;

namespace NasKit.Tests.Reports;

public class StudyReportTests
{
    private const string Valid = """
        {
          "schema": "naskit-manifest/1",
          "name": "tiny",
          "problems": [
            { "id": "c10", "label": "NB201 CIFAR-10", "benchmark": "nb201", "dataset": "cifar10" },
            { "id": "c100", "label": "NB201 CIFAR-100", "benchmark": "nb201", "dataset": "cifar100" }
          ],
          "strategies": ["random", "local-search"],
          "budget": { "queries": 20 },
          "runs": 3,
          "seed": 5
        }
        """;

    [Theory]
    [InlineData("\"runs\": 3,", "\"runs\": 3, \"rnus\": 4,", "'rnus'")]
    [InlineData("\"schema\": \"naskit-manifest/1\",", "", "missing required properties")]
    [InlineData("\"random\", \"local-search\"", "\"random\", \"annealing\"", "strategy 'annealing' is unknown; known:")]
    [InlineData("\"benchmark\": \"nb201\", \"dataset\": \"cifar10\"", "\"benchmark\": \"nb999\"", "problems[0].benchmark 'nb999' is unknown")]
    [InlineData("{ \"queries\": 20 }", "{ \"queries\": 20, \"epochs\": 100 }", "exactly one of \"queries\" and \"epochs\"")]
    [InlineData("\"runs\": 3,", "\"runs\": 1,", "at least 2 seeded runs")]
    [InlineData("\"runs\": 3,", "\"runs\": \"three\",", "$.runs")]
    [InlineData("naskit-manifest/1", "naskit-manifest/9", "this NasKit reads 'naskit-manifest/1'")]
    [InlineData("\"id\": \"c100\",", "\"id\": \"c10\",", "two problems have the id 'c10'")]
    [InlineData("\"random\", \"local-search\"", "\"random\", \"rea:population=0\"", "strategy 'rea:population=0': Strategy 'rea': population must be at least 1, got 0.")]
    [InlineData("\"random\", \"local-search\"", "\"random\", \"rea:pop=3\"", "Strategy 'rea' has no setting 'pop'; it takes population, sample-size.")]
    [InlineData("\"random\", \"local-search\"", "\"random:seed=3\", \"local-search\"", "Strategy 'random' takes no settings")]
    [InlineData("\"random\", \"local-search\"", "\"rea:population=20\", \"rea:population=twenty\"", "population=twenty is not a whole number")]
    [InlineData("\"random\", \"local-search\"", "\"rea:population=20,sample-size=4\", \"rea:sample-size=4,population=20\"", "a strategy is named twice")]
    public void Manifest_errors_name_the_field_and_what_to_do(string from, string to, string expected)
    {
        Assert.Contains(from, Valid);
        var e = Assert.Throws<FormatException>(() => ExperimentManifest.Parse(Valid.Replace(from, to), "m.json"));
        Assert.StartsWith("m.json: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    private const string Pareto = """
        {
          "schema": "naskit-manifest/1",
          "name": "tiny-pareto",
          "study": "pareto",
          "problems": [ { "id": "c10", "benchmark": "nb201", "dataset": "cifar10" } ],
          "strategies": ["random", "nsga2"],
          "objectives": ["test_acc", "pixel3_latency"],
          "budget": { "queries": 20 },
          "runs": 2,
          "seed": 3
        }
        """;

    [Theory]
    [InlineData(Pareto, "\"nsga2\"]", "\"rea\"]", "strategy 'rea' optimises one objective; a pareto study takes random, nsga2")]
    [InlineData(Pareto, "[\"test_acc\", \"pixel3_latency\"]", "[\"test_acc\"]", "needs \"objectives\" with two metrics")]
    [InlineData(Pareto, "{ \"queries\": 20 }", "{ \"epochs\": 20 }", "budget is in \"queries\"")]
    [InlineData(Pareto, "\"study\": \"pareto\"", "\"study\": \"ablation\"", "study 'ablation' is unknown; known: search, pareto")]
    [InlineData(Valid, "\"seed\": 5", "\"seed\": 5, \"objectives\": [\"test_acc\", \"pixel3_latency\"]", "belong to multi-objective studies")]
    [InlineData(Valid, "\"local-search\"", "\"nsga2\"", "strategy 'nsga2' is multi-objective")]
    [InlineData(Valid, "\"local-search\"", "\"hyperband\"", "give the budget in \"epochs\"")]
    public void Study_kinds_check_their_own_fields(string manifest, string from, string to, string expected)
    {
        Assert.Contains(from, manifest);
        var path = Path.Combine(Path.GetTempPath(), $"naskit-manifest-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, manifest.Replace(from, to));
        try { Assert.Contains(expected, Assert.Throws<FormatException>(() => ManifestRunner.Load(path)).Message); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_pareto_study_records_hypervolume_against_the_true_front_and_verifies()
    {
        using var temp = new TempFolder("naskit-pareto-");
        var dir = temp.Path;
        var m = ExperimentManifest.Parse(Pareto);
        var record = ManifestRunner.Run(m, dir);
        var p = Assert.Single(record.Problems);
        Assert.Equal(["test_acc (max)", "pixel3_latency (min)"], p.Objectives!);
        Assert.NotEmpty(p.TrueFront!);
        // The true front: no point dominates another, and accuracy rises with latency along it.
        Assert.True(p.TrueFront!.Zip(p.TrueFront!.Skip(1)).All(x => x.First[0] < x.Second[0] && x.First[1] < x.Second[1]));
        var rows = TrialTable.Read(Path.Combine(dir, p.Trials));
        foreach (var run in rows.GroupBy(r => (r.Strategy, r.Run)))
        {
            var hv = run.OrderBy(r => r.Trial).Select(r => r.BestOutcomeSoFar).ToArray();
            Assert.Equal(20, hv.Length);
            Assert.True(hv.Zip(hv.Skip(1)).All(x => x.Second >= x.First), "hypervolume never falls as a run queries more");
            Assert.InRange(hv[^1], 0, p.Optimum!.Value + 1e-9);
        }
        var report = SearchStudyReport.Load(dir);
        Assert.Equal(2, report.Problems[0].MedianFronts!.Count);
        Assert.True(Verification.Verify(dir, report, 2).Identical);
        var html = HtmlReport.Render(report, "/* plotly */");
        Assert.Contains("Plotly.newPlot('front-c10'", html);
    }

    [Fact]
    public void A_second_writer_into_the_same_results_folder_is_refused()
    {
        using var temp = new TempFolder("naskit-lock-");
        var dir = temp.Path;
        var m = ExperimentManifest.Parse(Pareto);
        // A run in progress holds the folder's lock (as 'naskit run' does while it writes, and every other command
        // writing there would: the folder is one output).
        using (OutputLock.Acquire(dir))
        {
            var e = Assert.Throws<IOException>(() => ManifestRunner.Run(m, dir));
            Assert.Contains($"Another naskit process is writing {dir}", e.Message);
            Assert.False(File.Exists(Path.Combine(dir, RunRecord.ManifestFileName)), "nothing is written beside a running writer");
        }
        Assert.Single(ManifestRunner.Run(m, dir).Problems); // once it is gone, the run proceeds
    }

    [Fact]
    public void Runs_kept_in_an_sqlite_storage_give_the_tables_of_runs_in_memory()
    {
        using var temp = new TempFolder("naskit-storage-");
        var dir = temp.Path;
        var m = ExperimentManifest.Parse(Valid);
        ManifestRunner.Run(m, Path.Combine(dir, "memory"));
        var db = Path.Combine(dir, "studies.db");
        var record = ManifestRunner.Run(m, Path.Combine(dir, "sqlite"), new StudyHooks { Storage = db });
        Assert.Equal($"SQLite {db}", record.Storage);
        foreach (var p in record.Problems)
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "memory", p.Trials)), File.ReadAllBytes(Path.Combine(dir, "sqlite", p.Trials)));
        // Every run is a study of its own in the storage, named by manifest, hash, problem, strategy and seed.
        using var queue = NasKit.Execution.TrialQueues.Open(db, readOnly: true);
        Assert.Equal(2 * 2 * 3, queue.Studies().Count);
        Assert.Contains(queue.Studies(), s => s.Name == $"tiny/{m.Sha256[..12]}/c100/local-search-7");
    }

    [Fact]
    public void Strategy_settings_make_methods_of_their_own_and_conflicts_fail_before_anything_runs()
    {
        using var temp = new TempFolder("naskit-settings-");
        var dir = temp.Path;
        var m = ExperimentManifest.Parse(Valid.Replace("\"random\", \"local-search\"", "\"rea\", \"rea:sample-size=5,population=20\""));
        var record = ManifestRunner.Run(m, dir);
        var report = SearchStudyReport.Load(dir);
        Assert.Equal(["rea", "rea:population=20,sample-size=5"], report.Methods);
        // The configured factory builds the strategy with its settings: the same trials as REA(P=20, S=5) by hand.
        var rows = TrialTable.Read(Path.Combine(dir, record.Problems[0].Trials));
        var bench = NasKit.SearchSpaces.Nb201.Nb201Benchmark.Load();
        var protocol = new QueryBudgetProtocol<NasKit.SearchSpaces.Nb201.Nb201Cell>
        {
            Space = bench.Space, Evaluator = new NasKit.SearchSpaces.Nb201.Nb201TabularEvaluator(bench), Queries = 20, Parallelism = 1,
        };
        var byHand = protocol.RunOne(new NasKit.Strategies.RegularizedEvolutionFactory { Population = 20, SampleSize = 5 }, 0, m.Seed);
        Assert.Equal(byHand.Trials.Select(t => t.Architecture.ToText()),
                     rows.Where(r => r.Strategy == "rea:population=20,sample-size=5" && r.Run == 0).OrderBy(r => r.Trial).Select(r => r.Architecture));
        Assert.True(Verification.Verify(dir, report, 2).Identical);

        var conflict = ExperimentManifest.Parse(Valid.Replace("\"random\", \"local-search\"", "\"rea:population=2,sample-size=3\""));
        var e = Assert.Throws<ArgumentException>(() => ManifestRunner.Run(conflict, Path.Combine(dir, "conflict")));
        Assert.Contains("strategy 'rea:population=2,sample-size=3': Need 1 <= sample size (3) <= population size (2)", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir, "conflict")));
    }

    [Fact]
    public void Manifest_hash_is_of_its_exact_text()
    {
        var a = ExperimentManifest.Parse(Valid);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Valid))), a.Sha256);
        Assert.NotEqual(a.Sha256, ExperimentManifest.Parse(Valid.Replace("\"seed\": 5", "\"seed\": 6")).Sha256);
    }

    [Fact]
    public void Cliques_join_methods_closer_than_the_critical_difference()
    {
        // Demšar's example (ranks sorted 1.964, 2.000, 2.893, 3.143): at α = 0.05 (CD 1.25) no pair differs; at α = 0.10
        // (CD 1.12) C4.5 (3.143) differs from C4.5+m+cf and C4.5+m, so two groups remain.
        double[] ranks = [1.964, 2.000, 2.893, 3.143];
        Assert.Equal([(0, 3)], CriticalDifferenceDiagram.Cliques(ranks, CriticalDifference.NemenyiCd(4, 14, 0.05)));
        Assert.Equal([(0, 2), (2, 3)], CriticalDifferenceDiagram.Cliques(ranks, CriticalDifference.NemenyiCd(4, 14, 0.10)));
        Assert.Empty(CriticalDifferenceDiagram.Cliques([1, 2, 3], 0.5));
    }

    [Fact]
    public void Run_report_and_verify_end_to_end()
    {
        using var temp = new TempFolder("naskit-report-");
        var dir = temp.Path;
        var manifest = Path.Combine(dir, "tiny.json");
        File.WriteAllText(manifest, Valid);
        var results = Path.Combine(dir, "results");
        var run = CliRunner.Run("run", manifest, "--out", results);
        Assert.True(run.Code == 0, run.Err);
        var record = RunRecord.Read(results)!;
        Assert.Equal(["c10", "c100"], record.Problems.Select(p => p.Id));
        // The best 200-epoch CIFAR-10 test accuracy in NB201 (Dong & Yang 2020, Table 5: 94.37).
        Assert.Equal(94.37, record.Problems[0].Optimum!.Value, 0.01);
        Assert.Contains(record.DataFiles, f => f.Path.Contains("nasbench201") && f.Sha256.Length == 64);

        // A second run resumes: nothing is redone. Another manifest into the same folder is refused.
        var again = CliRunner.Run("run", manifest, "--out", results);
        Assert.Equal(0, again.Code);
        Assert.Contains("done earlier", again.Err);
        File.WriteAllText(manifest, Valid.Replace("\"seed\": 5", "\"seed\": 6"));
        var other = CliRunner.Run("run", manifest, "--out", results);
        Assert.Equal(2, other.Code);
        Assert.Contains("results of a different manifest", other.Err);

        var html = Path.Combine(dir, "report.html");
        var md = Path.Combine(dir, "report.md");
        var report = CliRunner.Run("report", results, "--out", html, "--markdown", md, "--verify", "2");
        Assert.True(report.Code == 0, report.Err);
        Assert.Contains("verify: identical: 4 recorded runs (80 trials)", report.Out);
        var page = File.ReadAllText(html);
        Assert.DoesNotContain("<script src", page); // self-contained: plotly.js is inside
        Assert.Contains("Plotly.newPlot('anytime-c10'", page);
        Assert.Contains("Friedman", page);
        Assert.Contains("Lindauer", page);

        // The methods table states each method's mean over its runs' final incumbents, computed here from the trials.
        var rows = TrialTable.Read(Path.Combine(results, "c10.csv"));
        foreach (var strategy in new[] { "random", "local-search" })
        {
            var finals = rows.Where(r => r.Strategy == strategy).GroupBy(r => r.Run).Select(g => g.OrderBy(r => r.Trial).Last().BestOutcomeSoFar).ToArray();
            Assert.Equal(3, finals.Length);
            var cell = string.Create(CultureInfo.InvariantCulture, $"<td>{strategy}</td><td>{Statistics.Mean(finals):0.00} ± {Statistics.Std(finals):0.00}</td>");
            Assert.Contains(cell, page);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"| {strategy} | {Statistics.Mean(finals):0.00} ± {Statistics.Std(finals):0.00} |"), File.ReadAllText(md));
        }
        // Two methods over two benchmarks: Nemenyi's CD is q(2) sqrt(2*3/(6*2)).
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"CD = {1.959964 * Math.Sqrt(0.5):0.00}"), page);

        // Numbers changed after the run are caught by --verify, with a non-zero exit code.
        var path = Path.Combine(results, "c100.csv");
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int signal = Array.IndexOf(header, "Signal");
        File.WriteAllLines(path, lines.Select((l, i) =>
        {
            if (i == 0) return l;
            var cells = l.Split(',');
            cells[signal] = (double.Parse(cells[signal], CultureInfo.InvariantCulture) + 0.001).ToString("R", CultureInfo.InvariantCulture);
            return string.Join(',', cells);
        }));
        var tampered = CliRunner.Run("report", results, "--out", html, "--verify", "1");
        Assert.Equal(1, tampered.Code);
        Assert.Contains("NOT identical", tampered.Out);
    }

    [Fact]
    public void Report_of_an_unfinished_or_foreign_folder_says_what_to_do()
    {
        using var temp = new TempFolder("naskit-report-");
        var dir = temp.Path;
        var r = CliRunner.Run("report", dir);
        Assert.Equal(2, r.Code);
        Assert.Contains("is not the results folder of 'naskit run'", r.Err);
        File.WriteAllText(Path.Combine(dir, RunRecord.ManifestFileName), Valid);
        r = CliRunner.Run("report", dir);
        Assert.Equal(2, r.Code);
        Assert.Contains("has not finished a problem there yet", r.Err);
        r = CliRunner.Run("run", Path.Combine(dir, "missing.json"));
        Assert.Equal(2, r.Code);
        Assert.Contains("does not exist", r.Err);
    }
}
