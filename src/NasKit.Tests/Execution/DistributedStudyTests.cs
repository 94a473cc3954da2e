using System.Diagnostics;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies;
using Xunit.Abstractions;

namespace NasKit.Tests.Execution;

/// <summary>
/// Whole processes against a real database: coordinators and workers killed with SIGKILL, a database server
/// restarted mid-study. Each test checks the ledger afterwards: every trial asked was evaluated exactly once.
/// </summary>
public class DistributedStudyTests(ITestOutputHelper output)
{
    internal static string[] Coordinator(string storage, string study, int queries, int seed, params string[] more) =>
        ["study", "run", "--storage", storage, "--study", study, "--strategy", "rea", "--queries", $"{queries}", "--seed", $"{seed}", .. more];

    private static string[] Worker(string storage, string study, string name, int delayMs) =>
        ["worker", "--storage", storage, "--study", study, "--name", name, "--eval-delay-ms", $"{delayMs}", "--lease-seconds", "3"];

    /// <summary>A naskit process whose output is drained (so it never blocks on a full pipe) and kept for the failure message.</summary>
    internal sealed class Naskit : IDisposable
    {
        public Process Process { get; }
        public Task<string> Out { get; }
        public Task<string> Err { get; }
        /// <summary>All of stdout or stderr; waits for the process to close them (so only after it exited).</summary>
        public string Stdout => Out.GetAwaiter().GetResult();
        public string Stderr => Err.GetAwaiter().GetResult();
        public Naskit(string[] args) { Process = CliRunner.Start(args); Out = Process.StandardOutput.ReadToEndAsync(); Err = Process.StandardError.ReadToEndAsync(); }
        public void Kill9() { Process.Kill(entireProcessTree: true); Process.WaitForExit(); }
        public int Wait(TimeSpan timeout)
        {
            if (!Process.WaitForExit(timeout)) { Process.Kill(true); throw new TimeoutException($"naskit did not finish: {Err.Result}"); }
            return Process.ExitCode;
        }
        public void Dispose() { if (!Process.HasExited) Process.Kill(true); Process.Dispose(); }
    }

    internal static void WaitUntil(Func<bool> condition, string what, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            Thread.Sleep(25);
        }
    }

    /// <summary>The fault test's counts, from the ledger and the workers' own tallies (kept in the same transactions).</summary>
    internal static (int Asked, int Evaluated, int Lost, int Duplicated) Audit(ITestOutputHelper output, ITrialQueue queue, string study, int queries)
    {
        var ledger = queue.Ledger(study);
        int evaluated = ledger.Count(t => t.State == TrialState.Done);
        int lost = ledger.Count(t => t.State is TrialState.Queued or TrialState.Running) + (queries - ledger.Count);
        var workers = queue.Workers(study);
        // A result recorded twice would show as more completions than done trials; work thrown away as discarded results.
        int duplicated = workers.Sum(w => w.Completed) - evaluated + workers.Sum(w => w.Rejected)
                         + (ledger.Count - ledger.Select(t => t.Architecture).Distinct().Count());
        output.WriteLine($"{study}: asked {ledger.Count}, evaluated {evaluated}, lost {lost}, duplicated {duplicated}, failed {ledger.Count(t => t.State == TrialState.Failed)}");
        foreach (var w in workers) output.WriteLine($"  {w.Worker}: {w.Completed} completed, {w.Rejected} discarded, {w.Failed} failed, last state {w.State}");
        return (ledger.Count, evaluated, lost, duplicated);
    }

    /// <summary>Replays the whole ledger through a freshly seeded strategy; throws if any recorded trial is not what it asks.</summary>
    private static StudyResult<Nb201Cell> Replay(ITrialQueue queue, string study, int queries, int seed, int outstanding)
    {
        var spec = queue.Find(study)!;
        var strategy = Catalog<IStrategyFactory>.Get("rea").Create(TestData.Nb201.Space, Objective.Max("valid_acc"), seed).WithStandardWrappers();
        return new Study<Nb201Cell>(queue, spec, TestData.Nb201.Space, Budget.OfQueries(queries), new Fidelity(Epochs: 200)) { MaxOutstanding = outstanding, Name = "audit" }
            .Run(strategy);
    }

    [Fact]
    public void Fault_test_coordinator_and_four_workers_survive_kill_9_of_a_worker_and_of_the_coordinator()
    {
        const int queries = 200, seed = 7;
        var storage = TestDatabases.NewPostgres();
        string[] coordinatorArgs = Coordinator(storage, "fault", queries, seed, "--parallel", "0", "--outstanding", "4", "--lease-seconds", "3");
        var coordinator = new Naskit(coordinatorArgs);
        var workers = Enumerable.Range(0, 4).Select(i => new Naskit(Worker(storage, "fault", $"w{i}", i == 0 ? 5000 : 100))).ToArray();
        using var queue = TestDatabases.Open(storage);
        try
        {
            WaitUntil(() => queue.Find("fault") is not null && queue.Progress("fault").Done >= 40, "40 trials done");
            // Kill worker w0 in the middle of a trial: it evaluates for 5 s, and the kill lands right after it claims a new one.
            // The trial it runs is read once, inside the wait: a second read could already find it done under load.
            const int victim = 0;
            LedgerTrial? Current() => queue.Ledger("fault").FirstOrDefault(t => t.State == TrialState.Running && t.Worker == "w0");
            int? seen = Current()?.Number;
            LedgerTrial orphan = null!;
            WaitUntil(() => Current() is { } now && now.Number != seen && (orphan = now) is not null, "w0 to claim a new trial");
            workers[victim].Kill9();
            var after = queue.Ledger("fault").Single(t => t.Number == orphan.Number);
            Assert.True(after.State == TrialState.Running && after.Worker == "w0",
                        $"w0 was no longer running trial {orphan.Number} when the kill landed: {after.State} by {after.Worker}, attempt {after.Attempts}");
            output.WriteLine($"killed worker w0 (kill -9) while it ran trial {orphan.Number}");

            WaitUntil(() => queue.Progress("fault").Done >= 100, "100 trials done");
            coordinator.Kill9();
            output.WriteLine($"killed the coordinator at {queue.Progress("fault").Done} trials done");
            Thread.Sleep(500);
            coordinator = new Naskit(coordinatorArgs);
            Assert.True(coordinator.Wait(TimeSpan.FromMinutes(5)) == 0, coordinator.Stderr);
            output.WriteLine(coordinator.Stdout.Trim());
            foreach (var (w, i) in workers.Select((w, i) => (w, i)).Where(x => x.i != victim))
                Assert.True(w.Wait(TimeSpan.FromMinutes(1)) == 0, w.Stderr);

            var (asked, evaluated, lost, duplicated) = Audit(output, queue, "fault", queries);
            Assert.Equal((queries, queries, 0, 0), (asked, evaluated, lost, duplicated));
            var retaken = queue.Ledger("fault").Single(t => t.Number == orphan.Number);
            Assert.Equal(2, retaken.Attempts);                 // the killed worker's trial went back to the queue once
            Assert.NotEqual("w0", retaken.Worker);
            Assert.Matches(@"\([1-9]\d* replayed\)", coordinator.Stdout);                // the restarted coordinator replayed the ledger
            // The recorded trials are exactly the ones the strategy asked for, in the recorded order of asks and tells.
            var replay = Replay(queue, "fault", queries, seed, 4);
            Assert.Equal((queries, queries), (replay.Asked, replay.Resumed));
        }
        finally
        {
            coordinator.Dispose();
            foreach (var w in workers) w.Dispose();
        }
    }

    [Fact]
    public void A_single_worker_study_killed_at_a_random_point_resumes_to_the_uninterrupted_history()
    {
        const int queries = 60, seed = 13;
        var storage = TestDatabases.NewPostgres();
        int killAt = Random.Shared.Next(3, queries - 3); // a different point every run; printed for reproduction
        output.WriteLine($"kill -9 after {killAt} trials done");
        string[] args = Coordinator(storage, "killed", queries, seed, "--parallel", "1", "--eval-delay-ms", "40");
        using var queue = TestDatabases.Open(storage);
        using (var first = new Naskit(args))
        {
            WaitUntil(() => first.Process.HasExited || (queue.Find("killed") is not null && queue.Progress("killed").Done >= killAt), $"{killAt} trials");
            Assert.False(first.Process.HasExited, "the study finished before it could be killed"); // (Err.Result would wait for the exit)
            first.Kill9();
        }
        int atKill = queue.Progress("killed").Done;
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        output.WriteLine(stdout.Trim());

        var (rc, _, rerr) = CliRunner.Run(Coordinator(storage, "uninterrupted", queries, seed, "--parallel", "1"));
        Assert.True(rc == 0, rerr);
        static List<(string, double?, int)> History(ITrialQueue q, string s) =>
            q.Ledger(s).Select(t => (t.Architecture, t.Evaluation?.Metrics.GetValueOrDefault("valid_acc"), t.Number)).ToList();
        var resumed = History(queue, "killed");
        Assert.Equal(queries, resumed.Count);
        Assert.Equal(History(queue, "uninterrupted"), resumed);
        output.WriteLine($"killed at {atKill} done; resumed history identical to the uninterrupted run ({queries} trials)");
    }

    [Fact]
    public void Sqlite_serves_a_coordinator_and_three_worker_processes_with_no_write_lost()
    {
        const int queries = 100;
        var storage = TestDatabases.NewSqlite();
        var workers = Enumerable.Range(0, 3).Select(i => new Naskit(Worker(storage, "local", $"w{i}", 20))).ToArray();
        try
        {
            var (code, stdout, stderr) = CliRunner.Run(Coordinator(storage, "local", queries, 4, "--parallel", "0", "--outstanding", "3"));
            Assert.True(code == 0, stderr);
            foreach (var w in workers) Assert.True(w.Wait(TimeSpan.FromMinutes(1)) == 0, w.Stderr);
            using var queue = TestDatabases.Open(storage);
            var (asked, evaluated, lost, duplicated) = Audit(output, queue, "local", queries);
            Assert.Equal((queries, queries, 0, 0), (asked, evaluated, lost, duplicated));
            Assert.All(queue.Workers("local"), w => Assert.True(w.Completed > 0, $"{w.Worker} got no work"));
        }
        finally { foreach (var w in workers) w.Dispose(); }
    }

    /// <summary>
    /// Evaluators travel: the study records <c>train:…</c>, and worker processes rebuild it and train NB201 cells for real
    /// (2 epochs on the CIFAR-10 subset). One worker is killed mid-training (after its first epoch's report); its trial goes back to the queue and the
    /// other worker trains it again. Every trial is done exactly once, with its learning curve in the ledger.
    /// </summary>
    [Fact]
    public void A_distributed_study_trains_networks_and_survives_a_worker_killed_mid_training()
    {
        const int queries = 6;
        var storage = TestDatabases.NewPostgres();
        string[] coordinatorArgs = ["study", "run", "--storage", storage, "--study", "train", "--space", "nb201", "--evaluator", "train:data=cifar10-subset,C=8,N=1,batch=128",
                                    "--epochs", "2", "--strategy", "random", "--queries", $"{queries}", "--seed", "0", "--parallel", "0", "--outstanding", "2", "--lease-seconds", "3"];
        string[] WorkerArgs(string name) => ["worker", "--storage", storage, "--study", "train", "--name", name, "--lease-seconds", "3", "--threads", "1"];
        var coordinator = new Naskit(coordinatorArgs);
        var w0 = new Naskit(WorkerArgs("w0"));
        Naskit? w1 = null;
        using var queue = TestDatabases.Open(storage);
        try
        {
            // w0 alone first, so that it is the one training when the kill lands.
            LedgerTrial orphan = null!;
            WaitUntil(() => queue.Find("train") is not null && queue.Ledger("train").FirstOrDefault(t => t.State == TrialState.Running && t.Worker == "w0") is { } t
                            && (orphan = t) is not null, "w0 to start training", seconds: 180);
            // Until it reports an epoch it is still building and loading; a report means the kill lands mid-training.
            WaitUntil(() => queue.Intermediate("train", orphan.Number).Count > 0 || queue.Ledger("train")[orphan.Number].State != TrialState.Running,
                      "w0's first epoch report", seconds: 180);
            w0.Kill9();
            Assert.Equal(TrialState.Running, queue.Ledger("train")[orphan.Number].State);
            output.WriteLine($"killed w0 (kill -9) while it trained trial {orphan.Number} ({orphan.Architecture})");
            w1 = new Naskit(WorkerArgs("w1"));
            Assert.True(coordinator.Wait(TimeSpan.FromMinutes(10)) == 0, coordinator.Stderr);
            Assert.True(w1.Wait(TimeSpan.FromMinutes(1)) == 0, w1.Stderr);
            output.WriteLine(coordinator.Stdout.Trim());

            var (asked, evaluated, lost, duplicated) = Audit(output, queue, "train", queries);
            Assert.Equal((queries, queries, 0, 0), (asked, evaluated, lost, duplicated));
            var retaken = queue.Ledger("train").Single(t => t.Number == orphan.Number);
            Assert.Equal((2, "w1"), (retaken.Attempts, retaken.Worker));
            Assert.All(queue.Ledger("train"), t =>
            {
                Assert.False(t.Evaluation!.Failed, t.Evaluation.Reason);
                Assert.InRange(t.Evaluation["valid_acc"], 0, 100);
                Assert.Equal(2, t.Evaluation.Curves!["valid_acc"].Count);             // two epochs, the curve kept
                Assert.Equal([1, 2], queue.Intermediate("train", t.Number).Select(r => r.Step)); // and reported while it ran
            });
        }
        finally
        {
            coordinator.Dispose();
            w0.Dispose();
            w1?.Dispose();
        }
    }

    [Fact]
    public void A_worker_pointed_at_no_server_says_so()
    {
        var (code, _, stderr) = CliRunner.Run(["worker", "--storage", "Host=127.0.0.1;Port=1;Username=u;Password=p;Database=d", "--study", "x"]);
        Assert.Equal(2, code);
        Assert.Contains("Cannot reach PostgreSQL 127.0.0.1:1", stderr);
    }
}

/// <summary>Restarting the server would break every other database test running at that moment, so this one runs alone.</summary>
[CollectionDefinition("database restart", DisableParallelization = true)]
public sealed class DatabaseRestartCollection;

[Collection("database restart")]
public class DatabaseRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_database_restart_mid_study_is_ridden_out_with_backoff_and_nothing_recorded_is_lost()
    {
        const int queries = 120;
        var storage = TestDatabases.NewPostgres();
        using var queue = TestDatabases.Open(storage);
        using var study = new DistributedStudyTests.Naskit(DistributedStudyTests.Coordinator(storage, "restart", queries, 3, "--parallel", "2", "--eval-delay-ms", "40"));
        DistributedStudyTests.WaitUntil(() => queue.Find("restart") is not null && queue.Progress("restart").Done >= 30, "30 trials");
        int before = queue.Progress("restart").Done;
        var restart = Process.Start(new ProcessStartInfo("bash", [Path.Combine(TestDatabases.RepoRoot, "scripts", "postgres.sh"), "restart"]) { RedirectStandardError = true })!;
        restart.WaitForExit();
        Assert.True(restart.ExitCode == 0, "scripts/postgres.sh restart failed (the test needs root or sudo): " + restart.StandardError.ReadToEnd());
        int exit = study.Wait(TimeSpan.FromMinutes(4));
        string err = await study.Err;
        Assert.True(exit == 0, err);
        output.WriteLine($"server restarted at {before} done; retries logged: {err.Split('\n').Count(l => l.Contains("retry"))}");

        var (asked, evaluated, lost, duplicated) = DistributedStudyTests.Audit(output, queue, "restart", queries);
        Assert.Equal((queries, queries, 0, 0), (asked, evaluated, lost, duplicated));
        Assert.Contains("retry", err); // it did see the database go away
    }
}
