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

    public static Command Create()
    {
        var bench = new Command("bench", "Speed and memory benchmarks (against a peer where one is named).\nExample:\n  naskit bench train-step");
        bench.Subcommands.Add(TrainStep());
        bench.Subcommands.Add(Memory());
        bench.Subcommands.Add(ZeroCost());
        bench.Subcommands.Add(SupernetBench.Create());
        bench.Subcommands.Add(StoreBench.Create());
        return bench;
    }

    private static Command TrainStep()
    {
        var threads = new Option<int>("--threads") { Description = "Intra-op threads for both NasKit and PyTorch.", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64, Description = "Batch size." }.AtLeast(1);
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 10, Description = "Timed steps per architecture (after 3 warm-up steps)." }.AtLeast(1);
        var python = new Option<string>("--python") { DefaultValueFactory = _ => "/usr/bin/python3", Description = "Python with Debian's python3-torch." };
        var archs = new Option<string[]>("--arch") { Description = "Cells to time (default: the best NB201 cell, the all-conv3x3 cell and a mixed cell).", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("train-step", "Time one training step (forward, backward, SGD) of the NB201 network (C=16, N=5, 32x32) in NasKit and in PyTorch, in the same run, and print the ratio NasKit/PyTorch.\nExample:\n  naskit bench train-step --threads 2 --steps 10")
        {
            threads, batch, steps, python, archs,
        };
        cmd.SetAction(r => Cli.Run(() => RunTrainStep(r.GetValue(threads), r.GetValue(batch), r.GetValue(steps), r.GetValue(python)!,
            r.GetValue(archs) is { Length: > 0 } a ? a : [BestCell, AllConv, Mixed])));
        return cmd;
    }

    private static int RunTrainStep(int threads, int batch, int steps, string python, string[] archs)
    {
        var cells = archs.Select(Nb201Cell.Parse).ToArray();
        TorchRuntime.EnsureLoaded();
        set_num_threads(threads);
        var ours = new List<double>();
        foreach (var cell in cells) ours.Add(TimeStep(cell, batch, steps));

        var script = Path.Combine(AppContext.BaseDirectory, "bench", "pytorch_nb201.py");
        // The peer runs with the same oneDNN ISA cap as NasKit (see TorchRuntime), so both use the same kernels.
        var theirs = RunPeer(python, [script, "--threads", $"{threads}", "--batch", $"{batch}", "--steps", $"{steps}", .. archs]);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"train step, NB201 C=16 N=5, batch {batch}, 32x32, {threads} threads, median of {steps} steps; PyTorch {theirs[0].GetProperty("torch").GetString()}, DNNL_MAX_CPU_ISA={Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") ?? "(default)"}"));
        for (int i = 0; i < cells.Length; i++)
        {
            double pt = theirs[i].GetProperty("median_ms").GetDouble();
            Console.WriteLine(string.Create(inv, $"{archs[i]}  NasKit {ours[i],7:0.0} ms  PyTorch {pt,7:0.0} ms  ratio {ours[i] / pt:0.00}"));
        }
        double geo = Math.Exp(cells.Select((_, i) => Math.Log(ours[i] / theirs[i].GetProperty("median_ms").GetDouble())).Average());
        Console.WriteLine(string.Create(inv, $"ratio NasKit/PyTorch (geometric mean): {geo:0.00}"));
        return 0;
    }

    private static double TimeStep(Nb201Cell cell, int batch, int steps)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(0);
        var net = new Nb201Network(cell, Nb201Network.Cifar10Shape);
        using var optimizer = optim.SGD(net.parameters(), 0.1, momentum: 0.9, weight_decay: 5e-4, nesterov: true);
        var x = randn(batch, 3, 32, 32);
        var y = randint(0, 10, new long[] { batch });
        var times = new List<double>();
        for (int s = 0; s < 3 + steps; s++)
        {
            var sw = Stopwatch.StartNew();
            optimizer.zero_grad();
            using (NewDisposeScope())
            {
                nn.functional.cross_entropy(net.forward(x), y).backward();
            }
            optimizer.step();
            if (s >= 3) times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
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

        var script = Path.Combine(AppContext.BaseDirectory, "bench", "pytorch_zerocost.py");
        var theirs = RunPeer(python, [script, "--threads", $"{threads}", "--batch", $"{batch}", .. timed.Select(c => c.ToText())]);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"zero-cost proxies, NB201 C=16 N=5, {count} random cells (seed {seed}), build + score per architecture, {threads} threads; PyTorch {theirs[0].GetProperty("torch").GetString()}"));
        foreach (var name in new[] { "synflow", "naswot" })
        {
            double mine = Median(ours.Select(o => o.Seconds[name]));
            double peer = Median(theirs.Select(t => t.GetProperty(name + "_s").GetDouble()));
            double rho = NasKit.Analysis.RankCorrelation.Spearman(ours.Select(o => o.Scores[name]).ToArray(), theirs.Select(t => t.GetProperty(name).GetDouble()).ToArray());
            Console.WriteLine(string.Create(inv, $"{name}: NasKit {1000 * mine:0.0} ms/arch ({1 / mine:0.0} arch/s)  PyTorch {1000 * peer:0.0} ms/arch ({1 / peer:0.0} arch/s)  ratio {mine / peer:0.00}  rank agreement rho={rho:0.000}"));
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
        return 0;
    }

    /// <summary>Resident memory after the finalizers of unreachable tensors and scalars have run and the freed heap is trimmed.</summary>
    private static double SettledRssMb()
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

    private static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static JsonElement[] RunPeer(string python, IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { throw new ArgumentException($"Cannot run '{python}'. Install the peer with: apt-get install --no-install-recommends python3-torch"); }
        var stderrTask = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new ArgumentException($"The PyTorch peer failed (exit {p.ExitCode}): {stderrTask.Result.Trim().Split('\n').LastOrDefault()}. Install it with: apt-get install --no-install-recommends python3-torch");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
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
            int n = r.GetValue(count), b = r.GetValue(batch);
            if (n < 21) throw new ArgumentException("--networks must be more than 20 (the warm-up).");
            TorchRuntime.EnsureLoaded();
            var space = new Nb201Space();
            var rng = new Random(r.GetValue(seed));
            var cells = space.All().OrderBy(_ => rng.Next()).Take(n).ToArray();
            double start = RssMb(), afterWarmup = 0;
            var sw = Stopwatch.StartNew();
            Cli.WithProgress("networks", n, tick =>
            {
                for (int i = 0; i < n; i++)
                {
                    using (var scope = NewDisposeScope())
                    {
                        var net = space.Build(cells[i], Nb201Network.Cifar10Shape);
                        using var opt = optim.SGD(net.parameters(), 0.1, momentum: 0.9);
                        var x = randn(b, 3, 32, 32);
                        var y = randint(0, 10, new long[] { b });
                        nn.functional.cross_entropy(net.forward(x), y).backward();
                        opt.step();
                        net.Dispose();
                    }
                    NativeHeap.ReleaseFreedMemory(); // as TrainingEvaluator does after each evaluation
                    if (i == 19) { GC.Collect(); afterWarmup = RssMb(); }
                    tick();
                }
            });
            GC.Collect();
            double end = RssMb();
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"resident memory: start {start:0} MB, after 20 networks {afterWarmup:0} MB, after {n} networks {end:0} MB"));
            Console.WriteLine(string.Create(inv, $"growth after warm-up: {100 * (end - afterWarmup) / afterWarmup:0.0}% ({n} networks in {sw.Elapsed.TotalSeconds:0} s)"));
            return 0;
        }));
        return cmd;
    }

    private static double RssMb() => StatusMb("VmRSS:");

    /// <summary>A memory line of /proc/self/status in MB. The kernel separates key and value with a tab, and a
    /// large value leaves no space after it, so split on both.</summary>
    internal static double StatusMb(string key)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key));
        return double.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
