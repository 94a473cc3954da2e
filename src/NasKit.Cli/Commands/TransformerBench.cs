using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.SearchSpaces.Transformer;
using static TorchSharp.torch;

namespace NasKit.Cli.Commands;

/// <summary>
/// <c>naskit bench transformer</c>: nanoGPT's shakespeare_char CPU baseline (4 layers, 4 heads, width 128, context
/// 64, batch 12) timed for one AdamW training step with gradient clipping in NasKit and in PyTorch in the same run;
/// then the memory of many sampled Transformers built, trained a few steps and disposed.
/// </summary>
internal static class TransformerBench
{
    private const int Vocabulary = 65, Context = 64;

    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "Intra-op threads for NasKit and PyTorch.", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 20, Description = "Timed steps per round (after 5 warm-up steps)." }.AtLeast(1);
        var rounds = new Option<int>("--rounds") { DefaultValueFactory = _ => 3, Description = "Rounds, each timed by NasKit then at once by PyTorch; the ratio is the median of the rounds' paired ratios." }.AtLeast(1);
        var networks = new Option<int>("--networks") { DefaultValueFactory = _ => 200, Description = "Sampled Transformers for the memory check (more than 20: the first 20 are the warm-up)." }.AtLeast(21);
        var python = new Option<string>("--python") { DefaultValueFactory = _ => "/usr/bin/python3", Description = "Python with Debian's python3-torch." };
        var cmd = new Command("transformer", "Time one training step (forward, loss, backward, clipping, AdamW) of nanoGPT's shakespeare_char CPU baseline (4 layers, 4 heads, width 128, context 64, batch 12) in NasKit and in PyTorch in the same run and print the ratio; then build, train 3 steps and dispose many sampled Transformers and print the resident memory.\nExample:\n  naskit bench transformer --steps 20 --rounds 3 --networks 200")
        {
            threads, steps, rounds, networks, python,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            Measure(r.GetValue(threads), r.GetValue(steps), r.GetValue(rounds), r.GetValue(python)!);
            MeasureMemory(r.GetValue(networks), seed: 0);
            return 0;
        }));
        return cmd;
    }

    internal static IReadOnlyList<BenchRow> Measure(int threads, int steps, int rounds, string python)
    {
        TorchRuntime.EnsureLoaded();
        set_num_threads(threads);
        var config = DecoderConfig.NanoGptCpuBaseline(Vocabulary);
        using var peer = PyTorchPeer.Serve(python, "pytorch_gpt.py", ["--threads", $"{threads}", "--steps", $"{steps}"]);
        var (ours, theirs, paired) = (new List<double>(), new List<double>(), new List<double>());
        string attention = "?";
        for (int round = 0; round < rounds; round++)
        {
            double mine = TimeStep(config, steps);
            var pt = peer.Ask("round");
            double peerMs = pt.GetProperty("median_ms").GetDouble();
            attention = pt.GetProperty("attention").GetString() ?? "?";
            if (pt.GetProperty("params").GetInt64() != config.TotalParameters)
                throw new InvalidOperationException($"The PyTorch GPT has {pt.GetProperty("params").GetInt64()} parameters, NasKit's {config.TotalParameters}: not the same network.");
            ours.Add(mine);
            theirs.Add(peerMs);
            paired.Add(mine / peerMs);
        }
        var inv = CultureInfo.InvariantCulture;
        double ratio = BenchCommands.Median(paired);
        Console.WriteLine(string.Create(inv, $"train step (forward, loss, backward, clip, AdamW), nanoGPT shakespeare_char CPU baseline ({config.TotalParameters:N0} parameters), batch 12 x context 64, median of {steps} steps after 5 warm-up, {rounds} rounds"));
        Console.WriteLine($"NasKit: {TorchRuntime.Describe()}, attention by scaled_dot_product_attention");
        Console.WriteLine($"peer:   {peer.Description}, attention by {attention}");
        Console.WriteLine(string.Create(inv, $"NasKit {BenchCommands.Median(ours):0.0} ms, PyTorch {BenchCommands.Median(theirs):0.0} ms; ratio NasKit/PyTorch {ratio:0.00} (rounds: {string.Join(" ", paired.Select(p => p.ToString("0.00", inv)))})"));
        return [new BenchRow("transformer", "GPT train step, nanoGPT CPU baseline", BenchCommands.Median(ours), BenchCommands.Median(theirs), "ms", ratio)];
    }

    private static double TimeStep(DecoderConfig config, int steps)
    {
        using var scope = NewDisposeScope();
        using var net = new DecoderTransformer(config, 0);
        var parameters = net.parameters().ToArray();
        using var optimizer = new ExplicitAdam(parameters, 1e-3, 0.9, 0.99, 0.1, decoupledWeightDecay: true, decays: p => p.dim() >= 2);
        using var g = new Generator(0);
        var x = randint(0, Vocabulary, [12, Context], generator: g);
        var y = randint(0, Vocabulary, [12, Context], generator: g);
        var times = new List<double>();
        for (int s = 0; s < 5 + steps; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            using (NewDisposeScope())
            {
                optimizer.ZeroGrad();
                var (_, loss) = ForwardPass.WithLoss(() => net.forward(x), z => nn.functional.cross_entropy(z.view(-1, Vocabulary), y.view(-1)));
                loss.backward();
                GradientClipping.ClipNorm(parameters, 1.0);
                optimizer.Step();
            }
            if (s >= 5) times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        return BenchCommands.Median(times);
    }

    /// <summary>Sampled Transformers of the space, each built, trained 3 steps (batch 12, context 64) and disposed as the lm evaluator does.</summary>
    internal static IReadOnlyList<BenchRow> MeasureMemory(int n, int seed)
    {
        if (n < 21) throw new ArgumentException("--networks must be more than 20 (the warm-up).");
        TorchRuntime.EnsureLoaded();
        var space = new DecoderSpace();
        var rng = new Random(seed);
        double start = BenchCommands.RssMb(), afterWarmup = 0;
        var readings = new List<(int Networks, double Mb)>();
        var sw = Stopwatch.StartNew();
        Cli.WithProgress("transformers", n, tick =>
        {
            for (int i = 0; i < n; i++)
            {
                using (var scope = NewDisposeScope())
                {
                    using var net = space.Build(space.Sample(rng), Vocabulary, Context, i);
                    var parameters = net.parameters().ToArray();
                    using var optimizer = new ExplicitAdam(parameters, 1e-3, 0.9, 0.99, 0.1, decoupledWeightDecay: true, decays: p => p.dim() >= 2);
                    using var g = new Generator((ulong)i);
                    var x = randint(0, Vocabulary, [12, Context], generator: g);
                    for (int s = 0; s < 3; s++)
                        using (NewDisposeScope())
                        {
                            optimizer.ZeroGrad();
                            ForwardPass.WithLoss(() => net.forward(x), z => nn.functional.cross_entropy(z.view(-1, Vocabulary), x.view(-1))).Loss.backward();
                            GradientClipping.ClipNorm(parameters, 1.0);
                            optimizer.Step();
                        }
                }
                NativeHeap.ReleaseFreedMemory();
                if (i == 19) afterWarmup = BenchCommands.SettledRssMb();
                if ((i + 1) % Math.Max(1, n / 10) == 0) readings.Add((i + 1, BenchCommands.SettledRssMb()));
                tick();
            }
        });
        double end = BenchCommands.SettledRssMb();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"resident memory: start {start:0} MB, after 20 Transformers {afterWarmup:0} MB, after {n} {end:0} MB"));
        Console.WriteLine("  " + string.Join(", ", readings.Select(r => string.Create(inv, $"{r.Networks}: {r.Mb:0}"))));
        double growth = 100 * (end - afterWarmup) / afterWarmup;
        Console.WriteLine(string.Create(inv, $"growth after warm-up: {growth:0.0}% ({n} sampled Transformers, 3 AdamW steps each, in {sw.Elapsed.TotalSeconds:0} s)"));
        return [BenchRow.Growth("transformer", $"memory growth over {n} Transformers after 20", growth)];
    }
}
