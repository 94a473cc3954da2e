using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.Spaces;
using NasKit.Strategies;
using NasKit.Strategies.MultiFidelity;
using Xunit.Abstractions;

namespace NasKit.Tests.Strategies;

/// <summary>
/// A toy with a learning curve: the score at e epochs approaches the toy score as e grows, plus per-(architecture,
/// epochs) noise that shrinks like 1/√e, so that short runs rank architectures roughly and long runs well.
/// </summary>
public sealed class ToyCurveEvaluator(ToyEvaluator truth, double noise = 20, double timeConstant = 8) : IEvaluator<Choices>
{
    public ToyEvaluator Truth { get; } = truth;

    /// <summary>Short runs rank architectures the wrong way round (a control: schedulers must then lose to random search).</summary>
    public bool Misleading { get; init; }

    /// <summary>Architectures whose first decision is this value fail (a diverging run, say); -1: none.</summary>
    public int FailWhenFirstIs { get; init; } = -1;

    public double At(IReadOnlyList<int> values, int epochs)
    {
        int key = values.Aggregate(17, (h, v) => unchecked(h * 31 + v)) ^ unchecked(epochs * 7919);
        double wobble = (new Random(key).NextDouble() * 2 - 1) * noise / Math.Sqrt(epochs);
        double score = Misleading && epochs < 27 ? -Truth.Score(values) : Truth.Score(values);
        return score * (1 - Math.Exp(-epochs / timeConstant)) + wobble;
    }

    public Evaluation Evaluate(Choices a, Fidelity f, TrialContext? context = null)
    {
        int epochs = f.Epochs ?? throw new ArgumentException("The toy curve needs epochs.");
        if (a.Values[0] == FailWhenFirstIs) return Evaluation.Failure("diverged", epochs);
        double v = At(a.Values, epochs);
        return new Evaluation(new Dictionary<string, double> { [Metrics.ValidAccuracy] = v, [Metrics.TestAccuracy] = Truth.Score(a.Values) }, epochs);
    }
}

public class MultiFidelityTests(ITestOutputHelper output)
{
    private static readonly Objective Signal = Objective.Max(Metrics.ValidAccuracy);

    [Fact]
    public void Hyperband_brackets_are_the_papers_table_1()
    {
        // Li et al. 2018, Table 1: R = 81, η = 3.
        var rungs = FidelityRungs.Geometric(1, 81, 3);
        Assert.Equal([1, 3, 9, 27, 81], rungs.Epochs);
        Assert.Equal([(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)], Hyperband<Choices>.BracketShape(rungs, 4));
        Assert.Equal([(34, 3), (11, 9), (3, 27), (1, 81)], Hyperband<Choices>.BracketShape(rungs, 3));
        Assert.Equal([(15, 9), (5, 27), (1, 81)], Hyperband<Choices>.BracketShape(rungs, 2));
        Assert.Equal([(8, 27), (2, 81)], Hyperband<Choices>.BracketShape(rungs, 1));
        Assert.Equal([(5, 81)], Hyperband<Choices>.BracketShape(rungs, 0));
    }

    [Fact]
    public void Rungs_parse_and_refuse_what_is_not_a_ladder()
    {
        Assert.Equal([12, 200], FidelityRungs.Parse("12,200").Epochs);
        Assert.Equal([1, 3, 9, 27], FidelityRungs.Parse("1-27").Epochs);
        Assert.Equal([2, 6, 17, 50], FidelityRungs.Geometric(1, 50).Epochs); // 50·3^-3 = 1.85 rounds to 2
        Assert.Throws<FormatException>(() => FidelityRungs.Parse("200,12"));
        Assert.Throws<FormatException>(() => FidelityRungs.Parse("0,12"));
        Assert.Throws<FormatException>(() => FidelityRungs.Parse("a,12"));
        Assert.Throws<ArgumentException>(() => new FidelityRungs([1, 3], eta: 1));
    }

    /// <summary>Runs ask/tell by hand, one proposal at a time, recording (epochs, architecture, score) in order.</summary>
    private static List<(int Epochs, Choices Arch, double Score)> Drive(ISearchStrategy<Choices> s, ToyCurveEvaluator evaluator, int proposals)
    {
        var log = new List<(int, Choices, double)>();
        while (log.Count < proposals)
        {
            var p = s.Ask() ?? throw new Xunit.Sdk.XunitException($"the strategy stopped after {log.Count} proposals (waiting: {s.Waiting})");
            var e = evaluator.Evaluate(p.Architecture, p.Fidelity!);
            s.Tell(p, e);
            log.Add((p.Fidelity!.Epochs!.Value, p.Architecture, e.Failed ? double.NegativeInfinity : e[Metrics.ValidAccuracy]));
        }
        return log;
    }

    [Fact]
    public void Hyperband_fills_each_bracket_and_promotes_exactly_the_best_of_each_rung()
    {
        var space = Toy.Large();
        var rungs = FidelityRungs.Geometric(1, 27, 3);
        var evaluator = new ToyCurveEvaluator(new ToyEvaluator(ToyEvaluator.LargeOptimum));
        var shapes = Enumerable.Range(0, rungs.Top + 1).Reverse().Select(s => Hyperband<Choices>.BracketShape(rungs, s)).ToArray();
        var log = Drive(new Hyperband<Choices>(space, Signal, rungs, seed: 5), evaluator, shapes.Sum(b => b.Sum(r => r.Configurations)));
        int at = 0;
        foreach (var bracket in shapes)
        {
            List<(int Epochs, Choices Arch, double Score)>? previous = null;
            foreach (var (n, epochs) in bracket)
            {
                var rung = log.Skip(at).Take(n).ToList();
                at += n;
                Assert.All(rung, r => Assert.Equal(epochs, r.Epochs));
                if (previous is null) Assert.Equal(n, rung.Select(r => r.Arch).Distinct().Count());
                else
                {
                    var best = previous.OrderByDescending(r => r.Score).Take(n).Select(r => r.Arch).ToHashSet();
                    Assert.True(best.SetEquals(rung.Select(r => r.Arch)), $"rung at {epochs} epochs is not the best {n} of the rung before");
                }
                previous = rung;
            }
        }
        Assert.Equal(log.Count, at);
    }

    [Fact]
    public void Hyperband_waits_for_a_full_rung_and_successive_halving_repeats_the_aggressive_bracket()
    {
        var space = Toy.Large();
        var rungs = FidelityRungs.Geometric(1, 9, 3);
        var sh = new Hyperband<Choices>(space, Signal, rungs, seed: 1, successiveHalvingOnly: true);
        var asked = Enumerable.Range(0, 9).Select(_ => sh.Ask()!).ToArray(); // the first rung: 9 at 1 epoch
        Assert.All(asked, p => Assert.Equal(1, p.Fidelity!.Epochs));
        Assert.Null(sh.Ask());
        Assert.True(sh.Waiting);
        var evaluator = new ToyCurveEvaluator(new ToyEvaluator(ToyEvaluator.LargeOptimum));
        foreach (var p in asked.Take(8)) sh.Tell(p, evaluator.Evaluate(p.Architecture, p.Fidelity!));
        Assert.Null(sh.Ask());
        sh.Tell(asked[8], evaluator.Evaluate(asked[8].Architecture, asked[8].Fidelity!));
        Assert.Equal(3, sh.Ask()!.Fidelity!.Epochs);
        Assert.False(sh.Waiting);
        // Successive halving's next bracket is the aggressive one again.
        var log = Drive(new Hyperband<Choices>(space, Signal, rungs, 2, successiveHalvingOnly: true), evaluator, 2 * (9 + 3 + 1));
        Assert.Equal([1, 3, 9], log.Select(r => r.Epochs).Distinct().Order());
        Assert.Equal(18, log.Count(r => r.Epochs == 1));
    }

    [Fact]
    public void Asha_never_waits_and_promotes_only_from_the_top_of_a_rung()
    {
        var space = Toy.Large();
        var rungs = FidelityRungs.Geometric(1, 9, 3);
        var evaluator = new ToyCurveEvaluator(new ToyEvaluator(ToyEvaluator.LargeOptimum));
        var asha = new Asha<Choices>(space, Signal, rungs, seed: 4);
        var results = rungs.Epochs.ToDictionary(e => e, _ => new List<(Choices Arch, double Score)>());
        for (int i = 0; i < 200; i++)
        {
            var p = asha.Ask();
            Assert.NotNull(p);
            int e = p.Fidelity!.Epochs!.Value;
            int k = rungs.Epochs.ToList().IndexOf(e);
            if (k > 0)
            {
                var below = results[rungs.Epochs[k - 1]];
                var top = below.OrderByDescending(r => r.Score).Take(below.Count / 3).Select(r => r.Arch);
                Assert.Contains(p.Architecture, top);
                Assert.DoesNotContain(p.Architecture, results[e].Select(r => r.Arch));
            }
            var ev = evaluator.Evaluate(p.Architecture, p.Fidelity);
            asha.Tell(p, ev);
            results[e].Add((p.Architecture, ev[Metrics.ValidAccuracy]));
        }
        Assert.False(((ISearchStrategy<Choices>)asha).Waiting);
        Assert.True(results[9].Count > 0, "nothing reached the top rung");
    }

    /// <summary>One study of a scheduler (or random search at the top rung) under an epoch budget: the true score of its incumbent.</summary>
    private static (double Regret, int Epochs, string Stop) Search(string strategy, int seed, int budget, ToyCurveEvaluator evaluator, int outstanding = 1)
    {
        var space = Toy.Large();
        var rungs = FidelityRungs.Geometric(1, 27, 3);
        var s = Catalog<IStrategyFactory>.Get(strategy).Create(space, [Signal], seed, rungs);
        var study = new Study<Choices>(new InMemoryTrialQueue(), new StudySpec("mf", space.Name, strategy, seed), space, Budget.OfEpochs(budget),
                                       new Fidelity(Epochs: rungs.Max)) { MaxOutstanding = outstanding };
        var result = study.Run(s.WithStandardWrappers(), evaluator);
        // The incumbent: the best signal among the trials at the highest epochs evaluated (HpBandSter's rule).
        var ok = result.Trials.Where(t => !t.Evaluation.Failed).ToList();
        int top = ok.Max(t => t.Fidelity.Epochs!.Value);
        var incumbent = ok.Where(t => t.Fidelity.Epochs == top).MaxBy(t => t.Evaluation[Metrics.ValidAccuracy])!;
        return (evaluator.Truth.Best - incumbent.Evaluation[Metrics.TestAccuracy], result.Trials.Sum(t => t.Fidelity.Epochs!.Value), result.StopReason);
    }

    [Theory]
    [InlineData("hyperband", 1)]
    [InlineData("successive-halving", 1)]
    [InlineData("asha", 1)]
    [InlineData("hyperband", 3)]
    [InlineData("asha", 3)]
    [InlineData("bohb", 1)]
    [InlineData("bohb", 3)]
    public void Schedulers_in_a_study_stay_within_the_epoch_budget_and_survive_failures(string strategy, int outstanding)
    {
        var evaluator = new ToyCurveEvaluator(new ToyEvaluator(ToyEvaluator.LargeOptimum)) { FailWhenFirstIs = 1 }; // a quarter of the space fails
        var (_, epochs, stop) = Search(strategy, 3, 400, evaluator, outstanding);
        Assert.InRange(epochs, 300, 400);
        Assert.Equal("epoch budget", stop);
    }

    [Fact]
    public void Schedulers_beat_random_search_where_short_runs_rank_well_and_lose_where_they_mislead()
    {
        // The budget of one full Hyperband iteration over rungs 1-27 (Σ over brackets of n·epochs = 423 epochs): random
        // search trains 15 architectures for 27 epochs; the schedulers screen many more at 1-9 epochs.
        var rungs = FidelityRungs.Geometric(1, 27, 3);
        int budget = Enumerable.Range(0, rungs.Top + 1).Sum(s => Hyperband<Choices>.BracketShape(rungs, s).Sum(r => r.Configurations * r.Epochs));
        Assert.Equal(423, budget);
        var truth = new ToyEvaluator(ToyEvaluator.LargeOptimum);
        var informative = new ToyCurveEvaluator(truth, noise: 5, timeConstant: 3);
        var misleading = new ToyCurveEvaluator(truth, noise: 5, timeConstant: 3) { Misleading = true };
        var seeds = Enumerable.Range(0, 30).ToArray();
        double[] Regrets(string s, ToyCurveEvaluator e) => seeds.Select(seed => Search(s, seed, budget, e).Regret).ToArray();
        var random = Regrets("random", informative);
        Assert.Equal(random, Regrets("random", misleading)); // random search only sees the full runs, which do not mislead
        var failures = new List<string>();
        foreach (var scheduler in new[] { "hyperband", "successive-halving", "asha", "bohb" })
        {
            var good = Regrets(scheduler, informative);
            var bad = Regrets(scheduler, misleading);
            var (_, pGood) = Statistics.MannWhitneyU(good, random);
            var (_, pBad) = Statistics.MannWhitneyU(bad, random);
            output.WriteLine($"{scheduler}: mean regret {good.Average():0.0} (short runs rank well), {bad.Average():0.0} (they mislead); " +
                             $"random {random.Average():0.0}; Mann-Whitney p {pGood:0.0000} and {pBad:0.0000}");
            if (!(good.Average() < random.Average() && pGood < 0.05)) failures.Add($"{scheduler} does not beat random where short runs rank well");
            if (!(bad.Average() > random.Average())) failures.Add($"{scheduler} is not hurt by misleading short runs: does it use them?");
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    [Fact]
    public void Bohb_models_the_largest_budget_with_enough_results_and_samples_near_good_configurations()
    {
        var space = Toy.Large();
        var sampler = new KdeSampler<Choices>(space);
        var truth = new ToyEvaluator(ToyEvaluator.LargeOptimum);
        var rng = new Random(0);
        Assert.Null(sampler.ModelEpochs);
        // 17 results at 3 epochs are too few (a model needs more than d = 8 good and 8 bad points); the 18th builds it.
        for (int i = 0; i < 17; i++) { var a = space.Sample(rng); sampler.Observe(a, 3, truth.Score(a.Values)); }
        Assert.Null(sampler.ModelEpochs);
        var last = space.Sample(rng);
        sampler.Observe(last, 3, truth.Score(last.Values));
        Assert.Equal(3, sampler.ModelEpochs);
        // Results on a smaller budget never replace it; enough on a larger one do.
        for (int i = 0; i < 30; i++) { var a = space.Sample(rng); sampler.Observe(a, 1, truth.Score(a.Values)); }
        Assert.Equal(3, sampler.ModelEpochs);
        for (int i = 0; i < 40; i++) { var a = space.Sample(rng); sampler.Observe(a, 9, truth.Score(a.Values)); }
        Assert.Equal(9, sampler.ModelEpochs);
        // Model-based samples score better than uniform ones on this landscape.
        var modelled = Enumerable.Range(0, 300).Select(_ => truth.Score(sampler.Sample(rng).Values)).Average();
        var uniform = Enumerable.Range(0, 300).Select(_ => truth.Score(space.Sample(rng).Values)).Average();
        output.WriteLine($"mean toy score of BOHB's samples {modelled:0.0}, of uniform samples {uniform:0.0}");
        Assert.True(modelled > uniform + 10, $"BOHB's samples {modelled:0.0} vs uniform {uniform:0.0}");
    }

    [Fact]
    public void Bohb_treats_an_ordered_grid_as_a_numeric_axis()
    {
        // One learning-rate-like grid of 33 values and one categorical switch; the best region is a band on the grid.
        var space = new DecisionSpace("grid", Decision.Numeric("lr", 1e-4, 1e-1, 33, log: true), Decision.Categorical("act", "relu", "mish", "swish"));
        double Score(Choices c) => -Math.Abs(space.Decisions[0].IndexOf(c["lr"]!) - 24) - (c["act"] == "mish" ? 0 : 3);
        var sampler = new KdeSampler<Choices>(space);
        var rng = new Random(5);
        for (int i = 0; i < 60; i++) { var a = space.Sample(rng); sampler.Observe(a, 1, Score(a)); }
        Assert.Equal(1, sampler.ModelEpochs);
        var modelled = Enumerable.Range(0, 600).Select(_ => sampler.Sample(rng)).ToArray();
        // Model-based samples cluster around the good band (index 24), with neighbours too (a smooth kernel, not only seen values).
        var indices = modelled.Select(c => space.Decisions[0].IndexOf(c["lr"]!)).ToArray();
        double near = indices.Count(i => Math.Abs(i - 24) <= 3) / (double)indices.Length;
        output.WriteLine($"share of BOHB samples within 3 grid steps of the best: {near:0.00} (uniform: {7 / 33.0:0.00})");
        Assert.True(near > 0.45, $"only {near:0.00} of the samples lie near the best learning rate");
        Assert.True(modelled.Average(Score) > Enumerable.Range(0, 600).Select(_ => Score(space.Sample(rng))).Average() + 4);
    }
}
