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
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount, Description = "Intra-op threads." }.AtLeast(1);
        var cmd = new Command("supernet", "Peak memory and time of one training step (forward and backward through every mixed edge, softmax relaxation) of the NB201 supernet (N=5) and the DARTS search supernet (8 cells), each as DARTS and as PC-DARTS, on the same input; prints the PC-DARTS / DARTS memory ratio.\nExample:\n  naskit bench supernet --channels 16 --batch 64")
        {
            batch, channels, k, steps, threads,
        };
        cmd.SetAction(r => Cli.Run(() => Run(r.GetValue(batch), r.GetValue(channels), r.GetValue(k), r.GetValue(steps), r.GetValue(threads))));
        return cmd;
    }

    private static int Run(int batch, int channels, int k, int steps, int threads)
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
        Console.WriteLine(string.Create(inv, $"one training step (forward + backward, softmax relaxation), batch {batch} of 3×32×32, C={channels}, {threads} threads, on {device}"));
        var results = new Dictionary<string, (double Mb, double Ms)>();
        foreach (var (name, build) in configs)
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
                nn.functional.cross_entropy(net.Forward(x, weights), y).backward();
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
            times.Sort();
            double ms = times[times.Count / 2];
            long parameters = net.Module.parameters().Sum(p => p.numel());
            results[name] = (peak, ms);
            Console.WriteLine(string.Create(inv, $"{name}: {parameters / 1e6:0.000}M parameters, step memory {peak:0} MB (peak above the idle process), step time {ms:0} ms (median of {steps})"));
            foreach (var a in alphas) a.Dispose();
            BenchCommands.Settle();
        }
        foreach (var space in new[] { "nb201", "darts" })
        {
            var (dm, dt) = results[$"{space} DARTS"];
            var (pm, pt) = results[$"{space} PC-DARTS K={k}"];
            Console.WriteLine(string.Create(inv, $"{space}: PC-DARTS / DARTS memory ratio {pm / dm:0.00}, time ratio {pt / dt:0.00}"));
        }
        return 0;
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
