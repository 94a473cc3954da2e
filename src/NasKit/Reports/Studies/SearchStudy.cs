using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.Experiments;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Reports.Studies;

/// <summary>
/// Single-objective search strategies compared under NASLib's protocol (<see cref="QueryBudgetProtocol{TArch}"/>):
/// each run searches on the benchmark's signal under a budget of queries or training epochs and reports its
/// incumbent's outcome. The same protocol as <c>naskit search</c>.
/// </summary>
public sealed class SearchStudy : IStudyKind
{
    public string Name => "search";
    public string Description => "Single-objective strategies under a query or epoch budget; outcome of each run's incumbent (NASLib's protocol).";
    public int Order => 10;

    public void CheckProblem(ExperimentManifest m, ManifestProblem problem) =>
        ManifestRunner.CheckStrategies(m, problem, m.Strategies.Where(s => s.Contains(':')).Select(s => Factory(s, m)).ToArray());
    public IReadOnlyList<string> Methods(ExperimentManifest m) => m.Strategies.Select(s => Factory(s, m).Name).ToArray();
    public bool UsesStorage => true;
    public string Budget(ExperimentManifest m) => m.Budget.Text;

    public void Validate(ExperimentManifest m, string source)
    {
        if (m.Objectives is not null || m.Constraint is not null)
            throw new FormatException($"{source}: \"objectives\" and \"constraint\" belong to multi-objective studies; set \"study\": \"pareto\" or remove them.");
        StudyFields.Check(m, source, Name, "strategies", "predictor", "ablations");
        if (m.Strategies.Count == 0) throw new FormatException($"{source}: strategies is empty; name at least one (naskit search --help lists them).");
        foreach (var s in m.Strategies.Select(StrategySettings.Configure))
        {
            if (!StrategyFactories.SingleObjective(s)) throw new FormatException($"{source}: strategy '{s.Name}' is multi-objective; it belongs in a \"pareto\" study.");
            if (s.SchedulesFidelities && m.Budget.Epochs is null)
                throw new FormatException($"{source}: {s.Name} schedules trials over several epoch budgets; give the budget in \"epochs\" (and optionally \"fidelities\").");
        }
        if (m.Predictor is not null) Catalog<Estimation.Predictors.IPredictorFactory>.Get(m.Predictor);
    }

    public ProblemRecord Run(ExperimentManifest m, ManifestProblem problem, string folder, StudyHooks hooks) =>
        BenchmarkCatalog.With(ManifestRunner.Descriptor(problem, m), new Runner(m, problem, folder, hooks));

    public IReadOnlyList<TrialRow> Rerun(ExperimentManifest m, ManifestProblem problem, string strategy, int run) =>
        BenchmarkCatalog.With(ManifestRunner.Descriptor(problem, m), new Rerunner(m, strategy, run));

    private static IStrategyFactory Factory(string name, ExperimentManifest m)
    {
        var f = StrategySettings.Configure(name);
        return f is BananasFactory && m.Predictor is not null ? new BananasFactory { Predictor = m.Predictor } : f;
    }

    private static QueryBudgetProtocol<TArch> Protocol<TArch>(TabularBenchmark<TArch> b, ExperimentManifest m, int parallelism, RunStorage? storage = null) where TArch : class, IArchitecture
    {
        var rungs = m.Budget.Fidelities ?? (m.Strategies.Any(s => StrategySettings.Configure(s).SchedulesFidelities)
            ? b.DefaultFidelities ?? throw new ArgumentException($"Benchmark '{b.Name}' names no fidelities for the schedulers; give budget.fidelities.")
            : null);
        return new QueryBudgetProtocol<TArch>
        {
            Space = b.Space, Evaluator = b.Evaluator, Fidelity = b.Fidelity, Signal = b.Signal, OutcomeMetric = b.Outcome,
            Queries = m.Budget.Queries ?? 1, Epochs = m.Budget.Epochs, Rungs = rungs is null ? null : FidelityRungs.Parse(rungs, m.Budget.Eta),
            Parallelism = parallelism, Storage = storage,
            IntraOpThreads = 1, // runs are parallel; the strategies' small models gain nothing from intra-op threads
        };
    }

    private sealed class Runner(ExperimentManifest m, ManifestProblem problem, string folder, StudyHooks hooks) : IBenchmarkVisitor<ProblemRecord>
    {
        public ProblemRecord Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            var protocol = Protocol(b, m, hooks.Parallelism ?? Environment.ProcessorCount, ManifestRunner.Storage(m, problem, hooks));
            var output = Path.Combine(folder, problem.Key + ".csv");
            // A finished table without its line in run.json: the kill came between the two, and the table is complete.
            if (!File.Exists(output) || File.Exists(output + ".partial.json"))
            {
                using var journal = new TrialJournal(output, new Dictionary<string, string> { ["manifest"] = m.Sha256, ["problem"] = problem.Key }, force: true);
                foreach (var name in m.Strategies)
                {
                    var factory = Factory(name, m);
                    var missing = Enumerable.Range(0, m.Runs).Where(r => !journal.Resumed.Contains((factory.Name, r))).ToArray();
                    if (missing.Length == 0) continue;
                    hooks.Progress($"{factory.Name}: {missing.Length} runs", missing.Length, tick => protocol.Run(factory, missing, m.Seed, run =>
                    {
                        journal.Append(run.Strategy, run.Run, TrialTable.Rows([run], protocol.Signal.Metric, protocol.OutcomeMetric));
                        tick();
                    }));
                }
                journal.Complete();
            }
            var (optimum, size) = SpaceOptimum(b);
            return new ProblemRecord
            {
                Id = problem.Key, Label = problem.Title, Benchmark = problem.Benchmark, Space = b.Space.Name, Evaluator = ManifestRunner.Descriptor(problem, m),
                Signal = b.Signal.Metric, SignalMaximize = b.Signal.Maximize, Outcome = b.Outcome, Optimum = optimum, SpaceSize = size,
                Trials = problem.Key + ".csv", WallSeconds = 0, FinishedUtc = DateTime.UtcNow,
            };
        }
    }

    private sealed class Rerunner(ExperimentManifest m, string strategy, int run) : IBenchmarkVisitor<IReadOnlyList<TrialRow>>
    {
        public IReadOnlyList<TrialRow> Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            var protocol = Protocol(b, m, 1);
            var result = protocol.RunOne(Factory(strategy, m), run, m.Seed + run);
            return TrialTable.Rows([result], protocol.Signal.Metric, protocol.OutcomeMetric).ToArray();
        }
    }

    /// <summary>The best outcome over the whole space when it can be listed (regret is measured against it), and the space's size.</summary>
    private static (double? Optimum, int? Size) SpaceOptimum<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
    {
        if (b.Space is not IEnumerableSpace<TArch> all || all.Count > 1_000_000) return (null, null);
        var outcomes = all.All().Select(a => b.Evaluator.Evaluate(a, b.Fidelity)).Where(e => !e.Failed)
            .Select(e => e.Metrics.GetValueOrDefault(b.Outcome, double.NaN)).Where(double.IsFinite).ToArray();
        return (outcomes.Length == 0 ? null : b.Signal.Maximize ? outcomes.Max() : outcomes.Min(), (int)all.Count);
    }
}
