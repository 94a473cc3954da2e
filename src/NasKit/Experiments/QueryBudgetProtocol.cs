using NasKit.Estimation;
using NasKit.Execution;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Experiments;

/// <summary>One run of a strategy under the query-budget protocol.</summary>
public sealed record SearchRun<TArch>(string Strategy, int Run, int Seed, IReadOnlyList<Trial<TArch>> Trials,
                                      IReadOnlyList<double> BestOutcomeSoFar, double Outcome, double WallSeconds, string StopReason = "budget",
                                      IReadOnlyList<Objective>? Constraints = null)
    where TArch : class, IArchitecture
{
    /// <summary>
    /// The incumbent: the trial with the best signal among those at the highest epochs evaluated (the architecture the
    /// run would report), and among those within every bound of <see cref="Constraints"/>.
    /// </summary>
    public Trial<TArch>? Best(Objective signal)
    {
        var scored = Trials.Where(t => signal.Score(t.Evaluation) is not null && (Constraints?.All(c => c.Satisfied(t.Evaluation)) ?? true)).ToList();
        if (scored.Count == 0) return null;
        static int EpochsOf(Trial<TArch> t) => t.EpochsTrained ?? int.MaxValue;
        int top = scored.Max(EpochsOf);
        return scored.Where(t => EpochsOf(t) == top)
            .Aggregate((Trial<TArch>?)null, (b, t) => b is null || signal.Score(t.Evaluation) > signal.Score(b.Evaluation) ? t : b);
    }
}

/// <summary>
/// The NASLib-style comparison: each run searches with its own seed under a query budget, using
/// <see cref="Signal"/> to choose; its outcome is the <see cref="OutcomeMetric"/> of the architecture with the
/// best signal among those queried (e.g. CIFAR-10 test accuracy of the best-validation cell). Runs are
/// independent and executed in parallel; each is a study on an in-memory queue, evaluated in its own thread, with
/// the standard wrappers (deduplication, failures kept from the strategy).
/// </summary>
public sealed class QueryBudgetProtocol<TArch> where TArch : class, IArchitecture
{
    public required ISearchSpace<TArch> Space { get; init; }
    public required IEvaluator<TArch> Evaluator { get; init; }
    public Fidelity Fidelity { get; init; } = Fidelity.Full;
    public Objective Signal { get; init; } = Objective.Max(Metrics.ValidAccuracy);
    /// <summary>
    /// What the strategies are given (default: the signal alone). A multi-objective study lists the signal first, then
    /// the costs it trades against (params_m, cpu_latency) and any bounds; the run's incumbent is still the best signal,
    /// among the trials within every bound.
    /// </summary>
    public IReadOnlyList<Objective>? Objectives { get; init; }
    public string OutcomeMetric { get; init; } = Metrics.TestAccuracy;
    public int Queries { get; init; } = 100;
    /// <summary>
    /// When set, each run's budget is this many training epochs (summed over its trials) instead of <see cref="Queries"/>:
    /// the budget unit of multi-fidelity comparisons.
    /// </summary>
    public int? Epochs { get; init; }
    /// <summary>The rungs multi-fidelity schedulers choose epochs from; other strategies run at <see cref="Fidelity"/>.</summary>
    public FidelityRungs? Rungs { get; init; }
    /// <summary>A rule that ends trials early from their learning curves (the evaluator must report per epoch).</summary>
    public StoppingSetting? Stopping { get; init; }
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>Where each run's study lives (default: in memory); with a storage a killed run resumes trial by trial.</summary>
    public RunStorage? Storage { get; init; }
    /// <summary>When set, each run sets libtorch's intra-op threads on the thread it runs on (parallel runs: 1).</summary>
    public int? IntraOpThreads { get; init; }
    /// <summary>Sees every trial as it is told (strategy, run, trial): progress for searches whose trials take minutes.</summary>
    public Action<string, int, Trial<TArch>>? OnTrial { get; init; }

    public IReadOnlyList<SearchRun<TArch>> Run(IStrategyFactory factory, int runs, int firstSeed,
                                               Action<SearchRun<TArch>>? onRunDone = null, CancellationToken cancellationToken = default)
    {
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), $"A comparison needs at least one run, got {runs}.");
        return Run(factory, Enumerable.Range(0, runs).ToArray(), firstSeed, onRunDone, cancellationToken);
    }

    /// <summary>Only the runs numbered <paramref name="runs"/> (run r uses seed firstSeed + r): what a resumed comparison still lacks.</summary>
    public IReadOnlyList<SearchRun<TArch>> Run(IStrategyFactory factory, IReadOnlyList<int> runs, int firstSeed,
                                               Action<SearchRun<TArch>>? onRunDone = null, CancellationToken cancellationToken = default)
    {
        if (runs.Count == 0) return [];
        if (runs.Any(r => r < 0)) throw new ArgumentOutOfRangeException(nameof(runs), "Run numbers start at 0.");
        Seeds.CheckRuns(firstSeed, runs.Max() + 1);
        var results = new SearchRun<TArch>[runs.Count];
        Parallel.For(0, runs.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, i =>
        {
            results[i] = RunOne(factory, runs[i], firstSeed + runs[i], cancellationToken);
            onRunDone?.Invoke(results[i]);
        });
        return results;
    }

    public SearchRun<TArch> RunOne(IStrategyFactory factory, int run, int seed, CancellationToken cancellationToken = default)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        if (IntraOpThreads is { } threads) Runtime.TorchRuntime.SetIntraOpThreads(threads);
        var strategy = factory.Create(Space, Objectives ?? [Signal], seed, Rungs);
        try
        {
            var spec = new StudySpec(RunStorage.StudyName(Storage, factory.Name, seed), Space.Name, factory.Name, seed);
            using var queue = RunStorage.Open(Storage);
            var study = new Study<TArch>(queue, spec, Space, Epochs is { } e ? Budget.OfEpochs(e) : Budget.OfQueries(Queries), Fidelity) { Stopping = Stopping };
            bool metricsChecked = Objectives is null;
            var result = study.Run(Evaluator is IAdmission<TArch> admission ? new WithinBudget<TArch>(strategy.WithStandardWrappers(), admission) : strategy.WithStandardWrappers(), Evaluator, cancellationToken,
                                   t =>
                                   {
                                       // A misspelt or unmeasured objective fails at the first result, not after the whole budget.
                                       if (!metricsChecked && !t.Evaluation.Failed) { metricsChecked = true; RequireObjectiveMetrics(t.Evaluation); }
                                       OnTrial?.Invoke(factory.Name, run, t);
                                   });
            // The incumbent after each trial: the best signal among the trials at the highest epochs evaluated so far
            // (HpBandSter's rule; with one fidelity, simply the best signal), and its outcome.
            var bounds = Objectives?.Where(x => x.Bound is not null).ToArray() ?? [];
            var best = new double[result.Trials.Count];
            double bestSignal = double.NegativeInfinity, bestOutcome = double.NaN;
            int topEpochs = int.MinValue;
            for (int i = 0; i < best.Length; i++)
            {
                var t = result.Trials[i];
                if (Signal.Score(t.Evaluation) is { } s && bounds.All(c => c.Satisfied(t.Evaluation)))
                {
                    int epochs = t.EpochsTrained ?? int.MaxValue;
                    if (epochs > topEpochs) (topEpochs, bestSignal) = (epochs, double.NegativeInfinity);
                    if (epochs == topEpochs && s > bestSignal) { bestSignal = s; bestOutcome = t.Evaluation[OutcomeMetric]; }
                }
                best[i] = bestOutcome;
            }
            return new SearchRun<TArch>(factory.Name, run, seed, result.Trials, best, best.Length > 0 ? best[^1] : double.NaN,
                                        sw.Elapsed.TotalSeconds, result.StopReason, bounds);
        }
        finally
        {
            (strategy as IDisposable)?.Dispose();
        }
    }

    private void RequireObjectiveMetrics(Evaluation evaluation)
    {
        if (Objectives?.FirstOrDefault(o => !evaluation.Metrics.ContainsKey(o.Metric)) is { } missing)
            throw new ArgumentException($"The evaluator does not report '{missing.Metric}' (it reports {string.Join(", ", evaluation.Metrics.Keys)}); choose the objectives among those metrics.");
    }
}
