using System.Globalization;
using NasKit.Catalogs;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Estimation.ZeroCost;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.Spaces;

namespace NasKit.Reports.Studies;

/// <summary>
/// Zero-cost proxies compared as rankers (Abdelfattah et al., ICLR 2021): each run draws a seeded sample of distinct
/// architectures (budget.queries of them), scores every one with every proxy from one seeded minibatch and one seeded
/// initialisation, and the report ranks each proxy's scores against the benchmark's outcome. Runs differ in the
/// sample, the minibatch and the initialisation, so their spread is the proxies' own variance.
/// </summary>
public sealed class ZeroCostRankingStudy : IStudyKind
{
    public const string DefaultData = "cifar10-subset";
    public const int DefaultBatch = 64;

    public string Name => "zero-cost";
    public string Description => "Zero-cost proxies scoring the same seeded samples of untrained networks; Kendall τ and Spearman ρ against the benchmark's outcome.";
    public int Order => 30;

    public void CheckProblem(ExperimentManifest m, ManifestProblem problem) => BenchmarkCatalog.With(ManifestRunner.Descriptor(problem, m), new Check(m));
    public IReadOnlyList<string> Methods(ExperimentManifest m) => m.Proxies ?? [];
    public string Budget(ExperimentManifest m) => $"{m.Budget.Queries} architectures scored per run";

    public void Validate(ExperimentManifest m, string source)
    {
        StudyFields.Check(m, source, Name, "proxies", "data", "batch-size");
        StudyFields.Names(m.Proxies, "proxies", source, n => Catalog<IZeroCostProxy>.Find(n) is not null, Catalog<IZeroCostProxy>.Names());
        if (m.Budget.Queries is not { } q || q < 3)
            throw new FormatException($"{source}: a zero-cost study's budget is the architectures each run scores, in \"queries\" (at least 3 to rank anything).");
        if (m.BatchSize is < 2) throw new FormatException($"{source}: batch-size must be at least 2, got {m.BatchSize}.");
        try { DatasetReaders.Names.Single(n => n.Equals(m.Data ?? DefaultData, StringComparison.OrdinalIgnoreCase)); }
        catch (InvalidOperationException) { throw new FormatException($"{source}: data '{m.Data}' is unknown; use one of {string.Join(", ", DatasetReaders.Names)}."); }
    }

    public ProblemRecord Run(ExperimentManifest m, ManifestProblem problem, string folder, StudyHooks hooks) =>
        BenchmarkCatalog.With(ManifestRunner.Descriptor(problem, m), new Runner(m, problem, folder, hooks));

    public IReadOnlyList<TrialRow> Rerun(ExperimentManifest m, ManifestProblem problem, string strategy, int run) =>
        BenchmarkCatalog.With(ManifestRunner.Descriptor(problem, m), new Rerunner(m, run)).Where(r => r.Strategy == strategy).ToArray();

    private static IBuildableSpace<TArch> Buildable<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture =>
        b.Space as IBuildableSpace<TArch> ?? throw new ArgumentException($"Benchmark '{b.Name}' has a space ({b.Space.Name}) that cannot build networks; zero-cost proxies score networks, so choose a benchmark whose space builds them (nb201).");

    /// <summary>One run: its sample scored by every proxy, as one block of rows per proxy.</summary>
    private static IReadOnlyList<TrialRow> ScoreRun<TArch>(TabularBenchmark<TArch> b, ExperimentManifest m, ImageDataset data, int run) where TArch : class, IArchitecture
    {
        int seed = m.Seed + run;
        // One intra-op thread per run, on whatever thread runs it (runs are parallel; a re-run is then bit-identical).
        Runtime.TorchRuntime.SetIntraOpThreads(1);
        var proxies = m.Proxies!.Select(Catalog<IZeroCostProxy>.Get).ToArray();
        var sample = ArchitectureSample.Draw(b.Space, m.Budget.Queries!.Value, seed);
        // The space's reference network (NB201's C = 16, N = 5, as the zero-cost papers scored it; NAS-Bench-Macro's own).
        var space = Buildable(b);
        using var scorer = new ZeroCostScorer<TArch>(space, data, proxies, seed, m.BatchSize ?? DefaultBatch, space.ReferenceShape);
        var rows = proxies.ToDictionary(p => p.Name, _ => new List<TrialRow>());
        for (int i = 0; i < sample.Length; i++)
        {
            var text = sample[i].ToText();
            var e = b.Evaluator.Evaluate(sample[i], b.Fidelity);
            var s = scorer.Score(sample[i]);
            foreach (var p in proxies)
                rows[p.Name].Add(new TrialRow
                {
                    Strategy = p.Name, Run = run, Seed = seed, Trial = i, Architecture = text, Signal = s.Scores[p.Name],
                    Outcome = e.Failed ? double.NaN : e.Metrics.GetValueOrDefault(b.Outcome, double.NaN), BestOutcomeSoFar = double.NaN,
                    CostSeconds = s.Seconds[p.Name], Failed = e.Failed, Reason = e.Reason ?? "",
                });
        }
        return proxies.SelectMany(p => rows[p.Name]).ToArray();
    }

    private sealed class Runner(ExperimentManifest m, ManifestProblem problem, string folder, StudyHooks hooks) : IBenchmarkVisitor<ProblemRecord>
    {
        public ProblemRecord Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            var data = DatasetReaders.ByName(m.Data ?? DefaultData).Train;
            var output = Path.Combine(folder, problem.Key + ".csv");
            if (!File.Exists(output) || File.Exists(output + ".partial.json"))
            {
                using var journal = new TrialJournal(output, new Dictionary<string, string> { ["manifest"] = m.Sha256, ["problem"] = problem.Key }, force: true);
                // A run is done when every proxy's block is: they are scored together.
                var missing = Enumerable.Range(0, m.Runs).Where(r => m.Proxies!.Any(p => !journal.Resumed.Contains((Catalog<IZeroCostProxy>.Get(p).Name, r)))).ToArray();
                if (missing.Length > 0)
                    hooks.Progress($"{m.Proxies!.Count} proxies: {missing.Length} runs", missing.Length, tick =>
                        Parallel.ForEach(missing, new ParallelOptions { MaxDegreeOfParallelism = hooks.Parallelism ?? Environment.ProcessorCount }, r =>
                        {
                            foreach (var block in ScoreRun(b, m, data, r).GroupBy(t => t.Strategy))
                                journal.Append(block.Key, r, block);
                            tick();
                        }));
                journal.Complete();
            }
            return new ProblemRecord
            {
                Id = problem.Key, Label = problem.Title, Benchmark = problem.Benchmark, Space = b.Space.Name, Evaluator = ManifestRunner.Descriptor(problem, m),
                Signal = "proxy score", SignalMaximize = true, Outcome = "Kendall τ", Trials = problem.Key + ".csv", WallSeconds = 0, FinishedUtc = DateTime.UtcNow,
                SpaceSize = b.Space is IEnumerableSpace<TArch> { Count: <= int.MaxValue } all ? (int)all.Count : null,
                Estimation = new EstimationRecord
                {
                    Score = "zero-cost proxy score", Truth = b.Outcome, Architectures = m.Budget.Queries!.Value,
                    Input = string.Create(CultureInfo.InvariantCulture,
                        $"one seeded minibatch of {m.BatchSize ?? DefaultBatch} images of {data.Name}; the space's reference network ({b.Space.Name}, C = {Buildable(b).ReferenceShape.Channels}) with {data.Classes} classes, seeded initialisation"),
                },
            };
        }
    }

    private sealed class Check(ExperimentManifest m) : IBenchmarkVisitor<bool>
    {
        public bool Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            Buildable(b);
            if (b.Space is IEnumerableSpace<TArch> all && all.Count < m.Budget.Queries)
                throw new ArgumentException($"its space has {all.Count:N0} architectures, fewer than the {m.Budget.Queries} each run scores; lower budget.queries.");
            return true;
        }
    }

    private sealed class Rerunner(ExperimentManifest m, int run) : IBenchmarkVisitor<IReadOnlyList<TrialRow>>
    {
        public IReadOnlyList<TrialRow> Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            return ScoreRun(b, m, DatasetReaders.ByName(m.Data ?? DefaultData).Train, run);
        }
    }
}
