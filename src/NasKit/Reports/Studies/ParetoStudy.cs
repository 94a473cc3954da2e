using System.Globalization;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.Experiments;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Reports.Studies;

/// <summary>
/// Hardware-aware multi-objective search (<see cref="ParetoProtocol{TArch}"/>): each run is scored by the hypervolume
/// of everything it queried, against the same reference point (each objective's worst value over the space); regret
/// is the gap to the true front's hypervolume. Two objectives, so the hypervolume after every query is exact.
/// </summary>
public sealed class ParetoStudy : IStudyKind
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string Name => "pareto";
    public string Description => "Multi-objective strategies on a tabular benchmark: hypervolume of the found front against the true front.";
    public int Order => 20;

    public void CheckProblem(ExperimentManifest m, ManifestProblem problem) =>
        ManifestRunner.CheckStrategies(m, problem, m.Strategies.Where(s => s.Contains(':')).Select(StrategySettings.Configure).ToArray(), m.Objectives!.Select(Objective.Parse).ToArray());
    public IReadOnlyList<string> Methods(ExperimentManifest m) => m.Strategies.Select(s => StrategySettings.Configure(s).Name).ToArray();
    public bool UsesStorage => true;
    public string Budget(ExperimentManifest m) => m.Budget.Text;

    public void Validate(ExperimentManifest m, string source)
    {
        StudyFields.Check(m, source, Name, "strategies", "objectives", "constraint", "ablations");
        if (m.Strategies.Count == 0) throw new FormatException($"{source}: strategies is empty; name at least one (naskit search --help lists them).");
        if (m.Objectives is not { Count: 2 })
            throw new FormatException($"{source}: a pareto study needs \"objectives\" with two metrics, e.g. [\"test_acc\", \"pixel3_latency\"].");
        foreach (var o in m.Objectives)
        {
            try { if (Objective.Parse(o).Bound is not null) throw new FormatException($"{source}: objective '{o}' has a bound; give bounds in \"constraint\"."); }
            catch (ArgumentException e) { throw new FormatException($"{source}: objective '{o}': {e.Message}"); }
        }
        if (m.Constraint is { } c)
        {
            try { Objective.ParseConstraint(c); }
            catch (Exception e) when (e is ArgumentException or FormatException) { throw new FormatException($"{source}: constraint '{c}': {e.Message}"); }
        }
        if (m.Budget.Queries is null) throw new FormatException($"{source}: a pareto study's budget is in \"queries\".");
        foreach (var s in m.Strategies.Select(StrategySettings.Configure))
            if (!StrategyFactories.MultiObjective(s))
                throw new FormatException($"{source}: strategy '{s.Name}' optimises one objective; a pareto study takes {string.Join(", ", Catalog<IStrategyFactory>.All.Where(StrategyFactories.MultiObjective).Select(f => f.Name))}.");
    }

    public ProblemRecord Run(ExperimentManifest m, ManifestProblem problem, string folder, StudyHooks hooks) =>
        BenchmarkCatalog.With(ManifestRunner.Descriptor(problem, m), new Runner(m, problem, folder, hooks));

    public IReadOnlyList<TrialRow> Rerun(ExperimentManifest m, ManifestProblem problem, string strategy, int run) =>
        BenchmarkCatalog.With(ManifestRunner.Descriptor(problem, m), new Rerunner(m, strategy, run));

    private static (ParetoProtocol<TArch> Protocol, Objective Constraint) Protocol<TArch>(TabularBenchmark<TArch> b, ExperimentManifest m, int parallelism, RunStorage? storage = null)
        where TArch : class, IArchitecture
    {
        var objectives = m.Objectives!.Select(Objective.Parse).ToArray();
        var given = m.Constraint is { } c ? Objective.ParseConstraint(c) : null;
        var probe = new ParetoProtocol<TArch>(b.Space, b.Evaluator, objectives, given is null ? [] : [given], b.Fidelity);
        // The constraint is checked against the metrics (by the probe) before it is defaulted from the space.
        var constraint = given ?? probe.MedianConstraint(probe.Objectives[1]);
        return (new ParetoProtocol<TArch>(b.Space, b.Evaluator, objectives, [constraint], b.Fidelity) { Queries = m.Budget.Queries!.Value, Parallelism = parallelism, Storage = storage, IntraOpThreads = 1 }, constraint);
    }

    private static IEnumerable<TrialRow> Rows<TArch>(ParetoProtocol<TArch> protocol, ParetoRun<TArch> run, int runIndex) where TArch : class, IArchitecture =>
        run.Trials.Select((t, i) => new TrialRow
        {
            Strategy = run.Strategy, Run = runIndex, Seed = run.Seed, Trial = t.Number, Architecture = t.Architecture.ToText(),
            Signal = double.NaN, Outcome = double.NaN, BestOutcomeSoFar = run.HypervolumeSoFar[i], CostSeconds = t.Evaluation.CostSeconds,
            Failed = t.Evaluation.Failed, Reason = t.Evaluation.Reason ?? "", Epochs = t.EpochsTrained ?? 0,
            Objectives = TrialRow.FormatObjectives(protocol.Objectives.Select(o => (o.Metric, t.Evaluation.Metrics.GetValueOrDefault(o.Metric, double.NaN)))),
        });

    private sealed class Runner(ExperimentManifest m, ManifestProblem problem, string folder, StudyHooks hooks) : IBenchmarkVisitor<ProblemRecord>
    {
        public ProblemRecord Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            var (protocol, constraint) = Protocol(b, m, hooks.Parallelism ?? Environment.ProcessorCount, ManifestRunner.Storage(m, problem, hooks));
            var output = Path.Combine(folder, problem.Key + ".csv");
            if (!File.Exists(output) || File.Exists(output + ".partial.json"))
            {
                using var journal = new TrialJournal(output, new Dictionary<string, string> { ["manifest"] = m.Sha256, ["problem"] = problem.Key }, force: true);
                foreach (var name in m.Strategies)
                {
                    var factory = StrategySettings.Configure(name);
                    var missing = Enumerable.Range(0, m.Runs).Where(r => !journal.Resumed.Contains((factory.Name, r))).ToArray();
                    if (missing.Length == 0) continue;
                    hooks.Progress($"{factory.Name}: {missing.Length} runs", missing.Length, tick =>
                        Parallel.ForEach(missing, new ParallelOptions { MaxDegreeOfParallelism = protocol.Parallelism }, r =>
                        {
                            journal.Append(factory.Name, r, Rows(protocol, protocol.RunOne(factory, m.Seed + r), r));
                            tick();
                        }));
                }
                journal.Complete();
            }
            var (trueHv, _) = protocol.TrueFront();
            return new ProblemRecord
            {
                Id = problem.Key, Label = problem.Title, Benchmark = problem.Benchmark, Space = b.Space.Name, Evaluator = ManifestRunner.Descriptor(problem, m),
                Signal = "hypervolume", SignalMaximize = true, Outcome = "hypervolume", Optimum = trueHv,
                SpaceSize = b.Space is IEnumerableSpace<TArch> all ? (int)all.Count : null,
                Trials = problem.Key + ".csv", WallSeconds = 0, FinishedUtc = DateTime.UtcNow,
                Objectives = protocol.Objectives.Select(o => $"{o.Metric} ({(o.Maximize ? "max" : "min")})").ToArray(),
                TrueFront = protocol.TrueFrontPoints(), ReferencePoint = protocol.ReferencePoint,
                Constraint = $"{constraint.Metric}{(constraint.Maximize ? ">=" : "<=")}{constraint.Bound!.Value.ToString(Inv)}",
            };
        }
    }

    private sealed class Rerunner(ExperimentManifest m, string strategy, int run) : IBenchmarkVisitor<IReadOnlyList<TrialRow>>
    {
        public IReadOnlyList<TrialRow> Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            var (protocol, _) = Protocol(b, m, 1);
            return Rows(protocol, protocol.RunOne(StrategySettings.Configure(strategy), m.Seed + run), run).ToArray();
        }
    }
}
