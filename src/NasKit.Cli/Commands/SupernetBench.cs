using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NasKit.Networks;
using NasKit.SearchSpaces.Darts;
using NasKit.Runtime;
using NasKit.SearchSpaces.Nb201;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit bench supernet</c>: memory and step time of the relaxed supernets, DARTS against PC-DARTS.</summary>
internal static class SupernetBench
{
    public static Command Create()
    {
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64, Description = "Batch of 32×32 CIFAR-shaped inputs, the same for every supernet." }.AtLeast(1);
        var channels = new Option<int>("--channels") { DefaultValueFactory = _ => 16, Description = "Supernet width C (both papers search at 16)." }.AtLeast(1);
        var k = new Option<int>("--partial-channels") { DefaultValueFactory = _ => 4, Description = "PC-DARTS' K (the paper's 4)." }.AtLeast(1);
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 5, Description = "Timed steps per supernet (after one warm-up)." }.AtLeast(1);
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount, Description = "Intra-op threads (NasKit and PyTorch)." }.AtLeast(1);
        var python = new Option<string>("--python") { DefaultValueFactory = _ => "/usr/bin/python3", Description = "Python with Debian's python3-torch (the NB201 supernets' peer)." };
        var rounds = new Option<int>("--rounds") { DefaultValueFactory = _ => 3, Description = "Rounds of the NB201 supernets, each in NasKit and then in PyTorch; ratios are medians of the rounds' paired ratios." }.AtLeast(1);
        var cmd = new Command("supernet", "Peak memory and time of one training step (forward and backward through every mixed edge, softmax relaxation) of the NB201 supernet (N=5) and the DARTS search supernet (8 cells), each as DARTS and as PC-DARTS, on the same input; prints the PC-DARTS / DARTS memory ratio, and NasKit / PyTorch time and memory ratios for the NB201 supernets, whose PyTorch peer runs in the same command.\nExample:\n  naskit bench supernet --channels 16 --batch 64")
        {
            batch, channels, k, steps, threads, python, rounds,
        };
        cmd.SetAction(r => Cli.Run(() => Run(r.GetValue(batch), r.GetValue(channels), r.GetValue(k), r.GetValue(steps), r.GetValue(threads), r.GetValue(python)!, r.GetValue(rounds))));
        return cmd;
    }

    private static int Run(int batch, int channels, int k, int steps, int threads, string python, int rounds)
    {
        foreach (var row in Measure(batch, channels, k, steps, threads, python, rounds, dartsSpace: true)) { }
        return 0;
    }

    /// <summary>Prints every measurement and returns the ratio rows for <c>bench all</c>.</summary>
    internal static IEnumerable<BenchRow> Measure(int batch, int channels, int k, int steps, int threads, string python, int rounds, bool dartsSpace)
    {
        if (steps < 1 || batch < 1) throw new ArgumentException("--steps and --batch must be positive.");
        TorchRuntime.EnsureLoaded();
        set_num_threads(threads);
        var device = TorchRuntime.DefaultDevice;
        var inv = CultureInfo.InvariantCulture;
        if (device.type != DeviceType.CPU) Console.WriteLine("note: memory is the host process's peak resident set; on CUDA the activations live on the GPU and are not in it.");
        using var g = new Generator(0);
        using var x = randn(new long[] { batch, 3, 32, 32 }, generator: g).to(device);
        using var y = randint(0, 10, new long[] { batch }, generator: g).to(device);
        var shape = new NetworkShape(channels, 5);
        var configs = new (string Name, Func<IRelaxedSupernet> Build)[]
        {
            ("nb201 DARTS", () => new Nb201Space().CreateSupernet(shape, new SupernetOptions())),
            ($"nb201 PC-DARTS K={k}", () => new Nb201Space().CreateSupernet(shape, new SupernetOptions(PartialChannels: k))),
            ("darts DARTS", () => new DartsSpace().CreateSupernet(shape with { CellsPerStage = 2 }, new SupernetOptions())),
            ($"darts PC-DARTS K={k}", () => new DartsSpace().CreateSupernet(shape with { CellsPerStage = 2 }, new SupernetOptions(PartialChannels: k))),
        };
        Console.WriteLine(string.Create(inv, $"one training step (forward + backward, softmax relaxation), batch {batch} of 3×32×32, C={channels}, on {device}"));
        Console.WriteLine($"NasKit: {TorchRuntime.Describe()}");
        (double Mb, double Ms) MeasureOne(string name, Func<IRelaxedSupernet> build)
        {
            using var net = build();
            SeededInitialization.Apply(net.Module, 0);
            net.Module.to(device);
            net.Module.train();
            var alphas = net.ArchitectureShape.Select(s => zeros(new long[] { s.Edges, s.Ops }, device: device).requires_grad_(true)).ToArray();
            void Step()
            {
                using var scope = NewDisposeScope();
                var weights = alphas.Select(a => nn.functional.softmax(a, -1)).ToArray();
                ForwardPass.WithLoss(() => net.Forward(x, weights), z => nn.functional.cross_entropy(z, y)).Loss.backward(); // as DartsSearch does
            }
            Step(); // warm-up: allocator caches and oneDNN primitives
            BenchCommands.Settle();
            double before = RssMb();
            ResetPeak();
            Step();
            double peak = PeakMb() - before;
            var times = new List<double>();
            for (int i = 0; i < steps; i++)
            {
                var sw = Stopwatch.StartNew();
                Step();
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            double ms = BenchCommands.Median(times);
            long parameters = net.Module.parameters().Sum(p => p.numel());
            Console.WriteLine(string.Create(inv, $"{name}: {parameters / 1e6:0.000}M parameters, step memory {peak:0} MB (peak above the idle process), step time {ms:0} ms (median of {steps})"));
            foreach (var a in alphas) a.Dispose();
            BenchCommands.Settle();
            return (peak, ms);
        }

        // The DARTS-space supernets once; the NB201 ones in rounds, each followed at once by the same supernets in
        // PyTorch (after NasKit's have been freed), so a slow spell of the machine lands on both sides of a pair.
        var results = new Dictionary<string, (double Mb, double Ms)>();
        var nb201Rounds = new List<Dictionary<string, (double Mb, double Ms)>>();
        var peerRounds = new List<Dictionary<string, (double Mb, double Ms)>>();
        PyTorchPeer? peer = null;
        for (int round = 0; round < rounds; round++)
        {
            if (rounds > 1) Console.WriteLine($"round {round + 1} of {rounds}");
            var mine = new Dictionary<string, (double Mb, double Ms)>();
            foreach (var (name, build) in configs.Where(c => (round == 0 && dartsSpace) || c.Name.StartsWith("nb201")))
                mine[name] = MeasureOne(name, build);
            if (round == 0) foreach (var kv in mine) results[kv.Key] = kv.Value;
            nb201Rounds.Add(mine.Where(kv => kv.Key.StartsWith("nb201")).ToDictionary());
            peer = PyTorchPeer.Run(python, "pytorch_supernet.py", ["--threads", $"{threads}", "--batch", $"{batch}", "--channels", $"{channels}",
                "--steps", $"{steps}", "--partial-channels", $"{k}"]);
            peerRounds.Add(peer.Rows.ToDictionary(r => r.GetProperty("name").GetString()!, r => (r.GetProperty("step_mb").GetDouble(), r.GetProperty("step_ms").GetDouble())));
        }
        var rows = new List<BenchRow>();
        foreach (var space in dartsSpace ? ["nb201", "darts"] : new[] { "nb201" })
        {
            var (dm, dt) = results[$"{space} DARTS"];
            var (pm, pt) = results[$"{space} PC-DARTS K={k}"];
            Console.WriteLine(string.Create(inv, $"{space}: PC-DARTS / DARTS memory ratio {pm / dm:0.00}, time ratio {pt / dt:0.00}"));
        }
        Console.WriteLine($"peer:   {peer!.Description}");
        foreach (var name in peerRounds[0].Keys)
        {
            double Med(IEnumerable<double> v) => BenchCommands.Median(v);
            double mb = Med(nb201Rounds.Select(r => r[name].Mb)), ms = Med(nb201Rounds.Select(r => r[name].Ms));
            double peerMb = Med(peerRounds.Select(r => r[name].Mb)), peerMs = Med(peerRounds.Select(r => r[name].Ms));
            var pairedTime = nb201Rounds.Select((r, i) => r[name].Ms / peerRounds[i][name].Ms).ToArray();
            var pairedMemory = nb201Rounds.Select((r, i) => r[name].Mb / peerRounds[i][name].Mb).ToArray();
            double timeRatio = Med(pairedTime), memoryRatio = Med(pairedMemory);
            Console.WriteLine(string.Create(inv, $"{name}: NasKit {ms:0} ms, {mb:0} MB; PyTorch {peerMs:0} ms, {peerMb:0} MB; time ratio {timeRatio:0.00} (rounds: {string.Join(" ", pairedTime.Select(t => t.ToString("0.00", inv)))}), memory ratio {memoryRatio:0.00} (rounds: {string.Join(" ", pairedMemory.Select(t => t.ToString("0.00", inv)))})"));
            rows.Add(new BenchRow("supernet", $"{name} step time", ms, peerMs, "ms", timeRatio));
            rows.Add(new BenchRow("supernet", $"{name} step memory", mb, peerMb, "MB", memoryRatio));
        }
        return rows;
    }

    /// <summary>Resets the kernel's peak resident set (VmHWM) for this process (Linux ≥ 4.0).</summary>
    private static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot reset the peak memory counter (/proc/self/clear_refs: {e.Message}); this benchmark needs Linux.", e);
        }
    }

    private static double RssMb() => BenchCommands.StatusMb("VmRSS:");
    private static double PeakMb() => BenchCommands.StatusMb("VmHWM:");
}
