using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces.Nb201;
using NasKit.Strategies;

namespace NasKit.Tests.Strategies;

public class StrategyTests
{
    public static TheoryData<string> Names => new(StrategyCatalog.All.Select(f => f.Name));

    private static StudyResult<ToyArch> RunToy(string name, int seed, int queries)
    {
        var space = new ToySpace();
        var strategy = StrategyCatalog.Get(name).Create(space, Objective.Max("valid_acc"), seed);
        try
        {
            var study = new Study<ToyArch>(new StudySpec("toy", "toy", name, seed), space, new ToyEvaluator(), Budget.OfQueries(queries), new InMemoryTrialStore());
            return study.Run(strategy.WithStandardWrappers(space, seed));
        }
        finally { (strategy as IDisposable)?.Dispose(); }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_strategy_finds_the_known_optimum_of_a_small_space(string name)
    {
        // 81 architectures; each run may query 60 of them, and must find the unique optimum in most seeds.
        int found = Enumerable.Range(0, 5).Count(seed => RunToy(name, seed, 60).Trials.Any(t => t.Architecture.Equals(ToyEvaluator.Optimum)));
        Assert.True(found >= 4, $"{name} found the optimum in {found}/5 runs");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_strategy_is_deterministic_given_its_seed_and_never_repeats(string name)
    {
        var a = RunToy(name, 7, 40).Trials.Select(t => t.Architecture.ToText()).ToArray();
        var b = RunToy(name, 7, 40).Trials.Select(t => t.Architecture.ToText()).ToArray();
        Assert.Equal(a, b);
        Assert.Equal(a.Length, a.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Different_seeds_give_different_searches_on_nb201(string name)
    {
        var protocol = new QueryBudgetProtocol<Nb201Cell> { Space = TestData.Nb201.Space, Evaluator = new TabularEvaluator(TestData.Nb201), Queries = 30 };
        var f = StrategyCatalog.Get(name);
        var r1 = protocol.RunOne(f, 0, 1);
        var r2 = protocol.RunOne(f, 0, 2);
        Assert.Equal(30, r1.Trials.Count);
        Assert.NotEqual(r1.Trials.Select(t => t.Architecture), r2.Trials.Select(t => t.Architecture));
        Assert.Equal(r1.Trials.Select(t => t.Architecture), protocol.RunOne(f, 0, 1).Trials.Select(t => t.Architecture));
    }

    [Fact]
    public void Deduplication_answers_repeats_without_spending_budget()
    {
        var evaluator = new ToyEvaluator();
        var space = new ToySpace();
        // Regularized evolution with a population of 1 keeps proposing neighbours of one point: many repeats.
        var strategy = new RegularizedEvolution<ToyArch>(space, Objective.Max("valid_acc"), 3, populationSize: 1, sampleSize: 1);
        var study = new Study<ToyArch>(new StudySpec("d", "toy", "rea", 3), space, evaluator, Budget.OfQueries(30), new InMemoryTrialStore());
        var result = study.Run(strategy.WithStandardWrappers());
        Assert.Equal(30, evaluator.Calls);
        Assert.Equal(30, result.Trials.Select(t => t.Architecture).Distinct().Count());
    }

    [Fact]
    public void A_strategy_that_runs_out_ends_the_study_cleanly()
    {
        var space = new ToySpace();
        var study = new Study<ToyArch>(new StudySpec("x", "toy", "random", 1), space, new ToyEvaluator(), Budget.OfQueries(500), new InMemoryTrialStore());
        var result = study.Run(new RandomSearch<ToyArch>(space, 1).WithStandardWrappers());
        Assert.Equal(81, result.Trials.Count);
        Assert.Equal("strategy exhausted", result.StopReason);
    }

    [Fact]
    public void Regularized_evolution_ages_out_the_oldest_member()
    {
        var space = new ToySpace();
        var rea = new RegularizedEvolution<ToyArch>(space, Objective.Max("valid_acc"), 0, populationSize: 2, sampleSize: 2);
        var ev = new ToyEvaluator();
        var best = ToyEvaluator.Optimum;
        rea.Tell(best, ev.Evaluate(best, Fidelity.Full));
        var worse = new ToyArch([0, 2, 0, 0]);
        rea.Tell(worse, ev.Evaluate(worse, Fidelity.Full));
        rea.Tell(worse, ev.Evaluate(worse, Fidelity.Full)); // the optimum, oldest, dies although it is best
        for (int i = 0; i < 3; i++) rea.Ask(); // burn the random warm-up
        for (int i = 0; i < 20; i++) Assert.Equal(1, rea.Ask()!.D.Zip(worse.D).Count(p => p.First != p.Second));
    }
}
