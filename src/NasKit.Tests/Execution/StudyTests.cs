using NasKit.Estimation;
using NasKit.Execution;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies;

namespace NasKit.Tests.Execution;

/// <summary>The one study engine under its budgets, on every backend: what the in-process path, SQLite and PostgreSQL share.</summary>
public class StudyTests
{
    private static Study<Nb201Cell> NewStudy(ITrialQueue queue, Budget budget, int seed = 0, string name = "s") =>
        new(queue, new StudySpec(name, "nb201", "random", seed), TestData.Nb201.Space, budget, new Fidelity(Epochs: 200));

    private static IEvaluator<Nb201Cell> Tables => new Nb201TabularEvaluator(TestData.Nb201);

    public static TheoryData<string> Backends => TestDatabases.Backends;

    [Theory, MemberData(nameof(Backends))]
    public void Random_search_respects_the_query_budget_and_never_repeats(string backend)
    {
        using var q = TestDatabases.Open(TestDatabases.New(backend));
        var r = NewStudy(q, Budget.OfQueries(60)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 4), Tables);
        Assert.Equal(60, r.Trials.Count);
        Assert.Equal(60, r.Trials.Select(t => t.Architecture).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 60), r.Trials.Select(t => t.Number));
        Assert.Equal("budget", r.StopReason);
        Assert.All(q.Ledger("s"), t => Assert.Equal((TrialState.Done, new Fidelity(Epochs: 200)), (t.State, t.Fidelity)));
    }

    [Fact]
    public void Random_search_ends_cleanly_when_a_space_is_exhausted()
    {
        var r = NewStudy(new InMemoryTrialQueue(), Budget.OfQueries(20_000)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 1), Tables);
        Assert.Equal(15_625, r.Trials.Count);
        Assert.Equal("strategy exhausted", r.StopReason);
        Assert.Equal(94.3733, r.Trials.Max(t => t.Evaluation["test_acc"]), 3);
    }

    [Theory, MemberData(nameof(Backends))]
    public void A_cost_budget_is_never_exceeded_and_the_crossing_trial_waits_in_the_ledger(string backend)
    {
        using var q = TestDatabases.Open(TestDatabases.New(backend));
        var r = NewStudy(q, new Budget(CostSeconds: 20_000)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 2), Tables);
        double total = r.Trials.Sum(t => t.Evaluation.CostSeconds);
        Assert.Equal("cost budget", r.StopReason);
        Assert.True(total <= 20_000 && r.Trials.Count > 1, $"{r.Trials.Count} trials cost {total}");
        var withheld = Assert.Single(q.Ledger("s"), t => t.TellEvent is null);
        Assert.True(total + withheld.Evaluation!.CostSeconds > 20_000, "the withheld trial would not have crossed the budget");
        // Resumed with a larger budget, the withheld trial is told first.
        var more = NewStudy(q, new Budget(CostSeconds: 40_000)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 2), Tables);
        Assert.Equal(withheld.Number, more.Trials[r.Trials.Count].Number);
    }

    [Theory, MemberData(nameof(Backends))]
    public void A_wall_time_budget_counts_resumed_trials(string backend)
    {
        var storage = TestDatabases.New(backend);
        using var q = TestDatabases.Open(storage);
        var slow = new DelayedEvaluator<Nb201Cell>(Tables, TimeSpan.FromMilliseconds(30));
        var first = NewStudy(q, new Budget(WallSeconds: 0.3)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 3), slow);
        Assert.Equal("wall budget", first.StopReason);
        double spent = first.Trials.Sum(t => t.WallSeconds);
        Assert.True(spent >= 0.3 && first.Trials.Count < 30, $"{first.Trials.Count} trials, {spent:0.000} s");
        var again = NewStudy(q, new Budget(WallSeconds: 0.3)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 3), slow);
        Assert.Equal(first.Trials.Count, again.Trials.Count); // nothing left to spend
        Assert.Equal(first.Trials.Count, again.Resumed);
    }

    [Fact]
    public void Same_seed_same_trajectory_and_different_seeds_differ()
    {
        IReadOnlyList<string> Run(int seed) => NewStudy(new InMemoryTrialQueue(), Budget.OfQueries(50))
            .Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, seed), Tables).Trials.Select(t => t.Architecture.ToText()).ToArray();
        Assert.Equal(Run(9), Run(9));
        Assert.NotEqual(Run(9), Run(10));
    }

    [Theory, MemberData(nameof(Backends))]
    public void Resuming_from_a_partial_history_gives_the_uninterrupted_run(string backend)
    {
        var full = NewStudy(new InMemoryTrialQueue(), Budget.OfQueries(80)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 5), Tables);
        var storage = TestDatabases.New(backend);
        using (var q = TestDatabases.Open(storage))
            NewStudy(q, Budget.OfQueries(30)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 5), Tables);
        using var again = TestDatabases.Open(storage);
        var resumed = NewStudy(again, Budget.OfQueries(80)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 5), Tables);
        Assert.Equal(30, resumed.Resumed);
        Assert.Equal(full.Trials.Select(t => t.Architecture), resumed.Trials.Select(t => t.Architecture));
    }

    [Fact]
    public void Resuming_with_another_strategy_seed_or_spec_is_refused()
    {
        var q = new InMemoryTrialQueue();
        NewStudy(q, Budget.OfQueries(10)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 5), Tables);
        var e = Assert.Throws<StudyConflictException>(() => NewStudy(q, Budget.OfQueries(20)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 6), Tables));
        Assert.Contains("cannot be resumed", e.Message);
        Assert.Throws<StudyConflictException>(() => NewStudy(q, Budget.OfQueries(20), seed: 1).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 5), Tables));
    }

    [Fact]
    public void An_empty_study_name_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => NewStudy(new InMemoryTrialQueue(), Budget.OfQueries(1), name: " "));
        Assert.Contains("non-empty name", e.Message);
    }

    private sealed class FlakyEvaluator(IEvaluator<Nb201Cell> inner) : IEvaluator<Nb201Cell>
    {
        public Evaluation Evaluate(Nb201Cell arch, Fidelity fidelity, TrialContext? context = null) =>
            arch.Code % 3 == 0 ? throw new InvalidOperationException("simulated crash") : inner.Evaluate(arch, fidelity, context);
    }

    [Fact]
    public void A_failing_evaluation_is_recorded_with_its_reason_and_the_search_goes_on()
    {
        var r = NewStudy(new InMemoryTrialQueue(), Budget.OfQueries(60)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 3), new FlakyEvaluator(Tables));
        Assert.Equal(60, r.Trials.Count);
        var failed = r.Trials.Where(t => t.Evaluation.Failed).ToArray();
        Assert.NotEmpty(failed);
        Assert.All(failed, t => Assert.Equal("InvalidOperationException: simulated crash", t.Evaluation.Reason));
        Assert.All(r.Trials.Where(t => !t.Evaluation.Failed), t => Assert.NotEqual(0, t.Architecture.Code % 3));
    }

    /// <summary>Proposes each cell at 12 epochs, then the good ones again at 200: the shape of a multi-fidelity scheduler.</summary>
    private sealed class TwoFidelities(Nb201Space space) : ISearchStrategy<Nb201Cell>
    {
        private readonly Random _rng = new(1);
        private readonly Queue<Proposal<Nb201Cell>> _promoted = new();
        private int _next;
        public Proposal<Nb201Cell>? Ask() => _promoted.Count > 0 ? _promoted.Dequeue() : new Proposal<Nb201Cell>(_next++, space.Sample(_rng), new Fidelity(Epochs: 12));
        public void Tell(Proposal<Nb201Cell> p, Evaluation e)
        {
            if (p.Fidelity!.Epochs == 12 && e["valid_acc"] > 80) _promoted.Enqueue(new Proposal<Nb201Cell>(_next++, p.Architecture, new Fidelity(Epochs: 200)));
        }
    }

    [Theory, MemberData(nameof(Backends))]
    public void Proposals_carry_their_fidelity_and_identity_into_the_ledger_and_back(string backend)
    {
        using var q = TestDatabases.Open(TestDatabases.New(backend));
        NewStudy(q, Budget.OfQueries(40)).Run(new TwoFidelities(TestData.Nb201.Space).WithStandardWrappers(), Tables);
        var ledger = q.Ledger("s");
        Assert.Contains(ledger, t => t.Fidelity.Epochs == 12);
        Assert.Contains(ledger, t => t.Fidelity.Epochs == 200);
        Assert.All(ledger, t => Assert.NotNull(t.Proposal));
        foreach (var t in ledger) // each trial is its proposal, looked up at its own fidelity
            Assert.Equal(TestData.Nb201.ValidAccuracy(Nb201Cell.Parse(t.Architecture), epochs: t.Fidelity.Epochs!.Value), t.Evaluation!["valid_acc"], 10);
        // The same architecture at two fidelities is two trials: deduplication keys on both.
        Assert.Contains(ledger.GroupBy(t => t.Architecture), g => g.Select(t => t.Fidelity.Epochs).Distinct().Count() == 2);
        // A fresh strategy replays exactly.
        var replay = NewStudy(q, Budget.OfQueries(40)).Run(new TwoFidelities(TestData.Nb201.Space).WithStandardWrappers(), Tables);
        Assert.Equal((40, 40), (replay.Resumed, replay.Trials.Count));
    }
}
