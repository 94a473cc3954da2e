using System.CommandLine;
using System.Globalization;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.Experiments;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Cli.Commands;

/// <summary>
/// Persistent studies: <c>study run</c> coordinates (and by default evaluates with <c>--parallel</c> local workers),
/// <c>worker</c> evaluates from any machine, <c>study watch</c> and <c>study show</c> look on.
/// </summary>
internal static class StudyCommands
{
    private static Option<string> Storage() => new("--storage")
    {
        Description = "Where the study lives: an SQLite file (one machine), or PostgreSQL as 'Host=…;Username=…;Password=…;Database=…' " +
                      "or 'postgresql://user:pass@host/db' (workers on many machines).",
        Required = true,
    };

    private static Option<string> StudyName(string description)
    {
        var o = new Option<string>("--study") { Description = description, Required = true };
        o.Validators.Add(r => { if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>())) r.AddError("--study must name a study; it is empty."); });
        return o;
    }

    private static string Names(ITrialQueue queue) => queue.Studies() is { Count: > 0 } s ? string.Join(", ", s.Select(x => x.Name)) : "none";

    public static Command Create()
    {
        var study = new Command("study", "Run, resume, watch and inspect persistent studies.\nExample:\n  naskit study run --storage runs/demo.db --study demo --strategy rea --queries 100");
        study.Subcommands.Add(RunCommand());
        study.Subcommands.Add(ShowCommand());
        study.Subcommands.Add(WatchCommand());
        return study;
    }

    private static Command RunCommand()
    {
        var storage = Storage();
        var name = StudyName("Study name; rerunning the same name resumes it exactly.");
        var space = new Option<string>("--space") { Description = "Search space:\n" + Catalog<ISpaceEntry>.Listing(), DefaultValueFactory = _ => "nb201" };
        var benchmark = new Option<string?>("--benchmark") { Description = "Tabular benchmark that evaluates (default: the one named like the space, unless --evaluator is given)." };
        var evaluator = new Option<string?>("--evaluator") { Description = "Evaluator descriptor instead of a benchmark (e.g. train:data=cifar10-subset,C=8,N=1); workers anywhere rebuild it from the study." };
        var strategy = new Option<string>("--strategy") { Description = "Search strategy:\n" + Catalog<IStrategyFactory>.Listing(), DefaultValueFactory = _ => "random" };
        var queries = new Option<int>("--queries") { Description = "Query budget (trials asked, >= 1).", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 0 }.Seed();
        var epochs = new Option<int?>("--epochs") { Description = "Epochs per trial: the benchmark table (nb201: 12 or 200, default 200), or how long the training evaluator trains (required with it)." }.AtLeast(1);
        var parallel = new Option<int>("--parallel") { Description = "Evaluations at once in this process (>= 0); 0 leaves all evaluation to 'naskit worker' processes.", DefaultValueFactory = _ => 1 }.AtLeast(0);
        var outstanding = new Option<int?>("--outstanding") { Description = "Candidates asked ahead of their results (asynchronous search, >= 1); default: --parallel, at least 1." }.AtLeast(1);
        var delay = new Option<int>("--eval-delay-ms") { Description = "Wait this long per evaluation in the local workers (simulates training; for tests).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var lease = new Option<double>("--lease-seconds") { Description = "Coordinator and local-worker lease (> 0); a crashed process's work is taken over after it.", DefaultValueFactory = _ => 10 }.AtLeast(0, exclusive: true);
        var fidelities = new Option<string?>("--fidelities") { Description = "Epoch rungs of a multi-fidelity scheduler (12,200 or 1-81); default: the benchmark's. Other strategies train at the last rung." };
        var eta = new Option<double>("--eta") { Description = "Reduction factor of the schedulers (> 1).", DefaultValueFactory = _ => 3 }.AtLeast(1, exclusive: true);
        var budgetEpochs = new Option<int?>("--budget-epochs") { Description = "Budget in training epochs summed over trials (>= 1), instead of --queries; needed by schedulers." }.AtLeast(1);
        var timeScale = new Option<double>("--time-scale") { Description = "Local workers wait this many wall seconds per second of an evaluation's cost (a benchmark's simulated training time; >= 0).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var task = new Option<string?>("--task") { Description = "The benchmark's task (lcbench: an OpenML task id such as 3945); recorded in the study's evaluator." };
        var cmd = new Command("run", "Coordinate (or resume) a study; every ask, tell, intermediate result and result is recorded.\n" +
                                     "Examples:\n  naskit study run --storage runs/demo.db --study demo --strategy rea --queries 100 --seed 0\n" +
                                     "  naskit study run --storage \"$NASKIT_DB\" --study train --space nb201 --evaluator train:C=8,N=1 --epochs 1 --parallel 0")
        {
            storage, name, space, benchmark, evaluator, strategy, queries, seed, epochs, parallel, outstanding, delay, lease, fidelities, eta, budgetEpochs, timeScale, task,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            int q = r.GetValue(queries), p = r.GetValue(parallel);
            if (q <= 0) throw new ArgumentException($"--queries must be at least 1, got {q}.");
            if (p < 0) throw new ArgumentException($"--parallel must be 0 or more, got {p}.");
            if (r.GetValue(epochs) is < 1) throw new ArgumentException($"--epochs must be at least 1, got {r.GetValue(epochs)}.");
            int o = r.GetValue(outstanding) ?? Math.Max(1, p);
            if (o < 1) throw new ArgumentException($"--outstanding must be at least 1, got {o}.");
            if (r.GetValue(delay) < 0) throw new ArgumentException("--eval-delay-ms must be 0 or more.");
            var leaseTime = TimeSpan.FromSeconds(r.GetValue(lease) is > 0 and var l ? l : throw new ArgumentException("--lease-seconds must be positive."));
            if (r.GetValue(benchmark) is not null && r.GetValue(evaluator) is not null) throw new ArgumentException("Give --benchmark or --evaluator, not both.");
            if (r.GetValue(timeScale) is < 0 or double.NaN) throw new ArgumentException("--time-scale must be 0 or more.");
            var rungs = r.GetValue(fidelities) is { } f ? FidelityRungs.Parse(f, r.GetValue(eta)) : null;
            if (rungs is not null && r.GetValue(epochs) is { } ep && ep != rungs.Max)
                throw new ArgumentException($"--epochs {ep} differs from the top rung of --fidelities ({rungs.Max}); leave --epochs out.");
            var run = new RunSettings(r.GetValue(storage)!, r.GetValue(name)!, Catalog<IStrategyFactory>.Get(r.GetValue(strategy)!), q, r.GetValue(seed),
                                      rungs?.Max ?? r.GetValue(epochs), p, o, r.GetValue(delay), leaseTime, rungs, r.GetValue(budgetEpochs), r.GetValue(eta), r.GetValue(timeScale));
            if ((run.Strategy.SchedulesFidelities || rungs is not null) && run.BudgetEpochs is null)
                throw new ArgumentException($"{(run.Strategy.SchedulesFidelities ? run.Strategy.Name : "--fidelities")} spends epochs on trials of different lengths; give the budget with --budget-epochs.");
            var spaceEntry = Catalog<ISpaceEntry>.Get(r.GetValue(space)!);
            if (r.GetValue(evaluator) is { } ev)
            {
                if (r.GetValue(task) is not null) throw new ArgumentException("--task selects a benchmark's task; give it with --benchmark, not --evaluator.");
                if (run.Strategy.SchedulesFidelities && rungs is null) throw new ArgumentException($"{run.Strategy.Name} needs --fidelities with an evaluator that trains (e.g. 1-27).");
                if (run.Epochs is null) throw new ArgumentException("--epochs is required with an evaluator that trains: say how many epochs each trial trains (e.g. --epochs 1).");
                return spaceEntry.Accept(new RunOnSpace(run, EvaluatorDescriptor.Parse(ev)));
            }
            string bench = r.GetValue(benchmark) ?? Catalog<IBenchmarkEntry>.Find(spaceEntry.Name)?.Name
                ?? throw new ArgumentException($"No benchmark covers space '{spaceEntry.Name}'; give --evaluator.");
            var args = new Dictionary<string, string>();
            if (run.Epochs is { } e) args["epochs"] = e.ToString(CultureInfo.InvariantCulture);
            // The study's evaluator names the task, so workers rebuild the same one; without --task it stays the bare
            // benchmark name, as studies made before tasks existed recorded it.
            string recorded = bench;
            if (r.GetValue(task) is { } t)
            {
                args["task"] = t;
                recorded = new EvaluatorDescriptor(bench, new Dictionary<string, string> { ["task"] = t }).ToString();
            }
            return Problems.WithBenchmark(new EvaluatorDescriptor(bench, args).ToString(), new RunOnBenchmark(run, spaceEntry.Name, recorded));
        }));
        return cmd;
    }

    private sealed record RunSettings(string Storage, string Study, IStrategyFactory Strategy, int Queries, int Seed, int? Epochs, int Parallel,
                                      int Outstanding, int DelayMs, TimeSpan Lease, FidelityRungs? Rungs = null, int? BudgetEpochs = null, double Eta = 3,
                                      double TimeScale = 0)
    {
        /// <summary>The budget and rungs as configuration text; empty for studies without them, so older studies resume.</summary>
        public string FidelityText => (BudgetEpochs is { } b ? $", budget-epochs={b}" : "") + (Rungs is { } rg ? $", rungs={string.Join("/", rg.Epochs)} eta={rg.Eta.ToString(CultureInfo.InvariantCulture)}" : "");
    }

    private sealed class RunOnBenchmark(RunSettings run, string space, string recordedEvaluator) : IBenchmarkVisitor<int>
    {
        public int Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            if (!string.Equals(b.Space.Name, space, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"Benchmark '{b.Name}' covers space '{b.Space.Name}', not '{space}'.");
            var settings = run;
            if (run.Strategy.SchedulesFidelities && run.Rungs is null)
                settings = run with
                {
                    Rungs = FidelityRungs.Parse(b.DefaultFidelities ?? throw new ArgumentException(
                        $"{run.Strategy.Name} schedules trials over several epoch budgets and benchmark '{b.Name}' names none; give --fidelities."), run.Eta),
                };
            // The configuration text of studies made before evaluator descriptors, so that they resume.
            var spec = new StudySpec(settings.Study, b.Space.Name, settings.Strategy.Name, settings.Seed,
                                     $"benchmark={b.Name}, epochs={b.Fidelity.Epochs}, queries={settings.Queries}{settings.FidelityText}", recordedEvaluator);
            return Coordinate(settings, spec, b.Space, b.Fidelity, b.Signal);
        }
    }

    private sealed class RunOnSpace(RunSettings run, EvaluatorDescriptor descriptor) : ISpaceVisitor<int>
    {
        public int Visit<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture
        {
            descriptor.Create(space); // an evaluator that cannot work here fails before the study exists
            var spec = new StudySpec(run.Study, space.Name, run.Strategy.Name, run.Seed, $"epochs={run.Epochs}, queries={run.Queries}{run.FidelityText}", descriptor.ToString());
            return Coordinate(run, spec, space, new Fidelity(Epochs: run.Epochs), Objective.Max(Metrics.ValidAccuracy));
        }
    }

    private static int Coordinate<TArch>(RunSettings run, StudySpec spec, ISearchSpace<TArch> space, Fidelity fidelity, Objective signal)
        where TArch : class, IArchitecture
    {
        var strategy = run.Strategy.Create(space, [signal], run.Seed, run.Rungs);
        using var queue = TrialQueues.Open(run.Storage, Log);
        var budget = run.BudgetEpochs is { } epochs ? Budget.OfEpochs(epochs) : Budget.OfQueries(run.Queries);
        var study = new Study<TArch>(queue, spec, space, budget, fidelity) { MaxOutstanding = run.Outstanding, Lease = run.Lease, Log = Log };

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, a) => { a.Cancel = true; stop.Cancel(); };
        var workers = Enumerable.Range(0, run.Parallel).Select(i => Task.Run(() =>
        {
            using var own = TrialQueues.Open(run.Storage, Log); // each worker its own connections
            return new Worker<TArch>(own, spec.Name, space, WorkerEvaluator(spec, space, run.DelayMs, run.TimeScale),
                new WorkerOptions { Name = $"{Environment.MachineName}:{Environment.ProcessId}/{i}", Lease = run.Lease, Log = Log }).Run(stop.Token);
        })).ToArray();
        // A local worker that dies (bad data, a bug) must not leave the coordinator waiting for it forever.
        foreach (var w in workers) w.ContinueWith(t => stop.Cancel(), TaskContinuationOptions.OnlyOnFaulted);

        StudyResult<TArch> result;
        try
        {
            using (StudyView.Start(run.Storage, spec.Name))
                result = study.Run(strategy.WithStandardWrappers(), cancellationToken: stop.Token);
            Task.WaitAll(workers);
        }
        finally { (strategy as IDisposable)?.Dispose(); }

        Console.WriteLine($"study {spec.Name}: {result.Asked} trials asked ({result.Resumed} replayed), stopped: {result.StopReason}");
        for (int i = 0; i < workers.Length; i++)
        {
            var w = workers[i].Result;
            double share = w.BusySeconds + w.IdleSeconds > 0 ? 100 * w.IdleSeconds / (w.BusySeconds + w.IdleSeconds) : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker {i}: {w.Completed} evaluated, busy {w.BusySeconds:0.0} s, idle {w.IdleSeconds:0.0} s ({share:0}%)"));
        }
        if (Best(queue.Ledger(spec.Name), signal.Metric) is { } best)
            Console.WriteLine($"best: {best.Architecture} {Describe(best.Evaluation)}");
        return 0;
    }

    /// <summary>The study's evaluator, rebuilt from its descriptor (slowed down for tests when asked).</summary>
    internal static IEvaluator<TArch> WorkerEvaluator<TArch>(StudySpec spec, ISearchSpace<TArch> space, int delayMs, double timeScale = 0) where TArch : class, IArchitecture
    {
        if (spec.Evaluator.Length == 0)
            throw new ArgumentException($"Study '{spec.Name}' records no evaluator (its coordinator evaluates in-process), so no worker can join it.");
        var evaluator = EvaluatorDescriptor.Parse(spec.Evaluator).Create(space);
        return delayMs > 0 || timeScale > 0 ? new DelayedEvaluator<TArch>(evaluator, TimeSpan.FromMilliseconds(delayMs)) { CostScale = timeScale } : evaluator;
    }

    internal static LedgerTrial? Best(IEnumerable<LedgerTrial> trials, string signal = Metrics.ValidAccuracy) =>
        trials.Where(t => t.Evaluation is { Failed: false } ev && ev.Metrics.ContainsKey(signal))
              .Aggregate((LedgerTrial?)null, (b, t) => b is null || t.Evaluation![signal] > b.Evaluation![signal] ? t : b);

    internal static void Log(string message) => Console.Error.WriteLine(message);

    public static Command WorkerCommand()
    {
        var storage = Storage();
        var name = StudyName("The study to work for (its coordinator creates it; a worker may start first and waits).");
        var workerName = new Option<string?>("--name") { Description = "Worker name in the live view (default: host:pid)." };
        var delay = new Option<int>("--eval-delay-ms") { Description = "Wait this long per evaluation (simulates training; for tests).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var lease = new Option<double>("--lease-seconds") { Description = "A trial goes back to the queue this long after this worker's last heartbeat (> 0).", DefaultValueFactory = _ => 10 }.AtLeast(0, exclusive: true);
        var attempts = new Option<int>("--max-attempts") { Description = "Claims per trial before it is recorded as failed (>= 1).", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var wait = new Option<double>("--wait-for-study") { Description = "Seconds to wait for the study to appear (>= 0).", DefaultValueFactory = _ => 60 }.AtLeast(0);
        var timeScale = new Option<double>("--time-scale") { Description = "Wait this many wall seconds per second of an evaluation's cost (a benchmark's simulated training time; >= 0).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads for training on the CPU (>= 1; default: libtorch's, one per core). Give 1 when several workers share a machine's cores." }.AtLeast(1);
        var cmd = new Command("worker", "Evaluate trials of a study from its queue until the study is finished (run one per GPU, on any machine). The study says " +
                                        "which space and evaluator (the NB201 tables, or real training) to use.\nExample:\n  naskit worker --storage \"$NASKIT_DB\" --study big")
        {
            storage, name, workerName, delay, lease, attempts, wait, threads, timeScale,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            string studyName = r.GetValue(name)!;
            if (r.GetValue(attempts) < 1) throw new ArgumentException("--max-attempts must be at least 1.");
            if (r.GetValue(wait) < 0) throw new ArgumentException("--wait-for-study must be 0 or more.");
            if (r.GetValue(threads) is { } n)
            {
                if (n < 1) throw new ArgumentException($"--threads must be at least 1, got {n}.");
                NasKit.Runtime.TorchRuntime.EnsureLoaded();
                TorchSharp.torch.set_num_threads(n);
            }
            var leaseTime = TimeSpan.FromSeconds(r.GetValue(lease) is > 0 and var l ? l : throw new ArgumentException("--lease-seconds must be positive."));
            using var queue = TrialQueues.Open(r.GetValue(storage)!, Log);
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, a) => { a.Cancel = true; stop.Cancel(); };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(r.GetValue(wait));
            StudySpec? spec;
            while ((spec = queue.Find(studyName)) is null)
            {
                if (DateTime.UtcNow > deadline)
                    throw new ArgumentException($"{queue.Location} has no study '{studyName}' (waited {r.GetValue(wait):0} s). Start it with " +
                                                $"'naskit study run --storage … --study {studyName} --parallel 0'; its coordinator creates it.");
                if (stop.Token.WaitHandle.WaitOne(200)) return 0;
            }
            var options = new WorkerOptions { Lease = leaseTime, MaxAttempts = r.GetValue(attempts), Log = Log };
            if (r.GetValue(workerName) is { } wn) options = options with { Name = wn };
            var result = Catalog<ISpaceEntry>.Get(spec.Space).Accept(new WorkOnSpace(queue, spec, r.GetValue(delay), r.GetValue(timeScale), options, stop.Token));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker {options.Name}: {result.Completed} evaluated, {result.Failed} failed attempts, " +
                                                                          $"{result.Rejected} results discarded (lease lost); busy {result.BusySeconds:0.0} s, idle {result.IdleSeconds:0.0} s"));
            return 0;
        }));
        return cmd;
    }

    private sealed class WorkOnSpace(ITrialQueue queue, StudySpec spec, int delayMs, double timeScale, WorkerOptions options, CancellationToken stop) : ISpaceVisitor<WorkerResult>
    {
        public WorkerResult Visit<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture =>
            new Worker<TArch>(queue, spec.Name, space, WorkerEvaluator(spec, space, delayMs, timeScale), options).Run(stop);
    }

    private static Command WatchCommand()
    {
        var storage = Storage();
        var name = StudyName("The study to watch.");
        var once = new Option<bool>("--once") { Description = "Print the view once and exit." };
        var cmd = new Command("watch", "Live view of a study: trials queued, running, done and failed, per worker, with the best so far.\nExample:\n  naskit study watch --storage runs/demo.db --study demo") { storage, name, once };
        cmd.SetAction(r => Cli.Run(() =>
        {
            using var queue = TrialQueues.Open(r.GetValue(storage)!, Log, readOnly: true);
            string studyName = r.GetValue(name)!;
            if (queue.Find(studyName) is null) throw new ArgumentException($"{queue.Location} has no study '{studyName}'. Studies there: {Names(queue)}.");
            if (r.GetValue(once)) { StudyView.Print(queue, studyName); return 0; }
            StudyView.Follow(queue, studyName);
            return 0;
        }));
        return cmd;
    }

    private static Command ShowCommand()
    {
        var storage = Storage();
        var name = new Option<string>("--study") { Description = "Study name (all studies when omitted)." };
        var cmd = new Command("show", "List the studies in a store, or the trials of one (tab-separated).\nExample:\n  naskit study show --storage runs/demo.db --study demo") { storage, name };
        cmd.SetAction(r => Cli.Run(() =>
        {
            using var queue = TrialQueues.Open(r.GetValue(storage)!, Log, readOnly: true);
            var studyName = r.GetValue(name);
            if (studyName is null)
            {
                foreach (var s in queue.Studies())
                {
                    var p = queue.Progress(s.Name);
                    Console.WriteLine($"{s.Name}: {s.Describe()}, {p.Done} done, {p.Failed} failed, {p.Queued + p.Running} open{(p.Finished ? ", finished" : "")}");
                }
                return 0;
            }
            if (queue.Find(studyName) is null) throw new ArgumentException($"{queue.Location} has no study '{studyName}'. Studies there: {Names(queue)}.");
            foreach (var t in queue.Ledger(studyName))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{t.Number}\t{t.Architecture}\t{t.State.ToString().ToLowerInvariant()}\t{t.Attempts}\t{Describe(t.Evaluation)}"));
            return 0;
        }));
        return cmd;
    }

    internal static string Describe(Evaluation? e) => e switch
    {
        null => "",
        { Failed: true } => "FAILED " + e.Reason,
        _ => string.Join(" ", e.Metrics.Where(m => m.Key.EndsWith("_acc")).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:0.00}"))),
    };
}
