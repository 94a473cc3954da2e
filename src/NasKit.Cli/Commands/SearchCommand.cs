using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Estimation.Predictors;
using NasKit.Execution;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Cli.Commands;

internal static class SearchCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var space = new Option<string?>("--space") { Description = "Search space (default: the benchmark's, else nb201):\n" + Catalog<ISpaceEntry>.Listing() };
        var benchmark = new Option<string?>("--benchmark") { Description = "Tabular benchmark that evaluates (default: the one named like the space, unless --evaluator is given):\n" + Catalog<IBenchmarkEntry>.Listing() };
        var evaluator = new Option<string?>("--evaluator") { Description = "Evaluator descriptor instead of a benchmark, e.g. train or train:data=cifar10-subset,C=8,N=1:\n" + Catalog<IEvaluatorFactory>.Listing() };
        var strategy = new Option<string>("--strategy") { Description = "Strategy name, a comma-separated list, or all; with settings, ';'-separated (random;rea:population=10,sample-size=3):\n" + Catalog<IStrategyFactory>.Listing(), DefaultValueFactory = _ => "all" };
        var queries = new Option<int>("--queries") { Description = "Queries per run (>= 1).", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var runs = new Option<int>("--runs") { Description = "Independent runs, seeds seed..seed+runs-1 (>= 1).", DefaultValueFactory = _ => 500 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seed of the first run; also the training evaluator's initialisation seed.", DefaultValueFactory = _ => 0 }.Seed();
        var dataset = new Option<string?>("--dataset") { Description = "The benchmark's data set (nb201: cifar10, cifar100 or imagenet16-120)." };
        var task = new Option<string?>("--task") { Description = "The benchmark's task (lcbench: an OpenML task id such as 3945)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs per trial: the benchmark table of the signal (nb201: 12 or 200, default 200), or how long the training evaluator trains (required with it)." }.AtLeast(1);
        var data = new Option<string?>("--data") { Description = "The training evaluator's data: cifar10-subset or fashion-mnist (default cifar10-subset)." };
        var channels = new Option<int?>("--channels") { Description = "The training evaluator's network width C (>= 1; default 16)." }.AtLeast(1);
        var cells = new Option<int?>("--cells") { Description = "The training evaluator's cells per stage N (>= 1; default 1 here: a proxy network)." }.AtLeast(1);
        var output = new Option<string?>("--out") { Description = "Write every trial of every run to this .csv or .parquet file. Runs are saved as they finish; an interrupted comparison resumes when rerun with the same options." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing --out file." };
        var parallel = new Option<int?>("--parallel") { Description = "Runs executed at once (default: the cores with a benchmark, 1 with a training evaluator). Results do not depend on it: each run has its own seed and state." }.AtLeast(1);
        var predictor = new Option<string?>("--predictor") { Description = "The predictor BANANAS uses (default: its MLP ensemble):\n" + Catalog<IPredictorFactory>.Listing() };
        var fidelities = new Option<string?>("--fidelities") { Description = "Epoch rungs of the multi-fidelity schedulers: a list (12,200) or min-max for Hyperband's geometric ladder (1-81); " +
                                                                              "default: the benchmark's (nb201 12,200; nbnlp 1-50; lcbench 1-52). Other strategies train at the last rung. Needs --budget-epochs." };
        var eta = new Option<double>("--eta") { Description = "Reduction factor of the schedulers (> 1): each rung keeps the best 1/eta.", DefaultValueFactory = _ => 3 }.AtLeast(1, exclusive: true);
        var stopping = new Option<string?>("--stopping") { Description = "Stop trials early from their learning curves (the evaluator reports each epoch):\n" + Catalog<NasKit.Estimation.Stopping.IStoppingRule>.Listing() };
        var objectives = new Option<string?>("--objectives") { Description = "Search on several objectives with a multi-objective strategy (nsga2, rea-constrained, rea-weighted, random): " +
                                                                               "the signal first, then the costs it trades against and any bounds, e.g. valid_loss,params_m,cpu_latency,params_m<=0.8. " +
                                                                               "Prints each strategy's front of non-dominated trials; the incumbent is still the best signal (within the bounds)." };
        var budgetEpochs = new Option<int?>("--budget-epochs") { Description = "Budget of each run in training epochs, summed over its trials (>= 1), instead of --queries." }.AtLeast(1);
        var cmd = new Command("search", "Compare search strategies under a query budget (NASLib's protocol): each run searches on the signal (validation accuracy) and reports " +
                                        "the outcome of its best-signal architecture (a benchmark's test accuracy, an evaluator's test metric such as textcls's test_acc, else the signal). Prints NAME: mean±std of the outcome.\n" +
                                        "Examples:\n  naskit search --space nb201 --benchmark nb201 --strategy all --queries 100 --runs 500 --seed 0\n" +
                                        "  naskit search --space darts --evaluator train --data cifar10-subset --epochs 1 --strategy rea --queries 6 --runs 1 --seed 0\n" +
                                        "  naskit search --benchmark nb201 --strategy random,hyperband,asha --fidelities 12,200 --budget-epochs 4000 --runs 100 --seed 0\n" +
                                        "  naskit search --benchmark nb201 --objectives valid_acc,pixel3_latency --strategy nsga2,random --queries 100 --runs 10 --seed 0")
        {
            space, benchmark, evaluator, strategy, queries, runs, seed, dataset, epochs, data, channels, cells, output, force, parallel, predictor,
            fidelities, eta, budgetEpochs, stopping, task, objectives,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            var o = new SearchOptions(r.GetValue(space), r.GetValue(benchmark), r.GetValue(evaluator), r.GetValue(strategy)!, r.GetValue(queries), r.GetValue(runs),
                r.GetValue(seed), r.GetValue(dataset), r.GetValue(epochs), r.GetValue(data), r.GetValue(channels), r.GetValue(cells), r.GetValue(output),
                r.GetValue(force), r.GetValue(parallel), r.GetValue(predictor), r.GetValue(fidelities) is { } f ? FidelityRungs.Parse(f, r.GetValue(eta)) : null,
                r.GetValue(budgetEpochs), r.GetValue(stopping) is { } rule ? Catalog<NasKit.Estimation.Stopping.IStoppingRule>.Get(rule) : null,
                r.GetValue(eta), r.GetValue(task), r.GetValue(objectives));
            return Run(o);
        }));
        return cmd;
    }

    internal sealed record SearchOptions(string? Space, string? Benchmark, string? Evaluator, string Strategy, int Queries, int Runs, int Seed, string? Dataset,
        int? Epochs, string? Data, int? Channels, int? Cells, string? Output, bool Force, int? Parallel, string? Predictor, FidelityRungs? Rungs = null,
        int? BudgetEpochs = null, NasKit.Estimation.Stopping.IStoppingRule? Stopping = null, double Eta = 3, string? Task = null, string? Objectives = null)
    {
        /// <summary>The parsed --objectives (the signal first), or null for a single-objective search.</summary>
        public IReadOnlyList<Objective>? ObjectiveList { get; } = Objectives is null ? null : ParseObjectives(Objectives);

        private static IReadOnlyList<Objective> ParseObjectives(string text)
        {
            var list = Objective.ParseList(text);
            if (list[0].Bound is not null) throw new ArgumentException($"--objectives '{text}': the first is the signal the incumbent is chosen by, not a bound; put a metric such as valid_acc first.");
            if (list.Count < 2) throw new ArgumentException($"--objectives '{text}': give the signal and at least one more objective or bound, e.g. valid_acc,params_m.");
            return list;
        }

        /// <summary>The epochs of a trial at the study's default fidelity: the top rung with schedulers, else --epochs.</summary>
        public int? TrialEpochs => Rungs?.Max ?? Epochs;

        public string BudgetText => BudgetEpochs is { } b ? $"{b} epochs" : $"{Queries} queries";
    }

    internal static int Run(SearchOptions o)
    {
        if (o.Queries < 1) throw new ArgumentException($"--queries must be at least 1, got {o.Queries}.");
        if (o.Runs < 1) throw new ArgumentException($"--runs must be at least 1, got {o.Runs}.");
        if (o.Parallel is < 1) throw new ArgumentException($"--parallel must be at least 1, got {o.Parallel}.");
        if (o.Epochs is < 1) throw new ArgumentException($"--epochs must be at least 1, got {o.Epochs}.");
        if (o.Channels is < 1 || o.Cells is < 1) throw new ArgumentException("--channels and --cells must be at least 1.");
        if (o.Output is not null && Path.GetExtension(o.Output).ToLowerInvariant() is not (".csv" or ".parquet"))
            throw new ArgumentException($"--out '{o.Output}': use a .csv or .parquet file name.");
        if (o.Force && o.Output is null) throw new ArgumentException("--force overwrites the --out file; give --out too.");
        if (o.Benchmark is not null && o.Evaluator is not null) throw new ArgumentException("Give --benchmark or --evaluator, not both.");
        OptionRanges.CheckRunSeeds(o.Seed, o.Runs);
        // A budget in epochs is what makes schedulers comparable: with one, "all" includes them.
        var factories = StrategySettings.ParseList(o.Strategy, o.ObjectiveList is not null ? StrategyFactories.MultiObjective
            : o.Rungs is null && o.BudgetEpochs is null ? f => StrategyFactories.SingleObjective(f) && StrategyFactories.SingleFidelity(f)
            : StrategyFactories.SingleObjective);
        if (o.ObjectiveList is not null && (o.Rungs is not null || o.BudgetEpochs is not null || o.Stopping is not null))
            throw new ArgumentException("--objectives runs multi-objective strategies under a query budget; leave out --fidelities, --budget-epochs and --stopping.");
        // A single-objective strategy is a legitimate baseline in a multi-objective study, but it must not pass for a trade-off search.
        if (o.ObjectiveList is { } listed)
            foreach (var f in factories.Where(f => f.Objectives == ObjectiveCount.One))
                Console.Error.WriteLine($"note: {f.Name} optimises {listed[0].Metric} alone; the other objectives and the bounds only judge its trials (multi-objective: {string.Join(", ", Catalog<IStrategyFactory>.All.Where(m => m.Objectives == ObjectiveCount.Many).Select(m => m.Name))}).");
        var scheduler = factories.FirstOrDefault(f => f.SchedulesFidelities);
        if (o.Rungs is null && scheduler is not null && o.Evaluator is not null)
            throw new ArgumentException($"{scheduler.Name} schedules trials over several epoch budgets; give --fidelities (e.g. 1-27) and --budget-epochs.");
        if ((o.Rungs is not null || scheduler is not null) && o.BudgetEpochs is null)
            throw new ArgumentException($"{(scheduler is null ? "--fidelities" : scheduler.Name)} compares strategies that spend epochs differently; give the budget in epochs with --budget-epochs.");
        if (o.Rungs is not null && o.Epochs is { } ep && ep != o.Rungs.Max)
            throw new ArgumentException($"--epochs {ep} differs from the top rung of --fidelities ({o.Rungs.Max}), at which strategies without rungs train; leave --epochs out.");
        if (o.Predictor is not null)
        {
            Catalog<IPredictorFactory>.Get(o.Predictor); // unknown names fail here, with the list
            factories = factories.Select(f => f is BananasFactory ? new BananasFactory { Predictor = o.Predictor } : f).ToArray();
        }
        var spaceEntry = o.Space is null && o.Benchmark is not null ? null : Catalog<ISpaceEntry>.Get(o.Space ?? "nb201");
        if (o.Evaluator is null)
        {
            string name = o.Benchmark ?? (Catalog<IBenchmarkEntry>.Find(spaceEntry!.Name)?.Name
                ?? throw new ArgumentException($"No benchmark covers space '{spaceEntry.Name}'; give --evaluator (e.g. train) or one of --benchmark {Catalog<IBenchmarkEntry>.Names()}."));
            if (o.Data is not null || o.Channels is not null || o.Cells is not null)
                throw new ArgumentException("--data, --channels and --cells configure a training evaluator; a benchmark looks architectures up.");
            var args = new Dictionary<string, string>();
            if (o.Dataset is not null) args["dataset"] = o.Dataset;
            if (o.Task is not null) args["task"] = o.Task;
            if (o.TrialEpochs is { } e) args["epochs"] = e.ToString(Inv);
            return Problems.WithBenchmark(new EvaluatorDescriptor(name, args).ToString(), new OnBenchmark(o, spaceEntry?.Name, factories));
        }
        if (o.Dataset is not null || o.Task is not null) throw new ArgumentException("--dataset and --task select a benchmark's data; the training evaluator takes --data.");
        if (o.TrialEpochs is null) throw new ArgumentException("--epochs is required with an evaluator that trains: say how many epochs each trial trains (e.g. --epochs 1).");
        var d = EvaluatorDescriptor.Parse(o.Evaluator);
        var a = new Dictionary<string, string>(d.Arguments);
        if (o.Data is not null) a["data"] = o.Data;
        if (o.Channels is not null) a["C"] = o.Channels.Value.ToString(Inv);
        if (o.Cells is not null || Catalog<IEvaluatorFactory>.Get(d.Name).TakesNetworkShape) a.TryAdd("N", (o.Cells ?? 1).ToString(Inv));
        a.TryAdd("seed", o.Seed.ToString(Inv));
        var descriptor = d with { Arguments = a };
        return spaceEntry!.Accept(new OnEvaluator(o, descriptor, factories));
    }

    private sealed class OnBenchmark(SearchOptions options, string? space, IReadOnlyList<IStrategyFactory> factories) : IBenchmarkVisitor<int>
    {
        public int Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            var o = options;
            if (space is not null && !string.Equals(b.Space.Name, space, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"Benchmark '{b.Name}' covers space '{b.Space.Name}', not '{space}'.");
            if (o.Rungs is null && factories.FirstOrDefault(f => f.SchedulesFidelities) is { } scheduler)
                o = o with
                {
                    Rungs = FidelityRungs.Parse(b.DefaultFidelities ?? throw new ArgumentException(
                        $"{scheduler.Name} schedules trials over several epoch budgets and benchmark '{b.Name}' names none; give --fidelities."), o.Eta),
                };
            var protocol = new QueryBudgetProtocol<TArch>
            {
                Space = b.Space, Evaluator = b.Evaluator, Fidelity = b.Fidelity, Signal = o.ObjectiveList?[0] ?? b.Signal, Objectives = o.ObjectiveList, OutcomeMetric = b.Outcome,
                Queries = o.Queries, Epochs = o.BudgetEpochs, Rungs = o.Rungs, Parallelism = o.Parallel ?? Environment.ProcessorCount,
                Stopping = o.Stopping is { } rule ? new StoppingSetting(rule, b.Signal) : null,
                IntraOpThreads = 1, // runs are parallel; the strategies' tiny models gain nothing from intra-op threads
            };
            if (o.Rungs is not null) Console.Error.WriteLine($"rungs {o.Rungs}; budget {o.BudgetText} per run");
            return Compare(protocol, o, factories, printBest: false, problem: $"space={b.Space.Name}, benchmark={b.Name}, dataset={o.Dataset ?? "default"}, fidelity={b.Fidelity}");
        }
    }

    private sealed class OnEvaluator(SearchOptions o, EvaluatorDescriptor descriptor, IReadOnlyList<IStrategyFactory> factories) : ISpaceVisitor<int>
    {
        public int Visit<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture
        {
            var evaluator = descriptor.Create(space);
            var signal = o.ObjectiveList?[0] ?? (evaluator is ISignalEvaluator s ? s.Signal : Objective.Max(Metrics.ValidAccuracy));
            string outcome = (evaluator as ISignalEvaluator)?.Outcome ?? signal.Metric;
            Console.Error.WriteLine(o.Rungs is null ? $"evaluator {descriptor} on space {space.Name}, {o.Epochs} epoch(s) per trial"
                                                    : $"evaluator {descriptor} on space {space.Name}, rungs {o.Rungs}, budget {o.BudgetText} per run");
            var protocol = new QueryBudgetProtocol<TArch>
            {
                Space = space, Evaluator = evaluator, Fidelity = new Fidelity(Epochs: o.TrialEpochs), Signal = signal, Objectives = o.ObjectiveList, OutcomeMetric = outcome,
                Queries = o.Queries, Epochs = o.BudgetEpochs, Rungs = o.Rungs, Parallelism = o.Parallel ?? 1,
                Stopping = o.Stopping is { } rule ? new StoppingSetting(rule, signal) : null,
                // Trained trials take minutes: one line each, so a long search shows where it is.
                OnTrial = (strategy, run, t) => Console.Error.WriteLine(string.Create(Inv,
                    $"  {strategy} run {run}: trial {t.Number + 1}{(o.BudgetEpochs is null ? $"/{o.Queries}" : $" ({t.Fidelity.Epochs} epochs)")} {(t.Evaluation.Failed ? "FAILED " + t.Evaluation.Reason : Values(t.Evaluation, signal))} in {t.WallSeconds:0} s")),
            };
            return Compare(protocol, o, factories, printBest: true, problem: $"space={space.Name}, evaluator={descriptor}, epochs={o.TrialEpochs}");
        }

        /// <summary>The trial's line: the signal, or every objective's metric in a multi-objective search.</summary>
        private string Values(Evaluation e, Objective signal) => string.Join(" ", (o.ObjectiveList?.Select(x => x.Metric).Distinct() ?? [signal.Metric])
            .Select(m => string.Create(Inv, $"{m}={e.Metrics.GetValueOrDefault(m, double.NaN):0.000}")));
    }

    private static int Compare<TArch>(QueryBudgetProtocol<TArch> protocol, SearchOptions o, IReadOnlyList<IStrategyFactory> factories, bool printBest,
                                      string problem) where TArch : class, IArchitecture
    {
        if (o.Strategy.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
            factories = Cli.Runnable(factories, protocol.Space, protocol.Signal);
        // Checked before anything runs: an unwritable folder or a finished file fails now, not after an hour of search.
        var settings = new Dictionary<string, string>
        {
            ["problem"] = problem, ["strategies"] = string.Join(",", factories.Select(f => f.Name)), ["queries"] = $"{o.Queries}",
            ["runs"] = $"{o.Runs}", ["seed"] = $"{o.Seed}", ["predictor"] = o.Predictor ?? "",
        };
        if (o.BudgetEpochs is { } budget) settings["budget-epochs"] = $"{budget}";
        if (o.Stopping is { } stoppingRule) settings["stopping"] = stoppingRule.Name;
        if (o.Rungs is { } rungs) settings["rungs"] = rungs.ToString();
        if (o.Objectives is { } objectivesText) settings["objectives"] = objectivesText;
        var objectiveMetrics = o.ObjectiveList?.Select(x => x.Metric).Distinct().ToArray();
        var bounds = o.ObjectiveList?.Where(x => x.Bound is not null).ToArray() ?? [];
        using var journal = o.Output is null ? null : new TrialJournal(o.Output, settings, o.Force);
        if (journal is { Resumed.Count: > 0 }) Console.Error.WriteLine($"resuming {o.Output}: {journal.Resumed.Count} runs already done");
        foreach (var factory in factories)
        {
            var sw = Stopwatch.StartNew();
            var missing = Enumerable.Range(0, o.Runs).Where(r => journal is null || !journal.Resumed.Contains((factory.Name, r))).ToArray();
            IReadOnlyList<SearchRun<TArch>> fresh = [];
            Cli.WithProgress($"{factory.Name}: {missing.Length} runs", missing.Length, tick => fresh = protocol.Run(factory, missing, o.Seed, run =>
            {
                journal?.Append(run.Strategy, run.Run, TrialTable.Rows([run], protocol.Signal.Metric, protocol.OutcomeMetric, objectiveMetrics));
                tick();
            }));
            // Every run's outcome and best architecture, resumed ones read back from the journal.
            var perRun = fresh.Select(r => (r.Outcome, Best: r.Best(protocol.Signal)?.Architecture.ToText(),
                                            BestSignal: r.Best(protocol.Signal) is { } t ? t.Evaluation[protocol.Signal.Metric] : double.NaN)).ToList();
            if (journal is not null)
                perRun.AddRange(journal.Rows.Where(t => t.Strategy == factory.Name && journal.Resumed.Contains((t.Strategy, t.Run))).GroupBy(t => t.Run)
                    .Select(g => g.OrderBy(t => t.Trial).ToArray())
                    .Select(run => (run[^1].BestOutcomeSoFar, (string?)BestRow(run, protocol.Signal, bounds)?.Architecture, BestRow(run, protocol.Signal, bounds)?.Signal ?? double.NaN)));
            var outcomes = perRun.Select(x => x.Outcome).ToArray();
            Console.WriteLine(string.Create(Inv, $"{factory.Name}: {Statistics.Mean(outcomes):0.00}±{(outcomes.Length > 1 ? Statistics.Std(outcomes) : 0):0.00}"));
            if (printBest && perRun.Where(x => x.Best is not null).OrderByDescending(x => protocol.Signal.Maximize ? x.BestSignal : -x.BestSignal).FirstOrDefault() is { Best: { } arch } best)
                Console.WriteLine(string.Create(Inv, $"  best: {arch}  {protocol.Signal.Metric}={best.BestSignal:0.00}") +
                                  (protocol.OutcomeMetric != protocol.Signal.Metric ? string.Create(Inv, $" {protocol.OutcomeMetric}={best.Outcome:0.00}") : ""));
            Console.Error.WriteLine(string.Create(Inv, $"  {factory.Name}: {missing.Length} runs x {o.BudgetText} in {sw.Elapsed.TotalSeconds:0.0} s"));
            if (o.ObjectiveList is { } objectives)
            {
                var rows = TrialTable.Rows(fresh, protocol.Signal.Metric, protocol.OutcomeMetric, objectiveMetrics).ToList();
                if (journal is not null) rows.AddRange(journal.Rows.Where(t => t.Strategy == factory.Name && journal.Resumed.Contains((t.Strategy, t.Run))));
                PrintFront(factory.Name, rows, objectives);
            }
        }
        if (journal is not null)
        {
            int trials = journal.Rows.Count;
            journal.Complete();
            Console.Error.WriteLine($"  wrote {trials} trials to {o.Output}");
        }
        return 0;
    }

    private static TrialRow? BestRow(IEnumerable<TrialRow> run, Objective signal, IReadOnlyList<Objective> bounds) =>
        run.Where(t => !t.Failed && !double.IsNaN(t.Signal) && bounds.All(b => Within(t, b)))
            .OrderByDescending(t => signal.Maximize ? t.Signal : -t.Signal).FirstOrDefault();

    /// <summary>The bound's own test on the row's recorded values (a metric the row lacks is never within a bound).</summary>
    private static bool Within(TrialRow t, Objective bound) =>
        bound.Satisfied(new Evaluation(t.ObjectiveValues().ToDictionary(x => x.Metric, x => x.Value), t.CostSeconds));

    /// <summary>
    /// The trade-offs a multi-objective search found: the trials of every run that no other trial beats on all unbounded
    /// objectives at once. A metric no trial reported is an error (a misspelt or unsupported objective), not an empty front.
    /// </summary>
    private static void PrintFront(string strategy, IReadOnlyList<TrialRow> rows, IReadOnlyList<Objective> objectives)
    {
        var free = objectives.Where(x => x.Bound is null).ToArray();
        var ok = rows.Where(t => !t.Failed).ToArray();
        var values = ok.Select(t => t.ObjectiveValues().ToDictionary(v => v.Metric, v => v.Value)).ToArray();
        if (ok.Length > 0 && objectives.FirstOrDefault(x => values.All(v => double.IsNaN(v.GetValueOrDefault(x.Metric, double.NaN)))) is { } missing)
            throw new ArgumentException($"No trial of {strategy} reported '{missing.Metric}': this evaluator does not measure it. Choose --objectives among the metrics it reports (see the trials file).");
        var points = Enumerable.Range(0, ok.Length).Where(i => free.All(x => double.IsFinite(values[i].GetValueOrDefault(x.Metric, double.NaN)))).ToArray();
        var costs = points.Select(i => (IReadOnlyList<double>)free.Select(x => x.Maximize ? -values[i][x.Metric] : values[i][x.Metric]).ToArray()).ToArray();
        var front = Pareto.Front(costs).Select(k => points[k]).OrderBy(i => free[0].Maximize ? -values[i][free[0].Metric] : values[i][free[0].Metric]).ToArray();
        Console.WriteLine($"  front of {string.Join(" vs ", free.Select(x => x.Metric))}: {front.Length} of {ok.Length} trials");
        const int Shown = 25;
        if (front.Length > Shown) Console.WriteLine($"    (the {Shown} best by {free[0].Metric}; every trial is in the --out file)");
        foreach (int i in front.Take(Shown))
            Console.WriteLine(string.Create(Inv, $"    run {ok[i].Run} trial {ok[i].Trial + 1}: {string.Join(" ", free.Select(x => string.Create(Inv, $"{x.Metric}={values[i][x.Metric]:0.####}")))}") +
                              (objectives.Any(x => x.Bound is not null) && !objectives.Where(x => x.Bound is not null).All(b => Within(ok[i], b)) ? " (outside the bounds)" : "") +
                              $"  {ok[i].Architecture}");
    }
}
