using System.Diagnostics;
using NasKit.Catalogs;
using NasKit.Estimation.Predictors;
using NasKit.Experiments;
using NasKit.Spaces;

namespace NasKit.Reports.Studies;

/// <summary>
/// Performance predictors compared as rankers under the protocol of White et al. (NeurIPS 2021), as
/// <see cref="PredictorStudy"/> runs it: per run a seeded split of the pool into held-out architectures and a training
/// order; each predictor is fitted on the first n training architectures for every n of train-sizes and predicts the
/// held-out ones, and the report ranks the predictions against the benchmark's outcome. Run r of every predictor uses
/// the same split, so runs pair across predictors.
/// </summary>
public sealed class PredictorRankingStudy : IStudyKind
{
    public const int DefaultTestSize = 200;

    public string Name => "predictors";
    public string Description => "Performance predictors fitted on growing training sets (White et al. 2021); Kendall τ of their predictions on held-out architectures.";
    public int Order => 40;

    public void CheckProblem(ExperimentManifest m, ManifestProblem problem) => BenchmarkCatalog.With(ManifestRunner.Descriptor(problem, m), new Check(m));
    public IReadOnlyList<string> Methods(ExperimentManifest m) => m.Predictors ?? [];
    public string Budget(ExperimentManifest m) => $"up to {m.Budget.Queries} training architectures per fit, {m.TestSize ?? DefaultTestSize} held out per run";

    /// <summary>The training-set sizes: the manifest's, else a ladder 10, 20, 50, 100, 200, 500, … up to budget.queries.</summary>
    public static IReadOnlyList<int> TrainSizes(ExperimentManifest m)
    {
        if (m.TrainSizes is { } given) return given.Order().ToArray();
        int max = m.Budget.Queries!.Value;
        var ladder = Enumerable.Range(1, 6).SelectMany(k => new[] { 1, 2, 5 }.Select(f => f * (int)Math.Pow(10, k))).Where(n => n < max);
        return ladder.Append(max).ToArray();
    }

    public void Validate(ExperimentManifest m, string source)
    {
        StudyFields.Check(m, source, Name, "predictors", "train-sizes", "test-size");
        StudyFields.Names(m.Predictors, "predictors", source, n => Catalog<IPredictorFactory>.Find(n) is not null, Catalog<IPredictorFactory>.Names());
        if (m.Budget.Queries is not { } q || q < 2)
            throw new FormatException($"{source}: a predictor study's budget is the largest training set, in \"queries\" (at least 2).");
        if (m.TrainSizes is { } sizes)
        {
            if (sizes.Count == 0 || sizes.Any(n => n < 2 || n > q))
                throw new FormatException($"{source}: train-sizes must be whole numbers from 2 to budget.queries ({q}), got [{string.Join(", ", sizes)}].");
            if (sizes.Distinct().Count() != sizes.Count) throw new FormatException($"{source}: train-sizes names a size twice.");
            if (!sizes.Contains(q)) throw new FormatException($"{source}: train-sizes must include budget.queries ({q}), the size the methods table reports.");
        }
        if (m.TestSize is < 3) throw new FormatException($"{source}: test-size must be at least 3 to rank anything, got {m.TestSize}.");
    }

    public ProblemRecord Run(ExperimentManifest m, ManifestProblem problem, string folder, StudyHooks hooks) =>
        BenchmarkCatalog.With(ManifestRunner.Descriptor(problem, m), new Runner(m, problem, folder, hooks));

    public IReadOnlyList<TrialRow> Rerun(ExperimentManifest m, ManifestProblem problem, string strategy, int run) =>
        BenchmarkCatalog.With(ManifestRunner.Descriptor(problem, m), new Rerunner(m, strategy, run));

    /// <summary>The architectures a run splits: the whole space when it can be listed, else a seeded sample of the size the run needs.</summary>
    private static (TArch[] Train, TArch[] Test) Split<TArch>(TabularBenchmark<TArch> b, ExperimentManifest m, int seed) where TArch : class, IArchitecture
    {
        int test = m.TestSize ?? DefaultTestSize, train = m.Budget.Queries!.Value;
        IReadOnlyList<TArch> pool = b.Space is IEnumerableSpace<TArch> all && all.Count <= 1_000_000 ? all.All().ToArray() : ArchitectureSample.Draw(b.Space, train + test, seed);
        if (pool.Count < train + test)
            throw new ArgumentException($"Benchmark '{b.Name}' has {pool.Count} architectures; {train} for training plus {test} held out do not fit. Lower budget.queries or test-size.");
        return PredictorStudy.Split(pool, test, seed);
    }

    private static IEnumerable<TrialRow> FitRun<TArch>(TabularBenchmark<TArch> b, ExperimentManifest m, IPredictorFactory factory, int run) where TArch : class, IArchitecture
    {
        int seed = m.Seed + run;
        // One intra-op thread per run, on whatever thread runs it (runs are parallel; a re-run is then bit-identical).
        Runtime.TorchRuntime.SetIntraOpThreads(1);
        var (train, test) = Split(b, m, seed);
        double Truth(TArch a) => b.Evaluator.Evaluate(a, b.Fidelity) is { Failed: false } e ? e.Metrics.GetValueOrDefault(b.Outcome, double.NaN) : double.NaN;
        var testTruth = test.Select(Truth).ToArray();
        var trainTruth = train[..m.Budget.Queries!.Value].Select(Truth).ToArray();
        var rows = new List<TrialRow>();
        foreach (var n in TrainSizes(m))
        {
            // A training architecture without a finite outcome cannot be fitted on; the benchmark's failures are left out.
            var fit = Enumerable.Range(0, n).Where(i => double.IsFinite(trainTruth[i])).ToArray();
            var predictor = factory.Create(b.Space, seed) ?? throw new ArgumentException($"Predictor '{factory.Name}' cannot work on space '{b.Space.Name}' (it lacks a capability the predictor needs).");
            try
            {
                var sw = Stopwatch.StartNew();
                predictor.Fit(fit.Select(i => train[i]).ToArray(), fit.Select(i => trainTruth[i]).ToArray());
                var predicted = predictor.Query(test);
                double perArchitecture = sw.Elapsed.TotalSeconds / test.Length;
                rows.AddRange(test.Select((a, i) => new TrialRow
                {
                    Strategy = factory.Name, Run = run, Seed = seed, Trial = i, Architecture = a.ToText(), Signal = predicted[i].Mean, Outcome = testTruth[i],
                    BestOutcomeSoFar = double.NaN, CostSeconds = perArchitecture, Failed = !double.IsFinite(testTruth[i]), TrainingSet = n,
                    Reason = double.IsFinite(testTruth[i]) ? "" : "the benchmark has no outcome for it",
                }));
            }
            finally { (predictor as IDisposable)?.Dispose(); }
        }
        return rows;
    }

    private sealed class Runner(ExperimentManifest m, ManifestProblem problem, string folder, StudyHooks hooks) : IBenchmarkVisitor<ProblemRecord>
    {
        public ProblemRecord Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            var factories = m.Predictors!.Select(Catalog<IPredictorFactory>.Get).ToArray();
            var output = Path.Combine(folder, problem.Key + ".csv");
            if (!File.Exists(output) || File.Exists(output + ".partial.json"))
            {
                using var journal = new TrialJournal(output, new Dictionary<string, string> { ["manifest"] = m.Sha256, ["problem"] = problem.Key }, force: true);
                foreach (var f in factories)
                {
                    var missing = Enumerable.Range(0, m.Runs).Where(r => !journal.Resumed.Contains((f.Name, r))).ToArray();
                    if (missing.Length == 0) continue;
                    hooks.Progress($"{f.Name}: {missing.Length} runs", missing.Length, tick =>
                        Parallel.ForEach(missing, new ParallelOptions { MaxDegreeOfParallelism = hooks.Parallelism ?? Environment.ProcessorCount }, r =>
                        {
                            journal.Append(f.Name, r, FitRun(b, m, f, r));
                            tick();
                        }));
                }
                journal.Complete();
            }
            return new ProblemRecord
            {
                Id = problem.Key, Label = problem.Title, Benchmark = problem.Benchmark, Space = b.Space.Name, Evaluator = ManifestRunner.Descriptor(problem, m),
                Signal = "predicted " + b.Outcome, SignalMaximize = true, Outcome = "Kendall τ", Trials = problem.Key + ".csv", WallSeconds = 0, FinishedUtc = DateTime.UtcNow,
                SpaceSize = b.Space is IEnumerableSpace<TArch> { Count: <= int.MaxValue } all ? (int)all.Count : null,
                Estimation = new EstimationRecord
                {
                    Score = "predicted " + b.Outcome, Truth = b.Outcome, Architectures = m.TestSize ?? DefaultTestSize, TrainSizes = TrainSizes(m),
                },
            };
        }
    }

    private sealed class Check(ExperimentManifest m) : IBenchmarkVisitor<bool>
    {
        public bool Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            foreach (var f in m.Predictors!.Select(Catalog<IPredictorFactory>.Get))
            {
                if (f.Create(b.Space, 0) is not { } probe)
                    throw new ArgumentException($"predictor '{f.Name}' cannot work on its space ({b.Space.Name}), which lacks a capability the predictor needs; remove it from predictors.");
                (probe as IDisposable)?.Dispose();
            }
            int need = m.Budget.Queries!.Value + (m.TestSize ?? DefaultTestSize);
            if (b.Space is IEnumerableSpace<TArch> all && all.Count < need)
                throw new ArgumentException($"its space has {all.Count:N0} architectures; {m.Budget.Queries} for training plus {m.TestSize ?? DefaultTestSize} held out do not fit. Lower budget.queries or test-size.");
            return true;
        }
    }

    private sealed class Rerunner(ExperimentManifest m, string predictor, int run) : IBenchmarkVisitor<IReadOnlyList<TrialRow>>
    {
        public IReadOnlyList<TrialRow> Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            return FitRun(b, m, Catalog<IPredictorFactory>.Get(predictor), run).ToArray();
        }
    }
}
