using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NasKit.Benchmarks;
using NasKit.Estimation.ZeroCost;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.SearchSpaces.Nb201;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Cli.Commands;

/// <summary>Speed and memory benchmarks. Targets live here, never in timed unit tests.</summary>
internal static class BenchCommands
{
    private const string BestCell = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    private const string AllConv = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    private const string Mixed = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
    internal static readonly string[] DefaultCells = [BestCell, AllConv, Mixed];
    private static readonly Dictionary<string, string> CellLabels = new() { [BestCell] = "best cell", [AllConv] = "all-3x3 cell", [Mixed] = "cheap-op cell" };

    public static Command Create()
    {
        var bench = new Command("bench", "Speed and memory benchmarks (against a peer where one is named).\nExample:\n  naskit bench train-step");
        bench.Subcommands.Add(TrainStep());
        bench.Subcommands.Add(Memory());
        bench.Subcommands.Add(ZeroCost());
        bench.Subcommands.Add(SupernetBench.Create());
        bench.Subcommands.Add(StoreBench.Create());
        bench.Subcommands.Add(TransformerBench.Create());
        bench.Subcommands.Add(BenchAll.Create());
        return bench;
    }

    private static Command TrainStep()
    {
        var threads = new Option<int>("--threads") { Description = "Intra-op threads for both NasKit and PyTorch.", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64, Description = "Batch size." }.AtLeast(1);
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 10, Description = "Timed steps per architecture (after 3 warm-up steps)." }.AtLeast(1);
        var python = new Option<string>("--python") { DefaultValueFactory = _ => "/usr/bin/python3", Description = "Python with Debian's python3-torch." };
        var archs = new Option<string[]>("--arch") { Description = "Cells to time (default: the best NB201 cell, the all-conv3x3 cell and a mixed cell).", AllowMultipleArgumentsPerToken = true };
        var rounds = new Option<int>("--rounds") { DefaultValueFactory = _ => 5, Description = "Rounds in which each cell is timed by NasKit and at once by PyTorch; a cell's ratio is the median of its rounds' paired ratios." }.AtLeast(1);
        var cmd = new Command("train-step", "Time one training step (forward, backward, SGD) of the NB201 network (C=16, N=5, 32x32) in NasKit and in PyTorch, in the same run, and print the ratio NasKit/PyTorch.\nExample:\n  naskit bench train-step --threads 2 --steps 10 --rounds 3")
        {
            threads, batch, steps, python, archs, rounds,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            MeasureTrainStep(r.GetValue(threads), r.GetValue(batch), r.GetValue(steps), r.GetValue(python)!, r.GetValue(archs) is { Length: > 0 } a ? a : DefaultCells, r.GetValue(rounds));
            return 0;
        }));
        return cmd;
    }

    internal static IReadOnlyList<BenchRow> MeasureTrainStep(int threads, int batch, int steps, string python, string[] archs, int rounds)
    {
        var cells = archs.Select(Nb201Cell.Parse).ToArray();
        TorchRuntime.EnsureLoaded();
        set_num_threads(threads);
        var (ourRounds, peerRounds) = (new List<StepPhases[]>(), new List<StepPhases[]>());
        // The peer inherits this process's environment, so it runs with the same oneDNN ISA cap (see TorchRuntime).
        // It serves one cell at a time, so each cell is timed by NasKit and then by PyTorch at once: a slow spell of
        // the machine (a busy neighbour on a VM) lands on both sides of a pair, and the median over rounds drops it.
        using var peer = PyTorchPeer.Serve(python, "pytorch_nb201.py", ["--threads", $"{threads}", "--batch", $"{batch}", "--steps", $"{steps}"]);
        for (int round = 0; round < rounds; round++)
        {
            var (mine, theirs) = (new StepPhases[cells.Length], new StepPhases[cells.Length]);
            for (int i = 0; i < cells.Length; i++)
            {
                mine[i] = TimeStep(cells[i], batch, steps);
                var pt = peer.Ask(archs[i]);
                theirs[i] = new StepPhases(pt.GetProperty("forward_ms").GetDouble(), pt.GetProperty("backward_ms").GetDouble(),
                    pt.GetProperty("optimizer_ms").GetDouble(), pt.GetProperty("median_ms").GetDouble(), pt.GetProperty("faults_per_step").GetDouble());
            }
            ourRounds.Add(mine);
            peerRounds.Add(theirs);
        }
        var ours = cells.Select((_, i) => StepPhases.Median(ourRounds.Select(r => r[i]))).ToArray();
        var theirsAll = cells.Select((_, i) => StepPhases.Median(peerRounds.Select(r => r[i]))).ToArray();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"train step (zero_grad, forward, loss, backward, SGD step), NB201 C=16 N=5, batch {batch} of 32x32, median of {steps} steps after 3 warm-up steps, median of {rounds} rounds"));
        Console.WriteLine($"NasKit: {TorchRuntime.Describe()}");
        Console.WriteLine($"peer:   {peer.Description}");
        Console.WriteLine("cell                                                                                                     forward  backward  optimizer    total    faults  ratio");
        var ratios = new List<double>();
        var rows = new List<BenchRow>();
        for (int i = 0; i < cells.Length; i++)
        {
            var theirs = theirsAll[i];
            // Paired: each round's NasKit time over the PyTorch time measured right after it, median over rounds.
            var paired = ourRounds.Select((r, k) => r[i].Total / peerRounds[k][i].Total).ToArray();
            double ratio = Median(paired);
            ratios.Add(ratio);
            rows.Add(new BenchRow("train-step", $"NB201 {CellLabels.GetValueOrDefault(archs[i], archs[i])}", ours[i].Total, theirs.Total, "ms", ratio));
            Console.WriteLine(string.Create(inv, $"{archs[i],-100}  NasKit  {ours[i]}  {ratio,5:0.00}"));
            Console.WriteLine(string.Create(inv, $"{"",-100}  PyTorch {theirs}  (rounds: {string.Join(" ", paired.Select(p => p.ToString("0.00", inv)))})"));
        }
        Console.WriteLine(string.Create(inv, $"ratio NasKit/PyTorch (geometric mean): {Math.Exp(ratios.Average(Math.Log)):0.00}"));
        return rows;
    }

    /// <summary>Medians (ms) of one training step's phases (the total is the median of whole steps, not the phases'
    /// sum) and the mean minor page faults per step (memory the
    /// allocator took fresh from the kernel: each fault costs about a microsecond).</summary>
    private readonly record struct StepPhases(double Forward, double Backward, double Optimizer, double Total, double Faults)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Forward,7:0.0}  {Backward,8:0.0}  {Optimizer,9:0.0}  {Total,7:0.0}  {Faults,8:0}");

        public static StepPhases Median(IEnumerable<StepPhases> rounds)
        {
            var r = rounds.ToArray();
            return new StepPhases(BenchCommands.Median(r.Select(p => p.Forward)), BenchCommands.Median(r.Select(p => p.Backward)),
                BenchCommands.Median(r.Select(p => p.Optimizer)), BenchCommands.Median(r.Select(p => p.Total)), BenchCommands.Median(r.Select(p => p.Faults)));
        }
    }

    private static StepPhases TimeStep(Nb201Cell cell, int batch, int steps)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(0);
        var net = new Nb201Network(cell, Nb201Network.Cifar10Shape);
        using var optimizer = optim.SGD(net.parameters(), 0.1, momentum: 0.9, weight_decay: 5e-4, nesterov: true);
        var x = randn(batch, 3, 32, 32);
        var y = randint(0, 10, new long[] { batch });
        var (forward, backward, update, total) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        long faults0 = 0;
        for (int s = 0; s < 3 + steps; s++)
        {
            if (s == 3) faults0 = MinorFaults();
            long t0 = Stopwatch.GetTimestamp(), t1, t2;
            optimizer.zero_grad();
            using (NewDisposeScope())
            {
                var (_, loss) = ForwardPass.WithLoss(() => net.forward(x), z => nn.functional.cross_entropy(z, y)); // as TrainingEvaluator does
                t1 = Stopwatch.GetTimestamp();
                loss.backward();
            }
            t2 = Stopwatch.GetTimestamp();
            optimizer.step();
            long t3 = Stopwatch.GetTimestamp();
            if (s < 3) continue;
            forward.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            backward.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
            update.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
            total.Add(Stopwatch.GetElapsedTime(t0, t3).TotalMilliseconds);
        }
        return new StepPhases(Median(forward), Median(backward), Median(update), Median(total), (MinorFaults() - faults0) / (double)steps);
    }

    private static Command ZeroCost()
    {
        var threads = new Option<int>("--threads") { Description = "Intra-op threads for both NasKit and PyTorch.", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64, Description = "Minibatch size (NASWOT)." }.AtLeast(1);
        var cellsOption = new Option<int>("--cells") { DefaultValueFactory = _ => 30, Description = "Random NB201 cells timed on both sides." }.AtLeast(3);
        var networks = new Option<int>("--networks") { DefaultValueFactory = _ => 1000, Description = "Cells scored by NasKit for the memory check." }.AtLeast(101);
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the cell sample." }.Seed();
        var python = new Option<string>("--python") { DefaultValueFactory = _ => "/usr/bin/python3", Description = "Python with Debian's python3-torch." };
        var cmd = new Command("zerocost", "Time synflow and NASWOT per architecture (build + score, NB201 C=16 N=5) in NasKit and in PyTorch on the same cells in the same run and print the ratios; then score many cells in NasKit and print resident memory.\nExample:\n  naskit bench zerocost --cells 30 --networks 1000")
        {
            threads, batch, cellsOption, networks, seed, python,
        };
        cmd.SetAction(r => Cli.Run(() => RunZeroCost(r.GetValue(threads), r.GetValue(batch), r.GetValue(cellsOption), r.GetValue(networks),
            r.GetValue(seed), r.GetValue(python)!)));
        return cmd;
    }

    private static int RunZeroCost(int threads, int batch, int count, int networks, int seed, string python)
    {
        MeasureZeroCost(threads, batch, count, networks, seed, python);
        return 0;
    }

    internal static IReadOnlyList<BenchRow> MeasureZeroCost(int threads, int batch, int count, int networks, int seed, string python)
    {
        var rows = new List<BenchRow>();
        if (count < 3) throw new ArgumentException("--cells must be at least 3.");
        TorchRuntime.EnsureLoaded();
        set_num_threads(threads);
        var space = new Nb201Space();
        var rng = new Random(seed);
        var cells = space.All().OrderBy(_ => rng.Next()).Take(Math.Max(count, networks)).ToArray();
        var timed = cells[..count];
        var data = NasKit.Data.DatasetReaders.Cifar10SubsetTrain();
        IZeroCostProxy[] proxies = [new Synflow(), new Naswot()];
        using var scorer = new ZeroCostScorer<Nb201Cell>(space, data, proxies, seed, batch, device: CPU);
        foreach (var warm in timed.Take(2)) scorer.Score(warm);
        var ours = timed.Select(scorer.Score).ToArray();

        var peer = PyTorchPeer.Run(python, "pytorch_zerocost.py", ["--threads", $"{threads}", "--batch", $"{batch}", .. timed.Select(c => c.ToText())]);
        var theirs = peer.Rows;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"zero-cost proxies, NB201 C=16 N=5, {count} random cells (seed {seed}), build + score per architecture"));
        Console.WriteLine($"NasKit: {TorchRuntime.Describe()}");
        Console.WriteLine($"peer:   {peer.Description}");
        foreach (var name in new[] { "synflow", "naswot" })
        {
            double mine = Median(ours.Select(o => o.Seconds[name]));
            double theirsMedian = Median(theirs.Select(t => t.GetProperty(name + "_s").GetDouble()));
            double rho = NasKit.Analysis.RankCorrelation.Spearman(ours.Select(o => o.Scores[name]).ToArray(), theirs.Select(t => t.GetProperty(name).GetDouble()).ToArray());
            rows.Add(new BenchRow("zerocost", $"{name} per architecture", 1000 * mine, 1000 * theirsMedian, "ms"));
            Console.WriteLine(string.Create(inv, $"{name}: NasKit {1000 * mine:0.0} ms/arch ({1 / mine:0.0} arch/s)  PyTorch {1000 * theirsMedian:0.0} ms/arch ({1 / theirsMedian:0.0} arch/s)  ratio {mine / theirsMedian:0.00}  rank agreement rho={rho:0.000}"));
        }

        // Memory: score many distinct cells; resident memory must not grow after the warm-up.
        double start = RssMb(), afterWarmup = 0;
        var sw = Stopwatch.StartNew();
        Cli.WithProgress("memory check", networks, tick =>
        {
            for (int i = 0; i < networks; i++)
            {
                scorer.Score(cells[i]);
                if (i == 99) afterWarmup = SettledRssMb();
                tick();
            }
        });
        double end = SettledRssMb();
        Console.WriteLine(string.Create(inv, $"resident memory: start {start:0} MB, after 100 architectures {afterWarmup:0} MB, after {networks} {end:0} MB ({100 * (end - afterWarmup) / afterWarmup:+0.0;-0.0}% after warm-up, {sw.Elapsed.TotalSeconds:0} s)"));
        rows.Add(BenchRow.Growth("zerocost", $"memory growth over {networks} architectures after 100", 100 * (end - afterWarmup) / afterWarmup));
        return rows;
    }

    /// <summary>Resident memory after the finalizers of unreachable tensors and scalars have run and the freed heap is trimmed.</summary>
    internal static double SettledRssMb()
    {
        Settle();
        return RssMb();
    }

    /// <summary>Runs the finalizers of unreachable tensors and scalars and returns the freed heap to the system.</summary>
    internal static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        NativeHeap.ReleaseFreedMemory();
    }

    internal static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static Command Memory()
    {
        var count = new Option<int>("--networks") { DefaultValueFactory = _ => 200, Description = "Networks to build, train one batch and dispose." }.AtLeast(21);
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64, Description = "Batch size of the training step." }.AtLeast(1);
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the cell sample." }.Seed();
        var cmd = new Command("memory", "Build, train one batch and dispose many different NB201 networks (C=16, N=5); print resident memory at the start, after 20 networks and at the end.\nExample:\n  naskit bench memory --networks 200")
        {
            count, batch, seed,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            MeasureMemory(r.GetValue(count), r.GetValue(batch), r.GetValue(seed));
            return 0;
        }));
        return cmd;
    }

    /// <summary>The training path's memory: each network built, initialised, trained one step and freed the way
    /// TrainingEvaluator does it; resident memory read after the finalizers ran and the freed heap was trimmed.</summary>
    internal static IReadOnlyList<BenchRow> MeasureMemory(int n, int b, int seed)
    {
        if (n < 21) throw new ArgumentException("--networks must be more than 20 (the warm-up).");
        TorchRuntime.EnsureLoaded();
        var space = new Nb201Space();
        var rng = new Random(seed);
        var cells = space.All().OrderBy(_ => rng.Next()).Take(n).ToArray();
        double start = RssMb(), afterWarmup = 0;
        var readings = new List<(int Networks, double Mb)>();
        var sw = Stopwatch.StartNew();
        Cli.WithProgress("networks", n, tick =>
        {
            for (int i = 0; i < n; i++)
            {
                using (var scope = NewDisposeScope())
                {
                    using var net = space.Build(cells[i], Nb201Network.Cifar10Shape);
                    SeededInitialization.Apply(net, seed);
                    using var opt = new ExplicitSgd(net.parameters(), 0.1, momentum: 0.9, weightDecay: 5e-4, nesterov: true);
                    var x = randn(b, 3, 32, 32);
                    var y = randint(0, 10, new long[] { b });
                    opt.ZeroGrad();
                    ForwardPass.WithLoss(() => net.forward(x), z => nn.functional.cross_entropy(z, y)).Loss.backward();
                    opt.Step();
                }
                NativeHeap.ReleaseFreedMemory(); // as TrainingEvaluator does after each evaluation
                if (i == 19) afterWarmup = SettledRssMb();
                if ((i + 1) % Math.Max(1, n / 10) == 0) readings.Add((i + 1, SettledRssMb()));
                tick();
            }
        });
        double end = SettledRssMb();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"resident memory: start {start:0} MB, after 20 networks {afterWarmup:0} MB, after {n} networks {end:0} MB"));
        Console.WriteLine("  " + string.Join(", ", readings.Select(r => string.Create(inv, $"{r.Networks}: {r.Mb:0}"))));
        double growth = 100 * (end - afterWarmup) / afterWarmup;
        Console.WriteLine(string.Create(inv, $"growth after warm-up: {growth:0.0}% ({n} networks in {sw.Elapsed.TotalSeconds:0} s)"));
        return [BenchRow.Growth("memory", $"training memory growth over {n} networks after 20", growth)];
    }

    internal static double RssMb() => StatusMb("VmRSS:");

    /// <summary>This process's minor page faults so far (/proc/self/stat field 10).</summary>
    internal static long MinorFaults() => long.Parse(File.ReadAllText("/proc/self/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7], CultureInfo.InvariantCulture);

    /// <summary>A memory line of /proc/self/status in MB. The kernel separates key and value with a tab, and a
    /// large value leaves no space after it, so split on both.</summary>
    internal static double StatusMb(string key)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key));
        return double.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
