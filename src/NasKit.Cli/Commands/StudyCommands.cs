using System.CommandLine;
using System.Globalization;
using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.Experiments;
using NasKit.Spaces.Nb201;
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

    private static Option<string> StudyName(string description) => new("--study") { Description = description, Required = true };

    public static Command Create()
    {
        var study = new Command("study", "Run, resume, watch and inspect persistent studies.");
        study.Subcommands.Add(RunCommand());
        study.Subcommands.Add(ShowCommand());
        study.Subcommands.Add(WatchCommand());
        return study;
    }

    private static Command RunCommand()
    {
        var storage = Storage();
        var name = StudyName("Study name; rerunning the same name resumes it exactly.");
        var strategy = new Option<string>("--strategy") { Description = "Search strategy: " + string.Join(", ", StrategyCatalog.All.Select(f => f.Name)) + ".", DefaultValueFactory = _ => "random" };
        var queries = new Option<int>("--queries") { Description = "Query budget (trials asked).", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 0 };
        var epochs = new Option<int>("--epochs") { Description = "Benchmark table: 200 or 12 epochs.", DefaultValueFactory = _ => 200 };
        var parallel = new Option<int>("--parallel") { Description = "Evaluations at once in this process; 0 leaves all evaluation to 'naskit worker' processes.", DefaultValueFactory = _ => 1 };
        var outstanding = new Option<int?>("--outstanding") { Description = "Candidates asked ahead of their results (asynchronous search); default: --parallel, at least 1." };
        var delay = new Option<int>("--eval-delay-ms") { Description = "Wait this long per evaluation in the local workers (simulates training; for tests).", DefaultValueFactory = _ => 0 };
        var lease = new Option<double>("--lease-seconds") { Description = "Coordinator and local-worker lease; a crashed process's work is taken over after it.", DefaultValueFactory = _ => 10 };
        var cmd = new Command("run", "Coordinate (or resume) a study of NB201 on the tabular benchmark; every ask, tell and result is recorded.")
        {
            storage, name, strategy, queries, seed, epochs, parallel, outstanding, delay, lease,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            int q = r.GetValue(queries), s = r.GetValue(seed), e = r.GetValue(epochs), p = r.GetValue(parallel), d = r.GetValue(delay);
            if (q <= 0) throw new ArgumentException($"--queries must be positive, got {q}.");
            if (e is not (12 or 200)) throw new ArgumentException($"--epochs must be 12 or 200, got {e}.");
            if (p < 0) throw new ArgumentException($"--parallel must be 0 or more, got {p}.");
            int o = r.GetValue(outstanding) ?? Math.Max(1, p);
            if (o < 1) throw new ArgumentException($"--outstanding must be at least 1, got {o}.");
            var leaseTime = TimeSpan.FromSeconds(r.GetValue(lease) is > 0 and var l ? l : throw new ArgumentException("--lease-seconds must be positive."));
            string strategyName = StrategyCatalog.Get(r.GetValue(strategy)!).Name;
            string storageText = r.GetValue(storage)!;

            var bench = Nb201Benchmark.Load();
            var searcher = StrategyCatalog.Get(strategyName).Create(bench.Space, Objective.Max("valid_acc"), s).WithStandardWrappers(bench.Space, s);
            var spec = new StudySpec(r.GetValue(name)!, bench.Space.Name, strategyName, s, $"benchmark=nb201, epochs={e}, queries={q}");
            using var queue = TrialQueues.Open(storageText, Log);
            var coordinator = new Coordinator<Nb201Cell>(queue, spec, bench.Space, q, new Fidelity(Epochs: e), o) { Lease = leaseTime, Log = Log };

            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, a) => { a.Cancel = true; stop.Cancel(); };
            var evaluator = StudyEvaluator(bench, d);
            var workers = Enumerable.Range(0, p).Select(i => Task.Run(() =>
            {
                using var own = TrialQueues.Open(storageText, Log); // each worker its own connections
                return new Worker<Nb201Cell>(own, spec.Name, bench.Space, evaluator,
                    new WorkerOptions { Name = $"{Environment.MachineName}:{Environment.ProcessId}/{i}", Lease = leaseTime, Log = Log }).Run(stop.Token);
            })).ToArray();
            // A local worker that dies (bad data, a bug) must not leave the coordinator waiting for it forever.
            foreach (var w in workers) w.ContinueWith(t => stop.Cancel(), TaskContinuationOptions.OnlyOnFaulted);

            CoordinatorResult result;
            using (StudyView.Start(storageText, spec.Name))
                result = coordinator.Run(searcher, stop.Token);
            Task.WaitAll(workers);

            Console.WriteLine($"study {spec.Name}: {result.Asked} trials asked ({result.Replayed} replayed), stopped: {result.StopReason}");
            var best = Best(queue.Ledger(spec.Name));
            if (best is not null)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"best: {best.Architecture} valid_acc={best.Evaluation!["valid_acc"]:0.00} test_acc={best.Evaluation!["test_acc"]:0.00}"));
            return 0;
        }));
        return cmd;
    }

    internal static IEvaluator<Nb201Cell> StudyEvaluator(Nb201Benchmark bench, int delayMs)
    {
        IEvaluator<Nb201Cell> evaluator = new TabularEvaluator(bench);
        return delayMs > 0 ? new DelayedEvaluator<Nb201Cell>(evaluator, TimeSpan.FromMilliseconds(delayMs)) : evaluator;
    }

    internal static LedgerTrial? Best(IEnumerable<LedgerTrial> trials) =>
        trials.Where(t => t.Evaluation is { Failed: false } ev && ev.Metrics.ContainsKey("valid_acc"))
              .Aggregate((LedgerTrial?)null, (b, t) => b is null || t.Evaluation!["valid_acc"] > b.Evaluation!["valid_acc"] ? t : b);

    internal static void Log(string message) => Console.Error.WriteLine(message);

    public static Command WorkerCommand()
    {
        var storage = Storage();
        var name = StudyName("The study to work for (its coordinator creates it; a worker may start first and waits).");
        var workerName = new Option<string?>("--name") { Description = "Worker name in the live view (default: host:pid)." };
        var delay = new Option<int>("--eval-delay-ms") { Description = "Wait this long per evaluation (simulates training; for tests).", DefaultValueFactory = _ => 0 };
        var lease = new Option<double>("--lease-seconds") { Description = "A trial goes back to the queue this long after this worker's last heartbeat.", DefaultValueFactory = _ => 10 };
        var attempts = new Option<int>("--max-attempts") { Description = "Claims per trial before it is recorded as failed.", DefaultValueFactory = _ => 3 };
        var wait = new Option<double>("--wait-for-study") { Description = "Seconds to wait for the study to appear.", DefaultValueFactory = _ => 60 };
        var cmd = new Command("worker", "Evaluate trials of a study from its queue until the study is finished (run one per GPU, on any machine).")
        {
            storage, name, workerName, delay, lease, attempts, wait,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            string studyName = r.GetValue(name)!;
            if (r.GetValue(attempts) < 1) throw new ArgumentException("--max-attempts must be at least 1.");
            var leaseTime = TimeSpan.FromSeconds(r.GetValue(lease) is > 0 and var l ? l : throw new ArgumentException("--lease-seconds must be positive."));
            using var queue = TrialQueues.Open(r.GetValue(storage)!, Log);
            var bench = Nb201Benchmark.Load();
            if (queue.Find(studyName) is { } spec && spec.Space != bench.Space.Name)
                throw new ArgumentException($"Study '{studyName}' searches space '{spec.Space}'; this worker evaluates {bench.Space.Name} only.");
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, a) => { a.Cancel = true; stop.Cancel(); };
            var options = new WorkerOptions { Lease = leaseTime, MaxAttempts = r.GetValue(attempts), Log = Log, WaitForStudy = TimeSpan.FromSeconds(r.GetValue(wait)) };
            if (r.GetValue(workerName) is { } wn) options = options with { Name = wn };
            var result = new Worker<Nb201Cell>(queue, studyName, bench.Space, StudyEvaluator(bench, r.GetValue(delay)), options).Run(stop.Token);
            Console.WriteLine($"worker {options.Name}: {result.Completed} evaluated, {result.Failed} failed attempts, {result.Rejected} results discarded (lease lost)");
            return 0;
        }));
        return cmd;
    }

    private static Command WatchCommand()
    {
        var storage = Storage();
        var name = StudyName("The study to watch.");
        var once = new Option<bool>("--once") { Description = "Print the view once and exit." };
        var cmd = new Command("watch", "Live view of a study: trials queued, running, done and failed, per worker, with the best so far.") { storage, name, once };
        cmd.SetAction(r => Cli.Run(() =>
        {
            using var queue = TrialQueues.Open(r.GetValue(storage)!, Log);
            string studyName = r.GetValue(name)!;
            if (queue.Find(studyName) is null) throw new ArgumentException($"{queue.Location} has no study '{studyName}'.");
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
        var cmd = new Command("show", "List the studies in a store, or the trials of one (tab-separated).") { storage, name };
        cmd.SetAction(r => Cli.Run(() =>
        {
            var path = r.GetValue(storage)!;
            if (!TrialQueues.IsPostgres(path) && !File.Exists(path)) throw new FileNotFoundException($"No study store at '{path}'.");
            using var queue = TrialQueues.Open(path, Log);
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
            if (queue.Find(studyName) is null) throw new ArgumentException($"{queue.Location} has no study '{studyName}'.");
            foreach (var t in queue.Ledger(studyName))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{t.Number}\t{t.Architecture}\t{t.State.ToString().ToLowerInvariant()}\t{t.Attempts}\t{Describe(t.Evaluation)}"));
            return 0;
        }));
        return cmd;
    }

    private static string Describe(Evaluation? e) => e switch
    {
        null => "",
        { Failed: true } => "FAILED " + e.Reason,
        _ => string.Join(" ", e.Metrics.Where(m => m.Key.EndsWith("_acc")).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:0.00}"))),
    };
}
