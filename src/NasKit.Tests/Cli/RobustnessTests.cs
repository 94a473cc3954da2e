using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using NasKit.Catalogs;
using NasKit.Cli.Commands;
using NasKit.Execution;
using NasKit.Experiments;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies;
using NasKit.Tests.Execution;

namespace NasKit.Tests.Cli;

/// <summary>The CLI as a newcomer meets it: no wrong numbers with exit code 0, no lost runs, no stack traces.</summary>
public class RobustnessTests
{
    private static void UserError((int Code, string Out, string Err) r, string expected)
    {
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Err}");
        Assert.Contains(expected, r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:"));
    }

    // Wrong results with exit code 0.

    [Fact]
    public void Seeds_are_0_to_int_max_and_every_run_of_a_range_gets_its_own()
    {
        UserError(CliRunner.Run("search", "--strategy", "random", "--seed", "-3", "--runs", "2"), "--seed must be 0..2147483646, got -3");
        UserError(CliRunner.Run("search", "--strategy", "random", "--seed", "2147483647", "--runs", "1"), "--seed must be 0..2147483646");
        UserError(CliRunner.Run("search", "--strategy", "random", "--seed", "2147483646", "--runs", "2"), "leaves room for 1 runs, not 2");
        var protocol = new QueryBudgetProtocol<Nb201Cell> { Space = TestData.Nb201.Space, Evaluator = new Nb201TabularEvaluator(TestData.Nb201), Queries = 20 };
        var random = Catalog<IStrategyFactory>.Get("random");
        Assert.Throws<ArgumentOutOfRangeException>(() => protocol.Run(random, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => protocol.Run(random, 2, Seeds.Max));
        Assert.Throws<ArgumentOutOfRangeException>(() => protocol.Run(random, 1, int.MaxValue)); // System.Random(int.MaxValue) is System.Random(0)
        // Seeds at both ends of the domain give distinct histories.
        var histories = new[] { 0, 1, 2, 3, Seeds.Max - 1, Seeds.Max }
            .Select(seed => string.Join(" ", protocol.RunOne(random, 0, seed).Trials.Select(t => t.Architecture.Code))).ToArray();
        Assert.Equal(histories.Length, histories.Distinct().Count());
    }

    [Fact]
    public void A_minimised_first_objective_prints_in_its_own_units()
    {
        var (code, stdout, stderr) = CliRunner.Run("pareto", "--objectives", "pixel3_latency,test_acc", "--constraint", "test_acc>=90", "--queries", "60", "--runs", "2");
        Assert.True(code == 0, stderr);
        var best = Regex.Matches(stdout, @"best pixel3_latency under test_acc>=90: (-?\d+\.\d+)").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.NotEmpty(best);
        Assert.All(best, v => Assert.InRange(v, 0.1, 40)); // milliseconds, never a negated score
        Assert.Matches(@"true best under the cap: \d+\.\d\d", stdout);
    }

    [Fact]
    public void A_search_that_trains_too_little_to_mean_anything_fails_with_the_reason()
    {
        UserError(CliRunner.Run("darts", "--train-images", "40", "--batch", "64", "--epochs", "1"), "less than one batch of 64");
        UserError(CliRunner.Run("oneshot", "--train-images", "40", "--batch", "64", "--epochs", "1"), "needs at least one batch of 64 images");
        UserError(CliRunner.Run("search", "--space", "darts", "--evaluator", "train", "--runs", "1"), "--epochs is required");
    }

    [Theory]
    [InlineData("--batch must be >= 1, got 0", "proxies", "--batch", "0")]
    [InlineData("--networks must be >= 21, got 5", "bench", "memory", "--networks", "5")]
    [InlineData("--weight-decay must be >= 0, got -1", "darts", "--weight-decay", "-1")]
    [InlineData("--arch-lr must be > 0, got 0", "gdas", "--arch-lr", "0")]
    [InlineData("--channels must be >= 1, got 0", "genotype", "DARTS_V2", "--channels", "0")]
    [InlineData("--repeats must be >= 1, got 0", "latency", "--repeats", "0")]
    [InlineData("--lease-seconds must be > 0, got 0", "worker", "--storage", "x.db", "--study", "s", "--lease-seconds", "0")]
    [InlineData("--sample must be 3..15625, got 20000", "zerocost", "--sample", "20000")]
    [InlineData("gives no epochs", "proxies", "--proxies", "x:res=16")]
    [InlineData("--networks must be >= 101, got 50", "bench", "all", "--networks", "50")]
    [InlineData("--rounds must be >= 1, got 0", "bench", "train-step", "--rounds", "0")]
    [InlineData("Cannot write --out /proc/naskit/bench.csv", "bench", "all", "--out", "/proc/naskit/bench.csv")]
    public void Meaningless_option_values_are_refused_before_anything_runs(string expected, params string[] args) => UserError(CliRunner.Run(args), expected);

    [Fact]
    public void A_pytorch_peer_on_the_reference_blas_is_refused_with_how_to_install_openblas()
    {
        // A stand-in for python3 that answers like the peer script on a machine without an optimised BLAS.
        using var temp = new TempFolder("naskit-peer-");
        var fake = Path.Combine(temp.Path, "python3");
        File.WriteAllText(fake, "#!/bin/sh\necho '{\"arch\": \"x\", \"median_ms\": 1, \"forward_ms\": 1, \"backward_ms\": 1, \"optimizer_ms\": 0, " +
                                "\"torch\": \"1.13.0a0\", \"threads\": 2, \"blas\": \"reference BLAS (netlib)\", \"dnnl_max_cpu_isa\": \"(default)\"}'\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        UserError(CliRunner.Run("bench", "train-step", "--python", fake, "--steps", "1", "--rounds", "1", "--batch", "8",
                                "--arch", "|avg_pool_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|"),
                  "runs on reference BLAS (netlib), not an optimised BLAS");
    }

    [Fact]
    public void Every_numeric_option_states_its_range_and_every_command_has_an_example()
    {
        var problems = new List<string>();
        void Walk(Command c, string path)
        {
            if (!c.Description!.Contains("Example")) problems.Add($"{path}: no example in its help");
            foreach (var o in c.Options)
                if ((Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType) is var t && (t == typeof(int) || t == typeof(double)) && !Regex.IsMatch(o.Description ?? "", @"\[(>=?|\d)"))
                    problems.Add($"{path} {o.Name}: its help states no range");
            foreach (var s in c.Subcommands) Walk(s, $"{path} {s.Name}");
        }
        foreach (var c in NasKitCommand.Create().Subcommands) Walk(c, c.Name);
        Assert.Empty(problems);
        var (_, help, _) = CliRunner.Run("search", "--help");
        Assert.Contains("Usage:\n  naskit search [options]", help.Replace("\r", ""));
    }

    // Lost work.

    [Fact]
    public void An_interrupted_search_resumes_into_the_file_an_uninterrupted_one_writes()
    {
        var dir = Directory.CreateTempSubdirectory("naskit-search-").FullName;
        string[] Args(string file) => ["search", "--strategy", "random,reinforce-lstm", "--runs", "24", "--queries", "100", "--seed", "0", "--parallel", "1", "--out", file];
        var whole = CliRunner.Run(Args(Path.Combine(dir, "whole.csv")));
        Assert.True(whole.Code == 0, whole.Err);
        var killed = Path.Combine(dir, "killed.csv");
        using (var p = CliRunner.Start(Args(killed)))
        {
            var done = killed + ".partial.done";
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!p.HasExited && DateTime.UtcNow < deadline && (!File.Exists(done) || File.ReadAllLines(done).Length < 30)) Thread.Sleep(20);
            Assert.False(p.HasExited, "the search finished before it could be killed");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        var resumed = CliRunner.Run(Args(killed));
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains("runs already done", resumed.Err);
        Assert.Equal(whole.Out, resumed.Out);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "whole.csv")), File.ReadAllText(killed));
        Assert.False(File.Exists(killed + ".partial.csv"));
        // A finished file is not overwritten unless asked; other settings do not resume an interrupted one.
        UserError(CliRunner.Run(Args(killed)), "exists; pass --force to overwrite it");
        Assert.Equal(0, CliRunner.Run([.. Args(killed), "--force"]).Code);
        // An output that cannot be written is refused before the search runs (root ignores permissions: use a file as the folder).
        File.WriteAllText(Path.Combine(dir, "a-file"), "");
        UserError(CliRunner.Run(Args(Path.Combine(dir, "a-file", "out.csv"))), "choose a folder you can write to");
        UserError(CliRunner.Run(Args("/proc/out.csv")), "choose a folder you can write to");
    }

    [Fact]
    public void Objectives_and_constraints_are_checked_before_the_search_and_an_infeasible_one_says_so()
    {
        UserError(CliRunner.Run("pareto", "--objectives", "test_acc,test_acc", "--runs", "1"), "is given twice");
        UserError(CliRunner.Run("pareto", "--objectives", "test_acc,pixel9_latency", "--runs", "1"), "Unknown objective metric(s) pixel9_latency");
        var (code, stdout, stderr) = CliRunner.Run("pareto", "--constraint", "pixel3_latency<=0.001", "--runs", "1", "--queries", "20");
        Assert.True(code == 0, stderr);
        Assert.Contains("no architecture of the space meets the constraint", stdout);
        Assert.Contains("no feasible architecture found", stdout);
    }

    // Clear errors instead of stack traces.

    [Fact]
    public void Cuda_on_a_cpu_build_is_a_clear_error()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // on a GPU machine CUDA is a valid choice
        UserError(CliRunner.Run("latency", "--device", "cuda"), "asks for CUDA, but this libtorch has no usable CUDA device");
    }

    [Fact]
    public void A_corrupt_store_under_study_show_is_one_line()
    {
        var path = TestDatabases.NewSqlite();
        Assert.Equal(0, CliRunner.Run("study", "run", "--storage", path, "--study", "s", "--queries", "30").Code);
        SqliteConnection.ClearAllPools();
        var bytes = File.ReadAllBytes(path);
        for (int i = 4096; i < bytes.Length; i++) bytes[i] = (byte)(i * 7);
        File.WriteAllBytes(path, bytes);
        File.Delete(path + "-wal");
        var r = CliRunner.Run("study", "show", "--storage", path, "--study", "s");
        Assert.Equal(2, r.Code);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.Contains("SQLite", r.Err);
    }

    [Fact]
    public void A_bug_prints_one_line_and_the_path_of_its_trace()
    {
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        try { Assert.Equal(1, NasKit.Cli.Commands.Cli.Internal(new IndexOutOfRangeException("Index was outside the bounds of the array."))); }
        finally { Console.SetError(old); }
        var line = err.ToString().Trim();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: internal error (IndexOutOfRangeException: Index was outside the bounds of the array.)", line);
        var log = Regex.Match(line, @"The trace is in (\S+); please report it").Groups[1].Value;
        Assert.Contains("IndexOutOfRangeException", File.ReadAllText(log));
    }

    [Fact]
    public void Storage_accepts_what_users_type_and_refuses_the_rest()
    {
        Assert.Equal((false, "runs/x.db"), TrialQueues.Parse("runs/x.db"));
        Assert.Equal((false, "runs/x.db"), TrialQueues.Parse("sqlite:///runs/x.db"));
        Assert.Equal((false, "/abs/x.db"), TrialQueues.Parse("sqlite:////abs/x.db"));
        Assert.Equal((false, "x.db"), TrialQueues.Parse("Data Source=x.db"));
        Assert.True(TrialQueues.Parse("Host=db;Username=u;Password=p;Database=d").Postgres);
        Assert.True(TrialQueues.Parse("postgresql://u:p@db/d").Postgres);
        foreach (var bad in new[] { "", "mysql://db/x", "Colour=blue", "x.db;extra" })
            Assert.Throws<ArgumentException>(() => TrialQueues.Parse(bad));
        UserError(CliRunner.Run("study", "show", "--storage", "mysql://db/x"), "the scheme 'mysql' is not one NasKit stores studies in");
    }

    [Fact]
    public void Reading_commands_never_create_a_store_and_read_a_read_only_one()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"naskit-missing-{Guid.NewGuid():N}", "x.db");
        UserError(CliRunner.Run("study", "show", "--storage", missing), "No study store at");
        UserError(CliRunner.Run("study", "watch", "--storage", missing, "--study", "s", "--once"), "No study store at");
        Assert.False(File.Exists(missing));
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
        UserError(CliRunner.Run("study", "watch", "--storage", missing, "--study", ""), "--study must name a study");

        var path = TestDatabases.NewSqlite();
        Assert.Equal(0, CliRunner.Run("study", "run", "--storage", path, "--study", "s", "--queries", "5").Code);
        using var readOnly = TrialQueues.Open(path, readOnly: true);
        Assert.Equal(5, readOnly.Ledger("s").Count);
        Assert.Throws<StoreUnavailableException>(() => readOnly.Open(new StudySpec("new", "nb201", "random", 0)));
        var show = CliRunner.Run("study", "show", "--storage", path, "--study", "s");
        Assert.Equal(0, show.Code);
        Assert.Equal(5, show.Out.Trim().Split('\n').Length);
    }
}
