using System.Globalization;

namespace NasKit.Tests.Cli;

public class CliTests
{
    [Fact]
    public void Show_prints_the_benchmark_row_of_a_cell()
    {
        var (code, stdout, _) = CliRunner.Run("nb201", "show", "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        Assert.Equal(0, code);
        Assert.Contains("index:       6111", stdout);
        Assert.Contains("1073466 built, 1073466 analytic", stdout);
        Assert.Contains("Cifar10         200 epochs: valid 91.61  test 94.37", stdout);
    }

    [Fact]
    public void A_malformed_cell_is_a_clear_error_and_a_non_zero_exit()
    {
        var (code, stdout, stderr) = CliRunner.Run("nb201", "show", "|nor_conv_3x3~0|+|nor_conv_5x5~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("error: Malformed architecture", stderr);
        Assert.Contains("unknown op 'nor_conv_5x5' on edge 0->2", stderr);
    }

    [Fact]
    public void Bad_options_exit_non_zero()
    {
        Assert.NotEqual(0, CliRunner.Run("nb201", "params", "--sample", "abc").Code);
        Assert.NotEqual(0, CliRunner.Run("nb201", "params", "--sample", "-3").Code);
        Assert.NotEqual(0, CliRunner.Run("nosuchcommand").Code);
    }

    [Theory]
    [InlineData("Unknown strategy 'nope'", "search", "--strategy", "nope", "--runs", "1")]
    [InlineData("--queries must be >= 1, got 0", "search", "--queries", "0")]
    [InlineData("use a .csv or .parquet file name", "search", "--out", "x.xlsx")]
    [InlineData("Unknown strategy 'nope'", "pareto", "--strategy", "nope", "--runs", "1")]
    [InlineData("Unknown objective metric(s) pixel9_latency", "pareto", "--objectives", "test_acc,pixel9_latency")]
    [InlineData("must look like metric<=value", "pareto", "--constraint", "pixel3_latency=5")]
    [InlineData("unknown knob 'lr'", "proxies", "--proxies", "x:lr=0.1")]
    [InlineData("Unknown data set 'mnist'", "proxies", "--data", "mnist", "--sample", "3")]
    [InlineData("used twice in --proxies", "proxies", "--proxies", "a:epochs=1;a:epochs=2", "--sample", "3")]
    [InlineData("Unknown device 'bogus'", "latency", "--device", "bogus")]
    [InlineData("Unknown zero-cost proxy 'synflo'. Known: grad_norm, snip", "zerocost", "--proxy", "synflo", "--sample", "3")]
    [InlineData("validates proxies against published NB201 scores, which only NB201 has; space 'darts' has none", "zerocost", "--space", "darts")]
    [InlineData("Unknown space 'nas101'. Known: nb201, darts", "latency", "--space", "nas101")]
    [InlineData("--sample must be 3..15625, got 2", "zerocost", "--sample", "2")]
    [InlineData("Unknown predictor 'xgb'", "predictors", "--predictors", "xgb")]
    [InlineData("'ten' is not a whole number", "predictors", "--train-sizes", "20,ten")]
    [InlineData("Unknown predictor 'xgb'", "search", "--strategy", "bananas", "--predictor", "xgb", "--runs", "1")]
    [InlineData("Unknown space 'nas101'. Known: nb201, darts", "darts", "--space", "nas101")]
    [InlineData("--order must be 1..2, got 3", "darts", "--order", "3", "--train-images", "64")]
    [InlineData("must divide the 6 channels", "darts", "--partial-channels", "4", "--channels", "6", "--train-images", "64", "--batch", "16")]
    [InlineData("--epochs must be >= 1, got 0", "gdas", "--epochs", "0")]
    [InlineData("Space 'darts' has no weight-sharing supernet. Spaces that have one: nb201", "oneshot", "--space", "darts")]
    [InlineData("needs two inputs per node", "genotype", "Genotype(normal=[('sep_conv_3x3', 0)], normal_concat=[2], reduce=[], reduce_concat=[2])")]
    [InlineData("must be at least the population", "oneshot", "--evaluations", "5", "--population", "10", "--train-images", "64")]
    [InlineData("No benchmark covers space 'darts'; give --evaluator", "search", "--space", "darts", "--runs", "1")]
    [InlineData("--epochs is required with an evaluator that trains", "search", "--space", "darts", "--evaluator", "train", "--runs", "1")]
    [InlineData("Evaluator 'train' has no argument(s) colour", "search", "--evaluator", "train:colour=blue", "--epochs", "1", "--runs", "1")]
    [InlineData("Unknown evaluator 'nope'. Known: nb201, train", "search", "--evaluator", "nope", "--epochs", "1", "--runs", "1")]
    [InlineData("Benchmark 'nb201' covers space 'nb201', not 'darts'", "search", "--space", "darts", "--benchmark", "nb201", "--runs", "1")]
    [InlineData("Unknown strategy 'nsga3'. Known: random, rea", "study", "run", "--storage", "x.db", "--study", "s", "--strategy", "nsga3")]
    [InlineData("transfer needs at least two", "transfer", "--tasks", "nb201:dataset=cifar10")]
    [InlineData("cannot say which weights a child shares with its parent; use --benchmark nb201", "inherit", "--benchmark", "nasbench-macro")]
    [InlineData("--parents must be >= 2, got 1", "inherit", "--parents", "1")]
    [InlineData("Strategy 'rea' has no setting 'pop'; it takes population, sample-size", "search", "--strategy", "random;rea:pop=3", "--runs", "1")]
    [InlineData("a NASNet genotype is 'normal: ...; reduce: ...'", "nasnet", "params", "normal: foo~0")]
    [InlineData("covers another space than 'nb201'", "transfer", "--tasks", "nb201;nasbench-macro", "--runs", "0")]
    [InlineData("--top '5' is not a fraction in (0, 1)", "transfer", "--top", "5")]
    [InlineData("whose architectures cannot be built", "proxies", "--benchmark", "nbnlp", "--sample", "3")]
    [InlineData("--tables compares NB201's 12- and 200-epoch tables", "proxies", "--benchmark", "nasbench-macro", "--tables")]
    [InlineData("Unknown zero-cost proxy 'synflo'. Known: grad_norm, snip", "proxies", "--sample", "3", "--zero-cost", "synflo")]
    [InlineData("--tables trains none", "proxies", "--tables", "--zero-cost", "all")]
    [InlineData("No zero-cost proxy named", "proxies", "--sample", "3", "--zero-cost", ",")]
    [InlineData("decision 'width' has no option '100'", "lm", "train", "--arch", "layers=1, width=100, attention=full, position=learned, dropout=0, l1.heads=4, l1.mlp=4")]
    [InlineData("give a path ending in .csv", "lm", "train", "--iterations", "1", "--out", "curve.txt")]
    [InlineData("--iterations must be >= 1, got 0", "lm", "train", "--iterations", "0")]
    [InlineData("give a path ending in .csv", "lm", "proxies", "--out", "p.parquet")]
    [InlineData("--sample must be >= 3, got 2", "lm", "proxies", "--sample", "2")]
    [InlineData("'imdb' is not a sentence classification task", "textcls", "train", "--data", "imdb", "--epochs", "1")]
    [InlineData("decision 'width' has no option '100'", "textcls", "train", "--arch", "layers=1, embed=300, width=100, readout=max, dropout=0.5, l1.op=conv345, l1.skip=none")]
    [InlineData("give a path ending in .csv", "textcls", "train", "--epochs", "1", "--out", "curve.txt")]
    [InlineData("--epochs must be >= 1, got 0", "textcls", "train", "--epochs", "0")]
    [InlineData("max-params=-5 must be a whole number", "search", "--space", "textcls", "--evaluator", "textcls:max-params=-5", "--epochs", "1", "--runs", "1")]
    [InlineData("Evaluator 'lm' has no argument(s) N", "search", "--space", "transformer", "--evaluator", "lm", "--cells", "2", "--epochs", "1", "--runs", "1")]
    [InlineData("data=wikitext is not a corpus NasKit knows", "search", "--space", "transformer", "--evaluator", "lm:data=wikitext", "--epochs", "1", "--runs", "1")]
    [InlineData("No speaker 'bob' in the corpus; speakers: george", "kws", "train", "--split", "speaker:bob", "--epochs", "1")]
    [InlineData("Unknown split 'random': use official, speaker:NAME", "kws", "train", "--split", "random", "--epochs", "1")]
    [InlineData("Unknown features 'wavelet': use mfcc or logmel", "kws", "train", "--features", "wavelet", "--epochs", "1")]
    [InlineData("decision 'stem.width' has no option '20'", "kws", "train", "--arch", "stem.kernel=3x3, stem.stride=1x1, stem.width=20, layers=1, l1.op=conv, l1.kernel=3, l1.stride=1, l1.width=16, l1.pool=none")]
    [InlineData("give a path ending in .csv", "kws", "train", "--epochs", "1", "--out", "runs.txt")]
    [InlineData("--epochs must be >= 1, got 0", "kws", "train", "--epochs", "0")]
    [InlineData("No recording '3_bob_1' in FSDD", "kws", "features", "--recording", "3_bob_1")]
    [InlineData("Unknown split 'all'", "search", "--space", "kws", "--evaluator", "kws:split=all", "--epochs", "1", "--runs", "1")]
    [InlineData("image-energy=2 must be a number in [0, 0.999]", "search", "--space", "fusion", "--evaluator", "fusion:image-energy=2", "--epochs", "1", "--runs", "1")]
    [InlineData("max-latency=0 must be a number in", "search", "--space", "kws", "--evaluator", "kws:max-latency=0", "--epochs", "1", "--runs", "1")]
    [InlineData("--image-energy must lie in [0, 1), got 1", "fusion", "compare", "--image-energy", "1")]
    [InlineData("give a path ending in .csv", "fusion", "compare", "--out", "fusion.parquet")]
    [InlineData("--queries must be >= 1, got 0", "fusion", "compare", "--queries", "0")]
    [InlineData("Matrix factorisation takes 2, 4, 8, 16, 32, 64 factors here, got 7", "movielens", "baselines", "--factors", "7")]
    [InlineData("--factors: 'eight' is not a number", "movielens", "baselines", "--factors", "eight")]
    [InlineData("decision 'user' has no option '3'", "movielens", "train", "--arch", "user=3, movie=8, genres=none, interaction=dot")]
    [InlineData("give a path ending in .csv", "movielens", "baselines", "--out", "baselines.parquet")]
    [InlineData("--l2 must be >= 0", "movielens", "train", "--arch", "mf:8", "--l2", "-1")]
    [InlineData("--by rmse: use outcome or signal", "movielens", "front", "--in", "x.csv", "--by", "rmse")]
    [InlineData("the training loss became", "movielens", "train", "--arch", "mf:2", "--lr", "1e9", "--epochs", "1", "--seeds", "1")]
    [InlineData("--alpha -1: give a positive Dirichlet concentration (0.1, 0.5), iid or central", "federated", "shards", "--alpha", "-1")]
    [InlineData("--noise needs --clip", "federated", "search", "--noise", "0.5", "--rounds", "1")]
    [InlineData("--method enas: use darts or gdas", "federated", "search", "--method", "enas")]
    [InlineData("cannot give 5000 clients", "federated", "shards", "--clients", "5000", "--train-images", "1000")]
    [InlineData("give a path ending in .csv", "federated", "fedavg", "--arch", "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|", "--out", "rounds.json")]
    [InlineData("lr=0 must be a number in", "search", "--space", "recommendation", "--evaluator", "movielens:lr=0", "--epochs", "1", "--runs", "1")]
    [InlineData("the first is the signal", "search", "--benchmark", "nb201", "--objectives", "params_m<=1,valid_acc", "--runs", "1")]
    [InlineData("at least one more objective", "search", "--benchmark", "nb201", "--objectives", "valid_acc", "--runs", "1")]
    [InlineData("leave out --fidelities", "search", "--benchmark", "nb201", "--objectives", "valid_acc,params_m", "--budget-epochs", "100", "--runs", "1")]
    [InlineData("does not report 'cpu_latency'", "search", "--benchmark", "nb201", "--objectives", "valid_acc,cpu_latency", "--strategy", "nsga2", "--queries", "5", "--runs", "1")]
    public void New_commands_refuse_bad_input_with_a_clear_error(string expected, params string[] args)
    {
        var (code, _, stderr) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr); // a message, not a stack trace
    }

    [Fact]
    public void Search_with_objectives_prints_a_front_no_trial_of_it_dominates_and_records_them()
    {
        using var temp = new TempFolder("naskit-mo");
        var dir = temp.Path;
        var output = Path.Combine(dir, "trials.csv");
        var (code, stdout, stderr) = CliRunner.Run("search", "--benchmark", "nb201", "--objectives", "valid_acc,pixel3_latency", "--strategy", "nsga2,random",
            "--queries", "40", "--runs", "2", "--seed", "0", "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("front of valid_acc vs pixel3_latency", stdout);
        Assert.DoesNotContain("note:", stderr); // both strategies weigh every objective (random ignores them all)
        var rows = NasKit.Reports.TrialTable.Read(output);
        Assert.Equal(160, rows.Count);
        foreach (var strategy in new[] { "nsga2", "random" })
        {
            var points = rows.Where(r => r.Strategy == strategy).Select(r => r.ObjectiveValues().Select(v => v.Value).ToArray()).ToArray();
            // The front as printed: (accuracy, latency) pairs under this strategy's heading, up to the next strategy.
            var block = stdout[stdout.IndexOf($"{strategy}: ", StringComparison.Ordinal)..];
            var printed = System.Text.RegularExpressions.Regex.Matches(block.Split("\n" + (strategy == "nsga2" ? "random" : "\0"))[0], @"valid_acc=([\d.]+) pixel3_latency=([\d.]+)")
                .Select(m => (Acc: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Lat: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToArray();
            Assert.NotEmpty(printed);
            foreach (var (acc, lat) in printed)
                Assert.DoesNotContain(points, p => p[0] > acc + 1e-3 && p[1] < lat - 1e-3); // printed to 4 decimals
            // Every trial off the front is dominated by (or equal to) a printed point.
            Assert.All(points, p => Assert.Contains(printed, f => f.Acc >= p[0] - 1e-3 && f.Lat <= p[1] + 1e-3));
        }
    }

    [Fact]
    public void A_single_objective_strategy_in_a_multi_objective_search_is_named_as_such()
    {
        var (code, stdout, stderr) = CliRunner.Run("search", "--benchmark", "nb201", "--objectives", "valid_acc,pixel3_latency", "--strategy", "rea",
            "--queries", "10", "--runs", "1", "--seed", "0");
        Assert.True(code == 0, stderr);
        Assert.Contains("note: rea optimises valid_acc alone", stderr);
        Assert.Contains("multi-objective: nsga2", stderr);
        Assert.Contains("front of valid_acc vs pixel3_latency", stdout);
    }

    [Fact]
    public void Proxies_write_each_measurement_as_it_finishes_and_a_rerun_trains_only_what_is_missing()
    {
        using var temp = new TempFolder("naskit-proxies");
        var dir = temp.Path;
        var output = Path.Combine(dir, "proxies.csv");
        string[] args = ["proxies", "--sample", "3", "--seed", "1", "--channels", "4", "--batch", "64", "--proxies", "tiny:epochs=1,res=8,data=0.05", "--out", output];
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        var lines = File.ReadAllLines(output);
        Assert.Equal(2 + 3, lines.Length); // settings, header, one line per measurement
        Assert.Matches(@"params_m \(table\)\s+no training\s+3 ", stdout); // the free baseline, on the same 3 cells
        File.WriteAllLines(output, lines[..^1]); // as if killed before the third finished
        (code, var again, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("2 measurement(s) read back", stderr);
        Assert.Equal(5, File.ReadAllLines(output).Length);
        Assert.Equal(lines[..^1], File.ReadAllLines(output)[..^1]);
        var tau = (string text) => text.Split('\n').Single(l => l.StartsWith("tiny", StringComparison.Ordinal));
        Assert.Equal(tau(stdout).Split(' ', StringSplitOptions.RemoveEmptyEntries)[..5], tau(again).Split(' ', StringSplitOptions.RemoveEmptyEntries)[..5]);
        (code, _, stderr) = CliRunner.Run("proxies", "--sample", "3", "--seed", "2", "--channels", "4", "--batch", "64", "--proxies", "tiny:epochs=1,res=8,data=0.05", "--out", output);
        Assert.Equal(2, code);
        Assert.Contains("other settings", stderr);
    }

    [Fact]
    public void Proxies_rank_zero_cost_scores_of_the_same_architectures_beside_the_trained_ones()
    {
        var (code, stdout, stderr) = CliRunner.Run("proxies", "--benchmark", "nasbench-macro", "--sample", "5", "--seed", "0", "--channels", "4", "--batch", "64",
                                                   "--proxies", "tiny:epochs=1,res=8,data=0.05", "--zero-cost", "fisher,synflow,params");
        Assert.True(code == 0, stderr);
        string Row(string proxy) => stdout.Split('\n').Single(l => l.StartsWith(proxy + " ", StringComparison.Ordinal));
        foreach (var proxy in new[] { "fisher (zero-cost)", "synflow (zero-cost)", "params (zero-cost)" })
            Assert.Matches(@"^\S+ \(zero-cost\)\s+at initialisation\s+5 ", Row(proxy)); // all 5 architectures scored (fisher failed on Sequential blocks)
        // The network built at the benchmark's width counts the parameters the table lists, so both rank alike.
        string Tau(string proxy) => System.Text.RegularExpressions.Regex.Match(Row(proxy), @"(-?\d+\.\d{3}) \[").Groups[1].Value;
        Assert.NotEqual("", Tau("params_m (table)"));
        Assert.Equal(Tau("params_m (table)"), Tau("params (zero-cost)"));
    }

    [Fact]
    public void Lm_train_resumes_the_seeds_it_finished_and_retrains_one_cut_off()
    {
        using var temp = new TempFolder("naskit-lm");
        var dir = temp.Path;
        var output = Path.Combine(dir, "curves.csv");
        string[] args = ["lm", "train", "--arch", "layers=1, width=64, attention=full, position=learned, dropout=0, l1.heads=2, l1.mlp=1",
                         "--iterations", "10", "--seeds", "2", "--sample", "0", "--out", output];
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        var summary = stdout.Split('\n').Single(l => l.StartsWith("valid loss:", StringComparison.Ordinal));
        var lines = File.ReadAllLines(output);
        // Cut the file inside seed 1's run, after its first estimate: seed 1 must train again, seed 0 is read back.
        int seed1Final = Array.FindLastIndex(lines, l => l.StartsWith("1,10,", StringComparison.Ordinal));
        int seed1First = Array.FindIndex(lines, l => l.StartsWith("1,0,", StringComparison.Ordinal));
        Assert.True(seed1First > 0 && seed1Final > seed1First, string.Join("\n", lines));
        File.WriteAllLines(output, lines[..(seed1First + 1)]);
        (code, var again, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("seed(s) 0 read back", stderr);
        Assert.Contains("seed 1 iteration 10", stderr); // trained again
        Assert.Contains(summary.Split(";")[0], again); // the same losses (a seed's run is deterministic on the CPU); the times differ
        Assert.Equal(lines.Length, File.ReadAllLines(output).Length); // seed 1's estimates written once more, nothing twice
        (code, _, stderr) = CliRunner.Run("lm", "train", "--arch", "layers=1, width=64, attention=full, position=learned, dropout=0, l1.heads=2, l1.mlp=1",
                                          "--iterations", "11", "--seeds", "2", "--sample", "0", "--out", output);
        Assert.Equal(2, code);
        Assert.Contains("other settings", stderr);
    }

    [Fact]
    public void Textcls_train_resumes_the_seeds_it_finished_and_retrains_one_cut_off()
    {
        using var temp = new TempFolder("naskit-textcls");
        var dir = temp.Path;
        var output = Path.Combine(dir, "epochs.csv");
        string[] args = ["textcls", "train", "--data", "trec", "--arch", "layers=1, embed=64, width=48, readout=max, dropout=0.5, l1.op=conv3, l1.skip=none",
                         "--epochs", "2", "--seeds", "2", "--out", output];
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        var summary = stdout.Split('\n').Single(l => l.StartsWith("test accuracy:", StringComparison.Ordinal));
        var lines = File.ReadAllLines(output);
        int cut = Array.FindIndex(lines, l => l.StartsWith("1,1,", StringComparison.Ordinal)); // seed 1 after its first epoch
        Assert.True(cut > 0, string.Join("\n", lines));
        File.WriteAllLines(output, lines[..(cut + 1)]);
        (code, var again, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("seed(s) 0 read back", stderr);
        Assert.Contains("seed 1 epoch 2", stderr);
        Assert.Contains(summary.Split(';')[0], again); // the same accuracies; times differ
        Assert.Equal(lines.Length, File.ReadAllLines(output).Length);
    }

    [Fact]
    public void Kws_train_reports_the_speaker_gap_and_resumes_from_its_file()
    {
        using var temp = new TempFolder("naskit-kws");
        var dir = temp.Path;
        var output = Path.Combine(dir, "runs.csv");
        string[] args = ["kws", "train", "--arch", "stem.kernel=10x4, stem.stride=2x2, stem.width=16, layers=1, l1.op=dsconv, l1.kernel=3, l1.stride=1, l1.width=16, l1.pool=none",
                         "--split", "official,speaker:theo", "--epochs", "1", "--out", output];
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"official seed 0: test \d+\.\d\d% at epoch 1", stdout);
        Assert.Matches(@"theo\s+\d+\.\d\d%\s+\d+\.\d\d%", stdout);
        Assert.Contains("mean gap over 1 speaker(s)", stdout);
        var lines = File.ReadAllLines(output);
        Assert.Equal(4, lines.Length); // settings, header, two runs
        // A run killed while appending leaves a torn line: the resume drops it and retrains nothing that finished.
        File.AppendAllText(output, "speaker:theo,1,1,99");
        (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("2 finished run(s) read back, 0 to train", stderr);
        Assert.Equal(lines, File.ReadAllLines(output));
        // Other settings never mix into the same file.
        (code, _, stderr) = CliRunner.Run([.. args.Select(a => a == "1" ? "2" : a)]);
        Assert.Equal(2, code);
        Assert.Contains("holds runs with other settings", stderr);
    }

    [Fact]
    public void Fusion_compare_prints_the_five_models_and_resumes_by_seed()
    {
        using var temp = new TempFolder("naskit-fusion");
        var dir = temp.Path;
        var output = Path.Combine(dir, "fusion.csv");
        string[] args = ["fusion", "compare", "--seeds", "1", "--queries", "1", "--unimodal-epochs", "1", "--fusion-epochs", "1", "--out", output];
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        foreach (var model in new[] { "image only", "audio only", "early fusion", "late fusion", "searched fusion" })
            Assert.Matches(model + @"\s+\d+\.\d\d\s+\d+\.\d\d\s+\d+\.\d\d", stdout);
        Assert.Contains("seed 0 found: layers=", stdout);
        (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("1 finished seed(s) read back, 0 to run", stderr);
        Assert.Contains("searched fusion", stdout);
    }

    [Fact]
    public void Movielens_baselines_resume_and_a_search_gives_a_front()
    {
        using var temp = new TempFolder("naskit-movielens");
        var dir = temp.Path;
        var output = Path.Combine(dir, "baselines.csv");
        string[] args = ["movielens", "baselines", "--seeds", "1", "--factors", "2", "--epochs", "1", "--out", output];
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        foreach (var model in new[] { "global mean", "movie\\+user effects", "biased MF k=2" })
            Assert.Matches(model + @"\s+\d\.\d{4}\s+\d\.\d{4}", stdout);
        Assert.Equal(5, File.ReadAllLines(output).Length); // settings, header, three models
        var (again, stdout2, stderr2) = CliRunner.Run(args);
        Assert.True(again == 0, stderr2);
        Assert.Contains("3 model run(s) read back", stderr2);
        Assert.Equal(stdout.Split('\n').Skip(1), stdout2.Split('\n').Skip(1)); // the same table, nothing retrained

        var search = Path.Combine(dir, "search.csv");
        (code, _, stderr) = CliRunner.Run("search", "--space", "recommendation", "--evaluator", "movielens", "--epochs", "1", "--strategy", "random",
                                          "--queries", "3", "--runs", "1", "--out", search);
        Assert.True(code == 0, stderr);
        (code, stdout, stderr) = CliRunner.Run("movielens", "front", "--in", search);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"\d distinct architectures from 3 successful trials; \d on the front", stdout);
        Assert.Matches(@"\d\.\d{4}\s+[\d,]+\s+[\d,]+\s+user=", stdout);
    }

    [Fact]
    public void Federated_search_reports_the_derived_cell_and_the_traffic()
    {
        using var temp = new TempFolder("naskit-federated");
        var dir = temp.Path;
        var output = Path.Combine(dir, "rounds.csv");
        var (code, stdout, stderr) = CliRunner.Run("federated", "search", "--method", "gdas", "--clients", "2", "--alpha", "iid", "--rounds", "1",
                                                   "--train-images", "256", "--batch", "32", "--channels", "4", "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"derived: \|[a-z_0-9]+~0\|\+", stdout);
        Assert.Matches(@"benchmark test accuracy \(nb201 benchmark\): \d+\.\d\d%", stdout);
        Assert.Matches(@"traffic per client: [\d,]+ bytes up and [\d,]+ down per round", stdout);
        Assert.Equal(2, File.ReadAllLines(output).Length);
        // Without a checkpoint a rerun would replace the rounds: it is refused before any work.
        var (refused, _, why) = CliRunner.Run("federated", "search", "--method", "gdas", "--clients", "2", "--alpha", "iid", "--rounds", "1",
                                              "--train-images", "256", "--batch", "32", "--channels", "4", "--out", output);
        Assert.Equal(2, refused);
        Assert.Contains("already exists", why);
        Assert.Equal(2, File.ReadAllLines(output).Length);
        // With a checkpoint folder a rerun resumes: the finished round is read back, not searched again.
        var ckpt = Path.Combine(dir, "ckpt");
        output = Path.Combine(dir, "resumable.csv");
        string[] resumable = ["federated", "search", "--method", "gdas", "--clients", "2", "--alpha", "iid", "--rounds", "1", "--train-images", "256", "--batch", "32", "--channels", "4", "--checkpoint", ckpt, "--out", output];
        (code, stdout, stderr) = CliRunner.Run(resumable);
        Assert.True(code == 0, stderr);
        var first = File.ReadAllLines(output);
        (code, var again, stderr) = CliRunner.Run(resumable);
        Assert.True(code == 0, stderr);
        Assert.Contains("resuming from", stderr);
        Assert.Contains("1 of 1 rounds done", stderr);
        Assert.Equal(first, File.ReadAllLines(output));
        Assert.Equal(stdout.Split('\n').Skip(1), again.Split('\n').Skip(1));
        (code, stdout, stderr) = CliRunner.Run("federated", "shards", "--clients", "4", "--alpha", "0.1", "--train-images", "1000");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"1,000 images, 4 clients, Dirichlet α = 0.1", stdout);
    }

    [Fact]
    public void Search_prints_one_mean_std_line_per_strategy()
    {
        var (code, stdout, _) = CliRunner.Run("search", "--strategy", "rea", "--queries", "100", "--runs", "20", "--seed", "0");
        Assert.Equal(0, code);
        Assert.Matches(@"^rea: \d+\.\d\d±\d+\.\d\d\s*$", stdout);
    }

    [Fact]
    public void Every_command_has_help()
    {
        foreach (var cmd in new[] { new[] { "--help" }, ["nb201", "--help"], ["nb201", "params", "--help"], ["nb201", "show", "--help"],
                                    ["study", "run", "--help"], ["study", "show", "--help"], ["study", "watch", "--help"], ["worker", "--help"], ["bench", "store", "--help"], ["search", "--help"], ["proxies", "--help"], ["transfer", "--help"], ["inherit", "--help"], ["nasnet", "params", "--help"],
                                    ["pareto", "--help"], ["latency", "--help"], ["bench", "train-step", "--help"], ["bench", "memory", "--help"], ["bench", "supernet", "--help"], ["bench", "all", "--help"], ["bench", "transformer", "--help"], ["lm", "train", "--help"], ["lm", "proxies", "--help"], ["lm", "hat-latency", "--help"], ["lm", "latency", "--help"], ["textcls", "train", "--help"], ["kws", "train", "--help"], ["kws", "features", "--help"], ["kws", "front", "--help"], ["fusion", "compare", "--help"], ["movielens", "baselines", "--help"], ["movielens", "train", "--help"], ["movielens", "front", "--help"], ["federated", "shards", "--help"], ["federated", "search", "--help"], ["federated", "fedavg", "--help"] })
        {
            var (code, stdout, _) = CliRunner.Run(cmd);
            Assert.Equal(0, code);
            Assert.Contains("Usage:", stdout);
        }
    }

    [Fact]
    public void Params_on_a_sample_reports_matches_and_explains_mismatches()
    {
        var (code, stdout, _) = CliRunner.Run("nb201", "params", "--sample", "400", "--seed", "0");
        Assert.Equal(0, code);
        var line = stdout.Split('\n').Single(l => l.StartsWith("params match: "));
        var parts = line["params match: ".Length..].Trim().Split('/');
        Assert.Equal(400, int.Parse(parts[1]));
        // Every mismatch falls in one of the reported categories, and together they account for all of them.
        int mismatched = 400 - int.Parse(parts[0]);
        int listed = stdout.Split('\n').Count(l => l.StartsWith("    "));
        Assert.Equal(mismatched, listed);
    }

    [Fact]
    public void Zerocost_prints_spearman_kendall_and_speed_per_proxy_and_resumes_from_its_file()
    {
        var dir = Directory.CreateTempSubdirectory("naskit-zc-");
        var file = Path.Combine(dir.FullName, "scores.csv");
        var (code, stdout, stderr) = CliRunner.Run("zerocost", "--proxy", "synflow,params", "--sample", "8", "--seed", "3", "--out", file);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"(?m)^synflow: spearman=-?\d\.\d{3} kendall=-?\d\.\d{3} arch/s=\d+\.\d\d published\|rho\|=0\.740", stdout);
        Assert.Matches(@"(?m)^params: spearman=-?\d\.\d{3} kendall=-?\d\.\d{3} arch/s=", stdout);
        Assert.Equal(9, File.ReadAllLines(file).Length); // header + 8 cells

        var again = CliRunner.Run("zerocost", "--proxy", "synflow,params", "--sample", "8", "--seed", "3", "--out", file);
        Assert.Equal(0, again.Code);
        Assert.Contains("8 already in", again.Err);
        Assert.Equal(stdout.Split('\n').First(l => l.StartsWith("synflow")).Split(" arch/s")[0],
                     again.Out.Split('\n').First(l => l.StartsWith("synflow")).Split(" arch/s")[0]);

        var other = CliRunner.Run("zerocost", "--proxy", "synflow,params", "--sample", "8", "--seed", "4", "--out", file);
        Assert.Equal(2, other.Code);
        Assert.Contains("holds scores made with other settings (seed=3)", other.Err);
    }

    [Fact]
    public void A_killed_darts_search_resumes_from_its_checkpoint_and_ends_as_an_uninterrupted_one()
    {
        var dir = Directory.CreateTempSubdirectory("naskit-cli-darts-").FullName;
        string[] Args(string outDir, int epochs) => ["gdas", "--epochs", $"{epochs}", "--train-images", "64", "--batch", "16", "--channels", "4", "--out", outDir];
        // the uninterrupted run
        var whole = CliRunner.Run(Args(Path.Combine(dir, "whole"), 2));
        Assert.Equal(0, whole.Code);
        // the same run stopped after its first epoch: a 1-epoch checkpoint is not resumable as 2 epochs, so stop by killing
        var outDir = Path.Combine(dir, "killed");
        using (var p = CliRunner.Start(Args(outDir, 2)))
        {
            var checkpoint = Path.Combine(outDir, "checkpoint.bin");
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!File.Exists(checkpoint) && !p.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(50);
            if (!p.HasExited) p.Kill(true);
            p.WaitForExit();
        }
        var resumed = CliRunner.Run(Args(outDir, 2));
        Assert.Equal(0, resumed.Code);
        Assert.Equal(whole.Out, resumed.Out); // the same derived cell and benchmark accuracy
        Assert.Equal(File.ReadAllLines(Path.Combine(dir, "whole", "alphas.csv")), File.ReadAllLines(Path.Combine(outDir, "alphas.csv")));
    }

    [Fact]
    public void Genotype_prints_the_published_darts_v2_network_size()
    {
        var (code, stdout, _) = CliRunner.Run("genotype", "DARTS_V2");
        Assert.Equal(0, code);
        Assert.Contains("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)", stdout);
        Assert.Contains("3,349,342 (3.349342M); the paper reports 3.3M", stdout);
    }

    [Fact]
    public void Lcbench_compares_schedulers_on_a_task_with_the_benchmarks_own_rungs()
    {
        var (code, stdout, stderr) = CliRunner.Run("search", "--benchmark", "lcbench", "--task", "7593", "--strategy", "random,hyperband", "--budget-epochs", "520", "--runs", "3", "--seed", "0");
        Assert.True(code == 0, stderr);
        Assert.Contains("rungs 2,6,17,52", stderr);
        Assert.Matches(@"(?m)^random: \d+\.\d\d±\d+\.\d\d$", stdout);
        Assert.Matches(@"(?m)^hyperband: \d+\.\d\d±\d+\.\d\d$", stdout);
        // A task the benchmark lacks, and a task given to a benchmark without tasks, are one line each.
        var (bad, _, badErr) = CliRunner.Run("search", "--benchmark", "lcbench", "--task", "12", "--strategy", "random", "--runs", "1");
        Assert.NotEqual(0, bad);
        Assert.Contains("LCBench has no task '12'", badErr);
        Assert.DoesNotContain("   at ", badErr);
        var (wrong, _, wrongErr) = CliRunner.Run("search", "--benchmark", "nb201", "--task", "3945", "--strategy", "random", "--runs", "1");
        Assert.NotEqual(0, wrong);
        Assert.Contains("has no argument(s) task", wrongErr);
        // Schedulers need a budget in epochs.
        var (noBudget, _, noBudgetErr) = CliRunner.Run("search", "--benchmark", "lcbench", "--strategy", "hyperband", "--runs", "1");
        Assert.NotEqual(0, noBudget);
        Assert.Contains("--budget-epochs", noBudgetErr);
    }

    [Fact]
    public void A_study_runs_asha_with_local_workers_and_reports_their_idle_time()
    {
        var db = Path.Combine(Path.GetTempPath(), $"naskit-asha-{Guid.NewGuid():N}.db");
        try
        {
            var (code, stdout, stderr) = CliRunner.Run("study", "run", "--storage", db, "--study", "asha", "--space", "lcbench", "--strategy", "asha",
                                                       "--task", "7593", "--budget-epochs", "300", "--parallel", "2", "--seed", "0");
            Assert.True(code == 0, stderr);
            Assert.Contains("stopped: epoch budget", stdout);
            Assert.Matches(@"(?m)^worker 0: \d+ evaluated, busy \d+\.\d s, idle \d+\.\d s", stdout);
            Assert.Matches(@"(?m)^worker 1: \d+ evaluated", stdout);
            // Resuming with another task is another experiment: refused in one line.
            var (again, _, againErr) = CliRunner.Run("study", "run", "--storage", db, "--study", "asha", "--space", "lcbench", "--strategy", "asha",
                                                     "--task", "3945", "--budget-epochs", "300", "--parallel", "2", "--seed", "0");
            Assert.NotEqual(0, again);
            Assert.Contains("already exists", againErr);
        }
        finally { File.Delete(db); }
    }
}
