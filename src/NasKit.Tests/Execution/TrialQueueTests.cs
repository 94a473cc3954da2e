using Npgsql;
using NasKit.Estimation;
using NasKit.Execution;

namespace NasKit.Tests.Execution;

public class TrialQueueTests
{
    private static readonly StudySpec Spec = new("q", "nb201", "random", 0, "queries=10");
    private static readonly Fidelity Full = new(Epochs: 200);
    private static Evaluation Result(double acc) => new(new Dictionary<string, double> { ["valid_acc"] = acc }, 1);

    private static ITrialQueue WithTrials(string backend, int n) => WithTrials(backend, n, out _);

    private static ITrialQueue WithTrials(string backend, int n, out string storage)
    {
        storage = TestDatabases.New(backend);
        var q = TestDatabases.Open(storage);
        q.Open(Spec);
        q.Advance(Spec.Name, [], Enumerable.Range(0, n).Select(i => new LedgerAsk(i, $"arch-{i}", Full, i)).ToList());
        return q;
    }

    [Theory, InlineData("memory"), InlineData("sqlite"), InlineData("postgres")]
    public void An_expired_lease_goes_back_to_the_queue_and_the_late_result_is_discarded(string backend)
    {
        using var q = WithTrials(backend, 1);
        var first = q.Claim(Spec.Name, "w1", TimeSpan.FromMilliseconds(300), maxAttempts: 3)!;
        Assert.Null(q.Claim(Spec.Name, "w2", TimeSpan.FromSeconds(10), 3)); // held
        Thread.Sleep(600);
        var second = q.Claim(Spec.Name, "w2", TimeSpan.FromSeconds(10), 3)!;
        Assert.Equal((0, 2), (second.Number, second.Attempt));
        Assert.False(q.Complete(first, Result(1), 0.1));   // w1 came back too late
        Assert.True(q.Complete(second, Result(2), 0.1));
        var t = Assert.Single(q.Ledger(Spec.Name));
        Assert.Equal((TrialState.Done, "w2", 2.0), (t.State, t.Worker, t.Evaluation!["valid_acc"]));
        var workers = q.Workers(Spec.Name).ToDictionary(w => w.Worker);
        Assert.Equal((0, 1), (workers["w1"].Completed, workers["w1"].Rejected));
        Assert.Equal((1, 0), (workers["w2"].Completed, workers["w2"].Rejected));
    }

    [Theory, InlineData("memory"), InlineData("sqlite"), InlineData("postgres")]
    public void Heartbeats_keep_a_slow_trial_from_being_taken(string backend)
    {
        using var q = WithTrials(backend, 1);
        // Heartbeats 200 ms apart for 2.5 leases: only they keep the trial. A claim by another worker is checked after
        // each beat and must fail whenever the beat and the claim both fell within one lease. A loaded machine that
        // stalls this thread for longer than the lease between them may see the lease lapse and the trial retaken,
        // which is the queue doing its job; such a pair is not counted (two CI runs failed on fixed margins).
        var lease = TimeSpan.FromSeconds(2);
        var t = q.Claim(Spec.Name, "w1", lease, 3)!;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int checkedBeats = 0;
        while (clock.Elapsed < 2.5 * lease)
        {
            Thread.Sleep(200);
            var before = clock.Elapsed;
            Assert.True(q.Heartbeat(t, lease));
            var stolen = q.Claim(Spec.Name, "w2", lease, 3);
            if (clock.Elapsed - before >= lease)
            {
                if (stolen is not null) return; // stalled past the lease: retaking it was right
                continue;
            }
            Assert.Null(stolen);
            checkedBeats++;
        }
        Assert.True(checkedBeats >= 10, $"only {checkedBeats} beats were checked within a lease");
        Assert.True(q.Complete(t, Result(1), 0.9));
    }

    [Theory, InlineData("memory"), InlineData("sqlite"), InlineData("postgres")]
    public void A_failing_trial_is_retried_then_recorded_as_failed_with_its_reason(string backend)
    {
        using var q = WithTrials(backend, 1);
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            var t = q.Claim(Spec.Name, "w", TimeSpan.FromSeconds(10), 3)!;
            Assert.Equal(attempt, t.Attempt);
            Assert.Empty(q.Untold(Spec.Name));
            q.Fail(t, $"CUDA out of memory ({attempt})", 3);
        }
        Assert.Null(q.Claim(Spec.Name, "w", TimeSpan.FromSeconds(10), 3));
        var failed = Assert.Single(q.Untold(Spec.Name));
        Assert.Equal(TrialState.Failed, failed.State);
        Assert.True(failed.Evaluation!.Failed);
        Assert.Equal("CUDA out of memory (3)", failed.Evaluation.Reason);
    }

    [Theory, InlineData("memory"), InlineData("sqlite"), InlineData("postgres")]
    public void A_trial_whose_workers_keep_vanishing_ends_failed_instead_of_looping(string backend)
    {
        using var q = WithTrials(backend, 1);
        for (int i = 0; i < 2; i++) { Assert.NotNull(q.Claim(Spec.Name, $"w{i}", TimeSpan.FromMilliseconds(100), 2)); Thread.Sleep(250); }
        Assert.Null(q.Claim(Spec.Name, "w9", TimeSpan.FromSeconds(10), 2));
        var t = Assert.Single(q.Ledger(Spec.Name));
        Assert.Equal(TrialState.Failed, t.State);
        Assert.Contains("vanished", t.Evaluation!.Reason);
    }

    [Theory, InlineData("memory"), InlineData("sqlite"), InlineData("postgres")]
    public void Concurrent_workers_claim_every_trial_exactly_once(string backend)
    {
        const int n = 120;
        WithTrials(backend, n, out var storage).Dispose();
        var claimed = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 6 }, w =>
        {
            using var own = TestDatabases.Open(storage);
            while (own.Claim(Spec.Name, $"w{w}", TimeSpan.FromSeconds(30), 3) is { } t)
            {
                claimed.Add(t.Number);
                Assert.True(own.Complete(t, Result(t.Number), 0));
            }
        });
        Assert.Equal(Enumerable.Range(0, n), claimed.Order());
        using var check = TestDatabases.Open(storage);
        Assert.Equal(n, check.Workers(Spec.Name).Sum(w => w.Completed));
        Assert.All(check.Ledger(Spec.Name), t => Assert.Equal((TrialState.Done, 1), (t.State, t.Attempts)));
    }

    [Theory, InlineData("memory"), InlineData("sqlite"), InlineData("postgres")]
    public void Several_studies_share_a_database_and_a_changed_spec_is_refused(string backend)
    {
        var storage = TestDatabases.New(backend);
        using var q = TestDatabases.Open(storage);
        q.Open(Spec);
        q.Open(Spec with { Name = "other", Seed = 5 });
        q.Advance("q", [], [new LedgerAsk(0, "a", Full, 0)]);
        q.Advance("other", [], [new LedgerAsk(0, "b", Full, 0)]);
        Assert.Equal(["a"], q.Ledger("q").Select(t => t.Architecture));
        Assert.Equal(["q", "other"], q.Studies().Select(s => s.Name).OrderByDescending(n => n == "q"));
        var e = Assert.Throws<StudyConflictException>(() => q.Open(Spec with { Seed = 1 }));
        Assert.Contains("seed", e.Message);
        // Reopening migrates nothing twice.
        using var again = TestDatabases.Open(storage);
        Assert.Equal(["a"], again.Ledger("q").Select(t => t.Architecture));
    }

    [Theory, InlineData("sqlite"), InlineData("postgres")]
    public void A_schema_from_a_newer_naskit_is_refused_with_a_clear_error(string backend)
    {
        var storage = TestDatabases.New(backend);
        using (var q = TestDatabases.Open(storage))
            Exec(storage, $"INSERT INTO naskit_migrations(version, description, applied) VALUES ({SqlTrialQueue.SchemaVersion + 1}, 'from the future', 0)");
        var e = Assert.Throws<StoreUnavailableException>(() => TestDatabases.Open(storage));
        Assert.Contains("newer than this NasKit", e.Message);
        Assert.Contains("Upgrade NasKit", e.Message);
    }

    [Theory, InlineData("memory"), InlineData("sqlite"), InlineData("postgres")]
    public void Intermediate_results_and_learning_curves_are_kept_per_attempt(string backend)
    {
        using var q = WithTrials(backend, 1);
        var first = q.Claim(Spec.Name, "w1", TimeSpan.FromMilliseconds(300), 3)!;
        Assert.True(q.Report(first, new IntermediateResult(1, new Dictionary<string, double> { ["valid_acc"] = 10 })));
        Thread.Sleep(600); // w1 vanishes; w2 starts the trial again
        var second = q.Claim(Spec.Name, "w2", TimeSpan.FromSeconds(10), 3)!;
        Assert.False(q.Report(first, new IntermediateResult(2, new Dictionary<string, double> { ["valid_acc"] = 99 }))); // not its trial any more
        for (int step = 1; step <= 3; step++)
            Assert.True(q.Report(second, new IntermediateResult(step, new Dictionary<string, double> { ["valid_acc"] = 20 + step, ["train_loss"] = 2.0 / step })));
        var curve = q.Intermediate(Spec.Name, 0);
        Assert.Equal([1, 2, 3], curve.Select(r => r.Step));
        Assert.Equal([21.0, 22.0, 23.0], curve.Select(r => r.Metrics["valid_acc"]));
        var evaluation = Result(23) with { Curves = new Dictionary<string, IReadOnlyList<double>> { ["valid_acc"] = [21, 22, 23] }, StoppedAt = 3 };
        Assert.True(q.Complete(second, evaluation, 1.5));
        var done = Assert.Single(q.Ledger(Spec.Name)).Evaluation!;
        Assert.Equal([21.0, 22.0, 23.0], done.Curves!["valid_acc"]);
        Assert.Equal(3, done.StoppedAt);
    }

    private static void Exec(string storage, string sql)
    {
        if (TrialQueues.IsPostgres(storage))
        {
            using var c = new NpgsqlConnection(storage);
            c.Open();
            using var cmd = new NpgsqlCommand(sql, c);
            cmd.ExecuteNonQuery();
        }
        else
        {
            using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={storage};Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
    }

    [Fact]
    public void Wrong_connection_strings_get_errors_that_say_what_to_fix()
    {
        var unreachable = Assert.Throws<StoreUnavailableException>(() =>
            new PostgresTrialQueue("Host=127.0.0.1;Port=1;Username=naskit;Password=naskit;Database=naskit_test", connectRetry: TimeSpan.FromSeconds(1)));
        Assert.Contains("Cannot reach PostgreSQL 127.0.0.1:1", unreachable.Message);

        var b = new NpgsqlConnectionStringBuilder(TestDatabases.PostgresServer) { Password = "wrong" };
        var login = Assert.Throws<StoreUnavailableException>(() => new PostgresTrialQueue(b.ConnectionString));
        Assert.Contains("refused the login", login.Message);

        var db = new NpgsqlConnectionStringBuilder(TestDatabases.PostgresServer) { Database = "no_such_naskit_db" };
        Assert.Contains("createdb", Assert.Throws<StoreUnavailableException>(() => new PostgresTrialQueue(db.ConnectionString)).Message);

        var garbage = Assert.Throws<StoreUnavailableException>(() => new PostgresTrialQueue("Host=x;Colour=blue"));
        Assert.Contains("Not a PostgreSQL connection string", garbage.Message);
    }

    [Fact]
    public void Postgres_uris_become_npgsql_keywords()
    {
        var s = new NpgsqlConnectionStringBuilder(PostgresTrialQueue.FromUri("postgresql://nas%20kit:p%40ss@db.example:6543/studies?SSL%20Mode=Require"));
        Assert.Equal(("db.example", 6543, "nas kit", "p@ss", "studies", SslMode.Require), (s.Host, s.Port, s.Username, s.Password, s.Database, s.SslMode));
    }
}
