using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.Experiments;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies;

namespace NasKit.Cli.Commands;

/// <summary>
/// <c>naskit bench store</c>: trials per second through the queue with 1, 2, 4 and 8 workers on an instant
/// evaluator (the tabular benchmark), for PostgreSQL and SQLite in the same run. With nothing to evaluate, every
/// millisecond a worker spends per trial is queue overhead: claim, result, the coordinator's enqueue and tell.
/// </summary>
internal static class StoreBench
{
    public static Command Create()
    {
        var storage = new Option<string>("--storage") { Description = "PostgreSQL connection string (or an SQLite path) to measure; bench studies are named bench-store-*.", Required = true };
        var sqlite = new Option<string?>("--sqlite") { Description = "SQLite file to compare with (default: a temporary file; 'none' to skip)." };
        var trials = new Option<int>("--trials") { Description = "Trials per measurement.", DefaultValueFactory = _ => 400 }.AtLeast(1);
        var workers = new Option<string>("--workers") { Description = "Worker counts, comma-separated.", DefaultValueFactory = _ => "1,2,4,8" };
        var cmd = new Command("store", "Trials per second and per-trial overhead through the study queue with 1-8 workers (threads with their own connections), PostgreSQL against SQLite.\nExample:\n  naskit bench store --storage runs/bench.db")
        {
            storage, sqlite, trials, workers,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            int n = r.GetValue(trials);
            if (n < 10) throw new ArgumentException("--trials must be at least 10.");
            var counts = r.GetValue(workers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, out var v) && v > 0 ? v : throw new ArgumentException($"--workers: '{s}' is not a positive count.")).ToArray();
            var targets = new List<(string Label, string Storage)> { (TrialQueues.IsPostgres(r.GetValue(storage)!) ? "postgresql" : "sqlite", r.GetValue(storage)!) };
            string? temp = null;
            var sqlitePath = r.GetValue(sqlite);
            if (sqlitePath != "none" && TrialQueues.IsPostgres(r.GetValue(storage)!))
                targets.Add(("sqlite", sqlitePath ?? (temp = Path.Combine(Path.GetTempPath(), $"naskit-bench-store-{Guid.NewGuid():N}.db"))));

            var bench = Nb201Benchmark.Load();
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"bench store: {n} trials per run, random search, tabular evaluator (instant), workers are threads of this process ({Environment.ProcessorCount} cores)");
            Console.WriteLine("store       workers  trials/s  ms/trial/worker  wall s");
            try
            {
                // One untimed warm-up per store: JIT compilation and the first connections are not queue overhead.
                foreach (var (_, target) in targets) Measure(target, bench, 50, 1);
                foreach (var (label, target) in targets)
                    foreach (int w in counts)
                    {
                        var (seconds, done) = Measure(target, bench, n, w);
                        double perSecond = done / seconds;
                        Console.WriteLine(string.Create(inv, $"{label,-11} {w,7}  {perSecond,8:0.0}  {seconds * 1000 * w / done,15:0.00}  {seconds,6:0.00}"));
                    }
            }
            finally { if (temp is not null) foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(temp) + "*")) File.Delete(f); }
            Console.WriteLine("ms/trial/worker = wall time × workers / trials: the time a worker spends per trial, all of it queue overhead here.");
            return 0;
        }));
        return cmd;
    }

    private static (double Seconds, int Done) Measure(string storage, Nb201Benchmark bench, int trials, int workers)
    {
        var spec = new StudySpec($"bench-store-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..40], bench.Space.Name, "random", 0, $"queries={trials}, workers={workers}");
        using var queue = TrialQueues.Open(storage, StudyCommands.Log);
        queue.Open(spec);
        var evaluator = new Nb201TabularEvaluator(bench);
        // Connections are opened before the clock starts: the benchmark measures trials, not connection setup.
        var local = Enumerable.Range(0, workers).Select(_ => TrialQueues.Open(storage, StudyCommands.Log)).ToArray();
        try
        {
            using var stop = new CancellationTokenSource();
            var sw = Stopwatch.StartNew();
            var tasks = local.Select((q, i) => Task.Factory.StartNew(() =>
                new Worker<Nb201Cell>(q, spec.Name, bench.Space, evaluator, new WorkerOptions { Name = $"bench/{i}" }).Run(stop.Token),
                TaskCreationOptions.LongRunning)).ToArray();
            foreach (var t in tasks) t.ContinueWith(_ => stop.Cancel(), TaskContinuationOptions.OnlyOnFaulted);
            var result = new Study<Nb201Cell>(queue, spec, bench.Space, Budget.OfQueries(trials), new Fidelity(Epochs: 200)) { MaxOutstanding = 2 * workers }
                .Run(new RandomSearch<Nb201Cell>(bench.Space, 0), cancellationToken: stop.Token);
            sw.Stop();
            Task.WaitAll(tasks);
            if (result.Asked != trials) throw new InvalidOperationException($"bench study ended after {result.Asked} of {trials} trials ({result.StopReason}).");
            return (sw.Elapsed.TotalSeconds, queue.Progress(spec.Name).Done);
        }
        finally { foreach (var q in local) q.Dispose(); }
    }
}
