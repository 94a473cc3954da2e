using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.SearchSpaces.Nb201;
using NasKit.Spaces;
using NasKit.Strategies;
using Xunit.Abstractions;

namespace NasKit.Tests.Strategies;

/// <summary>
/// The contract every strategy of the catalog keeps, checked so that a broken strategy fails: it is a deterministic
/// function of its seed, it fills its budget with architectures of its own (the deduplication wrapper ends a search
/// that only repeats itself instead of inventing proposals), and, when it is guided by results, it beats random search
/// where random search is weak.
/// </summary>
public class StrategyTests(ITestOutputHelper output)
{
    // Multi-fidelity schedulers have their own tests (MultiFidelityTests): they need rungs and an epoch budget.
    public static TheoryData<string> Names => new(Catalog<IStrategyFactory>.All
        .Where(f => StrategyFactories.SingleObjective(f) && StrategyFactories.SingleFidelity(f)).Select(f => f.Name));

    public static TheoryData<string> Guided => new(Catalog<IStrategyFactory>.All
        .Where(f => f.Objectives == ObjectiveCount.One && StrategyFactories.SingleFidelity(f)).Select(f => f.Name));

    internal static StudyResult<Choices> Run(ISearchStrategy<Choices> strategy, DecisionSpace space, ToyEvaluator evaluator, int queries, int seed)
    {
        try
        {
            var study = new Study<Choices>(new InMemoryTrialQueue(), new StudySpec("toy", space.Name, "s", seed), space, Budget.OfQueries(queries));
            return study.Run(strategy.WithStandardWrappers(), evaluator);
        }
        finally { (strategy as IDisposable)?.Dispose(); }
    }

    private static StudyResult<Choices> RunToy(string name, DecisionSpace space, ToyEvaluator evaluator, int seed, int queries) =>
        Run(Catalog<IStrategyFactory>.Get(name).Create(space, Objective.Max(Metrics.ValidAccuracy), seed), space, evaluator, queries, seed);

    /// <summary>The contract's first two clauses, as one check a broken strategy can fail: null when kept, else what broke.</summary>
    internal static string? Contract(Func<int, ISearchStrategy<Choices>> make)
    {
        var space = Toy.Small();
        var a = Run(make(7), space, new ToyEvaluator(), 40, 7);
        var b = Run(make(7), space, new ToyEvaluator(), 40, 7);
        var texts = a.Trials.Select(t => t.Architecture.ToText()).ToArray();
        if (!texts.SequenceEqual(b.Trials.Select(t => t.Architecture.ToText()))) return "two runs with the same seed differ";
        if (texts.Length != 40) return $"it filled {texts.Length} of 40 queries before it {a.StopReason}";
        if (texts.Distinct().Count() != texts.Length) return "a trial was evaluated twice";
        return null;
    }

    [Theory, MemberData(nameof(Names))]
    public void Every_strategy_is_deterministic_and_fills_its_budget_with_new_architectures(string name)
    {
        var problem = Contract(seed => Catalog<IStrategyFactory>.Get(name).Create(Toy.Small(), Objective.Max(Metrics.ValidAccuracy), seed));
        Assert.True(problem is null, $"{name}: {problem}");
    }

    private sealed class SameEveryTime(DecisionSpace space) : ArchitectureStrategy<Choices>
    {
        protected override Choices? Propose() => space.Arch(0, 0, 0, 0);
        protected override void Observe(Choices arch, Evaluation evaluation) { }
    }

    private sealed class IgnoresItsSeed(DecisionSpace space) : ArchitectureStrategy<Choices>
    {
        private readonly Random _rng = new();
        protected override Choices? Propose() => space.Sample(_rng);
        protected override void Observe(Choices arch, Evaluation evaluation) { }
    }

    [Fact]
    public void The_contract_fails_a_strategy_that_always_proposes_the_same_architecture_or_ignores_its_seed()
    {
        var space = Toy.Small();
        Assert.Contains("filled 1 of 40", Contract(_ => new SameEveryTime(space)));
        Assert.Equal("two runs with the same seed differ", Contract(_ => new IgnoresItsSeed(space)));
    }

    // Random search's final regret on the large toy landscape, over the seeds the comparison uses: computed once.
    private const int Seeds = 12, Queries = 200;
    private static readonly Lazy<double[]> RandomRegrets = new(() => Regrets("random"));

    private static double[] Regrets(string name)
    {
        var space = Toy.Large();
        var evaluator = new ToyEvaluator(ToyEvaluator.LargeOptimum);
        return Enumerable.Range(100, Seeds).AsParallel().AsOrdered()
            .Select(seed => evaluator.Best - RunToy(name, space, evaluator, seed, Queries).Trials.Max(t => t.Evaluation[Metrics.ValidAccuracy])).ToArray();
    }

    /// <summary>
    /// On 65,536 architectures, the best of 200 random draws is typically 5-6 steps from the optimum. A strategy that
    /// learns from what it is told must end clearly closer (15% less regret, one-sided Mann-Whitney p < 0.05 over 12 seeds); one that
    /// ignores its results (or is random search in disguise) cannot.
    /// </summary>
    [Theory, MemberData(nameof(Guided))]
    public void Every_guided_strategy_beats_random_search_where_random_search_is_weak(string name)
    {
        var random = RandomRegrets.Value;
        var mine = Regrets(name);
        var (_, p) = Statistics.MannWhitneyU(mine, random);
        output.WriteLine($"{name}: regret {Statistics.Mean(mine):0.0} vs random {Statistics.Mean(random):0.0} (two-sided p {p:0.0000})");
        Assert.True(Statistics.Mean(mine) < 0.85 * Statistics.Mean(random) && p / 2 < 0.05,
            $"{name}: mean regret {Statistics.Mean(mine):0.0} vs random search's {Statistics.Mean(random):0.0}, one-sided p = {p / 2:0.0000}");
    }

    [Theory, MemberData(nameof(Names))]
    public void Different_seeds_give_different_searches_on_nb201(string name)
    {
        var protocol = new QueryBudgetProtocol<Nb201Cell> { Space = TestData.Nb201.Space, Evaluator = new Nb201TabularEvaluator(TestData.Nb201), Queries = 30 };
        var f = Catalog<IStrategyFactory>.Get(name);
        var r1 = protocol.RunOne(f, 0, 1);
        var r2 = protocol.RunOne(f, 0, 2);
        Assert.Equal(30, r1.Trials.Count);
        Assert.NotEqual(r1.Trials.Select(t => t.Architecture), r2.Trials.Select(t => t.Architecture));
        Assert.Equal(r1.Trials.Select(t => t.Architecture), protocol.RunOne(f, 0, 1).Trials.Select(t => t.Architecture));
    }

    [Fact]
    public void A_multi_objective_protocol_gives_the_strategy_every_objective_and_keeps_the_incumbent_within_the_bounds()
    {
        var objectives = Objective.ParseList("valid_acc,params_m,params_m<=0.5");
        var protocol = new QueryBudgetProtocol<Nb201Cell>
        {
            Space = TestData.Nb201.Space, Evaluator = new Nb201TabularEvaluator(TestData.Nb201), Queries = 60,
            Signal = objectives[0], Objectives = objectives,
        };
        var run = protocol.RunOne(Catalog<IStrategyFactory>.Get("nsga2"), 0, 4);
        var all = run.Trials.Where(t => !t.Evaluation.Failed).ToArray();
        var feasible = all.Where(t => t.Evaluation[Metrics.Parameters] <= 0.5).ToArray();
        Assert.True(feasible.Length > 0 && feasible.Length < all.Length, "the bound must cut the sample for the test to mean something");
        var best = run.Best(objectives[0])!;
        Assert.Equal(feasible.Max(t => t.Evaluation[Metrics.ValidAccuracy]), best.Evaluation[Metrics.ValidAccuracy]);
        Assert.True(all.Max(t => t.Evaluation[Metrics.ValidAccuracy]) > best.Evaluation[Metrics.ValidAccuracy], "an unbounded incumbent would differ");
        Assert.Equal(best.Evaluation[Metrics.TestAccuracy], run.Outcome);
        var rows = TrialTable.Rows([run], Metrics.ValidAccuracy, Metrics.TestAccuracy, ["valid_acc", "params_m"]).ToArray();
        Assert.All(rows.Where(r => !r.Failed), r => Assert.Equal(["valid_acc", "params_m"], r.ObjectiveValues().Select(v => v.Metric)));
        Assert.Equal(all[0].Evaluation[Metrics.Parameters], rows[0].ObjectiveValues()[1].Value);
    }

    [Fact]
    public void An_objective_the_evaluator_does_not_report_stops_the_run_at_its_first_result()
    {
        int told = 0;
        var protocol = new QueryBudgetProtocol<Nb201Cell>
        {
            Space = TestData.Nb201.Space, Evaluator = new Nb201TabularEvaluator(TestData.Nb201), Queries = 200,
            Signal = Objective.Max(Metrics.ValidAccuracy), Objectives = Objective.ParseList("valid_acc,cpu_latency"),
            OnTrial = (_, _, _) => told++,
        };
        var e = Assert.Throws<ArgumentException>(() => protocol.RunOne(Catalog<IStrategyFactory>.Get("nsga2"), 0, 0));
        Assert.Contains("does not report 'cpu_latency'", e.Message);
        Assert.Equal(0, told); // the first successful trial fails the run before anyone sees it
    }

    [Fact]
    public void Deduplication_answers_repeats_without_spending_budget()
    {
        var evaluator = new ToyEvaluator();
        var space = Toy.Small();
        // Regularized evolution with a population of 1 keeps proposing neighbours of one point: many repeats.
        var strategy = new Deduplicated<Choices>(new RegularizedEvolution<Choices>(space, Objective.Max(Metrics.ValidAccuracy), 3, populationSize: 1, sampleSize: 1));
        var study = new Study<Choices>(new InMemoryTrialQueue(), new StudySpec("d", "toy", "rea", 3), space, Budget.OfQueries(30));
        var result = study.Run(strategy, evaluator);
        Assert.Equal(30, evaluator.Calls);
        Assert.Equal(30, result.Trials.Select(t => t.Architecture).Distinct().Count());
        Assert.True(strategy.Repeats > 0, "the test needs a strategy that repeats itself");
    }

    private sealed class FirstDecisionBelow(int bound) : IAdmission<Choices>
    {
        public int Checked;
        public string? Refusal(Choices arch) { Checked++; return arch.Values[0] < bound ? null : $"decision 0 is {arch.Values[0]}"; }
    }

    [Fact]
    public void Within_budget_spends_no_query_on_a_refused_architecture()
    {
        var space = Toy.Small();
        var evaluator = new ToyEvaluator();
        var admission = new FirstDecisionBelow(1); // a third of the space
        var strategy = new WithinBudget<Choices>(new RegularizedEvolution<Choices>(space, Objective.Max(Metrics.ValidAccuracy), 5, populationSize: 4, sampleSize: 2).WithStandardWrappers(), admission);
        var study = new Study<Choices>(new InMemoryTrialQueue(), new StudySpec("b", "toy", "rea", 5), space, Budget.OfQueries(15));
        var result = study.Run(strategy, evaluator);
        Assert.Equal(15, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.Equal(0, t.Architecture.Values[0]));
        Assert.True(strategy.Refused > 0, "the test needs proposals outside the budget");
        // A budget that admits nothing ends the search instead of spinning.
        var none = new WithinBudget<Choices>(new RandomSearch<Choices>(space, 1), new FirstDecisionBelow(0), maxRefusalsPerAsk: 50);
        Assert.Null(none.Ask());
        Assert.True(none.ExhaustedByRefusals);
    }

    [Fact]
    public void A_strategy_that_runs_out_ends_the_study_cleanly()
    {
        var space = Toy.Small();
        var result = Run(new RandomSearch<Choices>(space, 1), space, new ToyEvaluator(), 500, 1);
        Assert.Equal(81, result.Trials.Count);
        Assert.Equal("strategy exhausted", result.StopReason);
    }

    [Fact]
    public void Regularized_evolution_ages_out_the_oldest_member()
    {
        var space = Toy.Small();
        var rea = new RegularizedEvolution<Choices>(space, Objective.Max(Metrics.ValidAccuracy), 0, populationSize: 2, sampleSize: 2);
        var ev = new ToyEvaluator();
        var best = space.Arch(ToyEvaluator.SmallOptimum);
        var worse = space.Arch(0, 2, 0, 0);
        for (int i = 0; i < 3; i++) rea.Ask(); // burn the random warm-up
        rea.Tell(new Proposal<Choices>(0, best), ev.Evaluate(best, Fidelity.Full));
        rea.Tell(new Proposal<Choices>(1, worse), ev.Evaluate(worse, Fidelity.Full));
        rea.Tell(new Proposal<Choices>(2, worse), ev.Evaluate(worse, Fidelity.Full)); // the optimum, oldest, dies although it is best
        for (int i = 0; i < 20; i++) Assert.Equal(1, rea.Ask()!.Architecture.Values.Zip(worse.Values).Count(p => p.First != p.Second));
    }
}
