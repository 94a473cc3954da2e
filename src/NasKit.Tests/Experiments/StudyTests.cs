using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces.Nb201;
using NasKit.Strategies;

namespace NasKit.Tests.Experiments;

public class StudyTests
{
    private static Study<Nb201Cell> NewStudy(ITrialStore store, Budget budget, int seed = 0, IEvaluator<Nb201Cell>? evaluator = null) =>
        new(new StudySpec("s", "nb201", "random", seed), TestData.Nb201.Space, evaluator ?? new TabularEvaluator(TestData.Nb201), budget, store);

    [Fact]
    public void Random_search_respects_the_query_budget_and_never_repeats()
    {
        var r = NewStudy(new InMemoryTrialStore(), Budget.OfQueries(300)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 4));
        Assert.Equal(300, r.Trials.Count);
        Assert.Equal(300, r.Trials.Select(t => t.Architecture).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 300), r.Trials.Select(t => t.Number));
    }

    [Fact]
    public void Random_search_ends_cleanly_when_a_space_is_exhausted()
    {
        var r = NewStudy(new InMemoryTrialStore(), Budget.OfQueries(20_000)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 1));
        Assert.Equal(15_625, r.Trials.Count);
        Assert.Equal("strategy exhausted", r.StopReason);
        Assert.Equal(94.3733, r.Trials.Max(t => t.Evaluation["test_acc"]), 3);
    }

    [Fact]
    public void A_cost_budget_is_never_exceeded()
    {
        var r = NewStudy(new InMemoryTrialStore(), new Budget(CostSeconds: 20_000)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 2));
        double total = r.Trials.Sum(t => t.Evaluation.CostSeconds);
        Assert.True(total <= 20_000);
        Assert.True(r.Trials.Count > 1);
    }

    [Fact]
    public void Same_seed_same_trajectory_and_different_seeds_differ()
    {
        IReadOnlyList<string> Run(int seed) => NewStudy(new InMemoryTrialStore(), Budget.OfQueries(50))
            .Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, seed)).Trials.Select(t => t.Architecture.ToText()).ToArray();
        Assert.Equal(Run(9), Run(9));
        Assert.NotEqual(Run(9), Run(10));
    }

    [Fact]
    public void Resuming_from_a_partial_history_gives_the_uninterrupted_run()
    {
        var full = NewStudy(new InMemoryTrialStore(), Budget.OfQueries(80)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 5));
        var store = new InMemoryTrialStore();
        NewStudy(store, Budget.OfQueries(30)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 5));
        var resumed = NewStudy(store, Budget.OfQueries(80)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 5));
        Assert.Equal(30, resumed.Resumed);
        Assert.Equal(full.Trials.Select(t => t.Architecture), resumed.Trials.Select(t => t.Architecture));
    }

    [Fact]
    public void Resuming_with_another_strategy_seed_is_refused()
    {
        var store = new InMemoryTrialStore();
        NewStudy(store, Budget.OfQueries(10)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 5));
        var e = Assert.Throws<StudyConflictException>(() => NewStudy(store, Budget.OfQueries(20)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 6)));
        Assert.Contains("cannot be resumed", e.Message);
        Assert.Throws<StudyConflictException>(() => NewStudy(store, Budget.OfQueries(20), seed: 1));
    }

    private sealed class FlakyEvaluator(IEvaluator<Nb201Cell> inner) : IEvaluator<Nb201Cell>
    {
        public Evaluation Evaluate(Nb201Cell arch, Fidelity fidelity, CancellationToken ct = default) =>
            arch.Code % 3 == 0 ? throw new InvalidOperationException("simulated crash") : inner.Evaluate(arch, fidelity, ct);
    }

    [Fact]
    public void A_failing_evaluation_is_recorded_with_its_reason_and_the_search_goes_on()
    {
        var r = NewStudy(new InMemoryTrialStore(), Budget.OfQueries(60), evaluator: new FlakyEvaluator(new TabularEvaluator(TestData.Nb201)))
            .Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 3));
        Assert.Equal(60, r.Trials.Count);
        var failed = r.Trials.Where(t => t.Evaluation.Failed).ToArray();
        Assert.NotEmpty(failed);
        Assert.All(failed, t => Assert.Equal("InvalidOperationException: simulated crash", t.Evaluation.Reason));
        Assert.All(r.Trials.Where(t => !t.Evaluation.Failed), t => Assert.NotEqual(0, t.Architecture.Code % 3));
    }

    [Fact]
    public void The_sqlite_store_round_trips_trials_and_refuses_a_second_writer()
    {
        var path = Path.Combine(Path.GetTempPath(), $"naskit-{Guid.NewGuid():N}.db");
        using (var store = new SqliteTrialStore(path))
        {
            NewStudy(store, Budget.OfQueries(25)).Run(new RandomSearch<Nb201Cell>(TestData.Nb201.Space, 8));
        }
        using var a = new SqliteTrialStore(path);
        using var b = new SqliteTrialStore(path);
        var trials = a.Trials("s");
        Assert.Equal(25, trials.Count);
        Assert.Equal(TestData.Nb201.ValidAccuracy(Nb201Cell.Parse(trials[3].Architecture)), trials[3].Evaluation["valid_acc"], 10);
        var next = trials[^1] with { Number = 25 };
        a.Append("s", next);
        var e = Assert.Throws<StudyConflictException>(() => b.Append("s", next));
        Assert.Contains("Another process is probably writing the same study", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_store_gets_a_clear_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"naskit-{Guid.NewGuid():N}.db");
        File.WriteAllText(path, "this is not a database, just text that is long enough to have a header page..............................");
        var e = Assert.Throws<IOException>(() => new SqliteTrialStore(path));
        Assert.Contains("Cannot use", e.Message);
    }
}
