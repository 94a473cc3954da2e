using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies;
using Xunit.Abstractions;

namespace NasKit.Tests.Execution;

/// <summary>Exact resume of the one engine, for every strategy of the catalog and every backend, with local workers.</summary>
public class ResumeTests(ITestOutputHelper output)
{
    private static readonly Fidelity Full = new(Epochs: 200);

    /// <summary>Dies (throws) right after its inner strategy saw the n-th ask or tell: the change is in memory, not yet in the ledger.</summary>
    private sealed class CrashingStrategy(ISearchStrategy<Nb201Cell> inner, int crashAtCall) : ISearchStrategy<Nb201Cell>
    {
        private int _calls;
        public Proposal<Nb201Cell>? Ask() { var a = inner.Ask(); Tick(); return a; }
        public bool Waiting => inner.Waiting;
        public void Tell(Proposal<Nb201Cell> p, Evaluation evaluation) { inner.Tell(p, evaluation); Tick(); }
        private void Tick() { if (++_calls == crashAtCall) throw new CrashException(); }
    }

    private sealed class CrashException : Exception;

    /// <summary>NB201's two tables as the rungs of the multi-fidelity schedulers; the other strategies ignore them.</summary>
    private static readonly FidelityRungs Rungs = FidelityRungs.Parse("12,200");

    private static ISearchStrategy<Nb201Cell> Fresh(string strategy, int seed) =>
        Catalog<IStrategyFactory>.Get(strategy).Create(TestData.Nb201.Space, [Objective.Max("valid_acc")], seed, Rungs).WithStandardWrappers();

    /// <summary>Runs the study with local worker threads until it ends or the strategy crashes.</summary>
    private static StudyResult<Nb201Cell>? Drive(string storage, StudySpec spec, ISearchStrategy<Nb201Cell> strategy, int queries, int workers,
                                                 int outstanding, string coordinatorName = "c")
    {
        using var stop = new CancellationTokenSource();
        var threads = Enumerable.Range(0, workers).Select(i => Task.Run(() =>
        {
            using var q = TestDatabases.Open(storage);
            return new Worker<Nb201Cell>(q, spec.Name, TestData.Nb201.Space, new Nb201TabularEvaluator(TestData.Nb201),
                new WorkerOptions { Name = $"w{i}", Lease = TimeSpan.FromSeconds(5) }).Run(stop.Token);
        })).ToArray();
        foreach (var w in threads) w.ContinueWith(_ => stop.Cancel(), TaskContinuationOptions.OnlyOnFaulted);
        try
        {
            using var queue = TestDatabases.Open(storage);
            return new Study<Nb201Cell>(queue, spec, TestData.Nb201.Space, Budget.OfQueries(queries), Full) { MaxOutstanding = outstanding, Name = coordinatorName }
                .Run(strategy, cancellationToken: stop.Token);
        }
        catch (CrashException) { return null; }
        finally
        {
            stop.Cancel();
            Task.WaitAll(threads);
        }
    }

    private static List<(string Arch, string Fidelity, double? Acc, TrialState State)> History(string storage, string study)
    {
        using var q = TestDatabases.Open(storage);
        return q.Ledger(study).Select(t => (t.Architecture, t.Fidelity.ToString(), t.Evaluation?.Metrics.GetValueOrDefault("valid_acc"), t.State)).ToList();
    }

    public static TheoryData<string, string> StrategiesOnBackends()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in Catalog<IStrategyFactory>.All.Where(StrategyFactories.SingleObjective))
            foreach (var backend in new[] { "memory", "sqlite", "postgres" })
                data.Add(f.Name, backend);
        return data;
    }

    [Theory, MemberData(nameof(StrategiesOnBackends))]
    public void Every_strategy_resumes_after_a_crash_with_exactly_the_uninterrupted_history(string strategy, string backend)
    {
        const int queries = 30, seed = 3;
        var storage = TestDatabases.New(backend);
        var spec = new StudySpec("whole", "nb201", strategy, seed, $"queries={queries}");
        Assert.NotNull(Drive(storage, spec, Fresh(strategy, seed), queries, workers: 1, outstanding: 1));
        var uninterrupted = History(storage, "whole");
        Assert.Equal(queries, uninterrupted.Count);

        // Crash at a call chosen from the name: after a tell that was not yet recorded, or an ask not yet enqueued.
        int crashAt = 20 + new Random(strategy.Length).Next(25);
        var crashed = spec with { Name = "crashed" };
        Assert.Null(Drive(storage, crashed, new CrashingStrategy(Fresh(strategy, seed), crashAt), queries, workers: 1, outstanding: 1));
        int before = History(storage, "crashed").Count;
        Assert.InRange(before, 1, queries - 1);
        var resumed = Drive(storage, crashed, Fresh(strategy, seed), queries, workers: 1, outstanding: 1)!;
        output.WriteLine($"{strategy} on {backend}: crashed at call {crashAt} with {before} trials asked; resumed with {resumed.Resumed} tells replayed");

        Assert.Equal(uninterrupted, History(storage, "crashed"));
    }

    [Theory, InlineData("memory"), InlineData("postgres")]
    public void Asynchronous_evolution_keeps_several_trials_outstanding_and_its_ledger_replays(string backend)
    {
        const int queries = 120;
        var storage = TestDatabases.New(backend);
        var spec = new StudySpec("async", "nb201", "rea", 5, $"queries={queries}");
        var result = Drive(storage, spec, Fresh("rea", 5), queries, workers: 4, outstanding: 4)!;
        Assert.Equal((queries, "budget"), (result.Asked, result.StopReason));

        using var q = TestDatabases.Open(storage);
        var ledger = q.Ledger("async");
        Assert.All(ledger, t => Assert.Equal(TrialState.Done, t.State));
        Assert.Equal(queries, ledger.Select(t => t.Architecture).Distinct().Count());
        // Some trial was asked while three others were still out: the asks are not strictly alternating with tells.
        var tells = ledger.Select(t => t.TellEvent!.Value).ToHashSet();
        int maxOut = 0, outNow = 0;
        for (long e = 0; e <= ledger.Max(t => Math.Max(t.AskEvent, t.TellEvent!.Value)); e++)
        {
            if (ledger.Any(t => t.AskEvent == e)) outNow++;
            else if (tells.Contains(e)) outNow--;
            maxOut = Math.Max(maxOut, outNow);
        }
        Assert.Equal(4, maxOut);

        // The recorded trials are exactly what the strategy asks for: a fresh study replays all of them.
        var replay = new Study<Nb201Cell>(q, spec, TestData.Nb201.Space, Budget.OfQueries(queries), Full) { MaxOutstanding = 4, Name = "audit" }.Run(Fresh("rea", 5));
        Assert.Equal((queries, queries), (replay.Asked, replay.Resumed));
    }

    [Fact]
    public void A_ledger_from_another_seed_is_refused_on_resume()
    {
        var storage = TestDatabases.NewSqlite();
        var spec = new StudySpec("s", "nb201", "random", 1, "queries=5");
        Drive(storage, spec, Fresh("random", 1), 5, 1, 1);
        using var q = TestDatabases.Open(storage);
        var e = Assert.Throws<StudyConflictException>(() =>
            new Study<Nb201Cell>(q, spec, TestData.Nb201.Space, Budget.OfQueries(5), Full).Run(Fresh("random", 2)));
        Assert.Contains("cannot be resumed", e.Message);
    }

    [Fact]
    public void A_ledger_row_that_is_not_an_architecture_is_named_on_resume()
    {
        var storage = TestDatabases.NewSqlite();
        var spec = new StudySpec("s", "nb201", "random", 1, "queries=5");
        using var q = TestDatabases.Open(storage);
        q.Open(spec);
        q.Advance("s", [], [new LedgerAsk(0, "|nor_conv_3x3~0|+|bogus~0|", Full, 0)]);
        var e = Assert.Throws<StudyConflictException>(() => new Study<Nb201Cell>(q, spec, TestData.Nb201.Space, Budget.OfQueries(5), Full).Run(Fresh("random", 1)));
        Assert.Contains("trial 0 holds '|nor_conv_3x3~0|+|bogus~0|', which is not an architecture of space nb201", e.Message);
    }

    [Theory, InlineData("memory"), InlineData("sqlite")]
    public void A_second_live_coordinator_is_refused(string backend)
    {
        var spec = new StudySpec("s", "nb201", "random", 1, "queries=5");
        using var q = TestDatabases.Open(TestDatabases.New(backend));
        q.Open(spec);
        Assert.True(q.TryLead("s", "first", TimeSpan.FromMinutes(1)));
        var e = Assert.Throws<StudyConflictException>(() =>
            new Study<Nb201Cell>(q, spec, TestData.Nb201.Space, Budget.OfQueries(5), Full) { Name = "second", LeadTimeout = TimeSpan.FromSeconds(1) }.Run(Fresh("random", 1)));
        Assert.Contains("is being coordinated by first", e.Message);
    }
}
