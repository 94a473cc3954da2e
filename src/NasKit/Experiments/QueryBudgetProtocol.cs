using NasKit.Estimation;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Experiments;

/// <summary>One run of a strategy under the query-budget protocol.</summary>
public sealed record SearchRun<TArch>(string Strategy, int Run, int Seed, IReadOnlyList<Trial<TArch>> Trials,
                                      IReadOnlyList<double> BestOutcomeSoFar, double Outcome, double WallSeconds)
    where TArch : class, IArchitecture;

/// <summary>
/// The NASLib-style comparison: each run searches with its own seed under a query budget, using
/// <see cref="Signal"/> to choose; its outcome is the <see cref="OutcomeMetric"/> of the architecture with the
/// best signal among those queried (e.g. CIFAR-10 test accuracy of the best-validation cell). Runs are
/// independent and executed in parallel; each is a full study with an in-memory store and the standard
/// wrappers (deduplication, failures kept from the strategy).
/// </summary>
public sealed class QueryBudgetProtocol<TArch> where TArch : class, IArchitecture
{
    public required ISearchSpace<TArch> Space { get; init; }
    public required IEvaluator<TArch> Evaluator { get; init; }
    public Fidelity Fidelity { get; init; } = Fidelity.Full;
    public Objective Signal { get; init; } = Objective.Max("valid_acc");
    public string OutcomeMetric { get; init; } = "test_acc";
    public int Queries { get; init; } = 100;
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public IReadOnlyList<SearchRun<TArch>> Run(IStrategyFactory factory, int runs, int firstSeed,
                                               Action? onRunDone = null, CancellationToken cancellationToken = default)
    {
        var results = new SearchRun<TArch>[runs];
        int threads = factory.Parallelizable ? Parallelism : 1; // see IStrategyFactory.Parallelizable
        Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, r =>
        {
            results[r] = RunOne(factory, r, firstSeed + r, cancellationToken);
            onRunDone?.Invoke();
        });
        return results;
    }

    public SearchRun<TArch> RunOne(IStrategyFactory factory, int run, int seed, CancellationToken cancellationToken = default)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var strategy = factory.Create(Space, Signal, seed);
        try
        {
            var spec = new StudySpec($"{factory.Name}-{seed}", Space.Name, factory.Name, seed);
            var study = new Study<TArch>(spec, Space, Evaluator, Budget.OfQueries(Queries), new InMemoryTrialStore(), Fidelity);
            var result = study.Run(strategy.WithStandardWrappers(Space, seed), cancellationToken);
            var best = new double[result.Trials.Count];
            double bestSignal = double.NegativeInfinity, bestOutcome = double.NaN;
            for (int i = 0; i < best.Length; i++)
            {
                var e = result.Trials[i].Evaluation;
                if (Signal.Score(e) is { } s && s > bestSignal) { bestSignal = s; bestOutcome = e[OutcomeMetric]; }
                best[i] = bestOutcome;
            }
            return new SearchRun<TArch>(factory.Name, run, seed, result.Trials, best, best.Length > 0 ? best[^1] : double.NaN, sw.Elapsed.TotalSeconds);
        }
        finally
        {
            (strategy as IDisposable)?.Dispose();
        }
    }
}
