using System.CommandLine;
using System.Globalization;
using CsvHelper;
using NasKit.Runtime;
using static TorchSharp.torch;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit bench all</c>: every bench at a small size, one table of NasKit / PyTorch ratios with the
/// machine and both sides' libraries named, so the figures in docs can be regenerated in one command.</summary>
internal static class BenchAll
{
    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "Intra-op threads for NasKit and PyTorch.", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);
        var networks = new Option<int>("--networks") { DefaultValueFactory = _ => 200, Description = "Networks for each memory check (training and zero-cost); 1000 for the full check." }.AtLeast(101);
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 5, Description = "Timed steps per train-step cell." }.AtLeast(1);
        var python = new Option<string>("--python") { DefaultValueFactory = _ => "/usr/bin/python3", Description = "Python with Debian's python3-torch." };
        var output = new Option<string?>("--out") { Description = "CSV of the table (bench, measure, NasKit, peer, unit, ratio)." };
        var cmd = new Command("all", "Run every bench at a small size (memory, train-step, zerocost, the NB201 supernets, and a oneDNN NaN check) and print one table of NasKit / PyTorch ratios, with the CPU, its ISA and both sides' libraries.\nExample:\n  naskit bench all --out reports/bench.csv")
        {
            threads, networks, steps, python, output,
        };
        cmd.SetAction(r => Cli.Run(() => Run(r.GetValue(threads), r.GetValue(networks), r.GetValue(steps), r.GetValue(python)!, r.GetValue(output))));
        return cmd;
    }

    private static int Run(int threads, int networks, int steps, string python, string? output)
    {
        // Open the output first: a bench that ran for minutes must not fail at the end on an unwritable path.
        StreamWriter? writer = null;
        if (output is not null)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
                writer = new StreamWriter(output);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"Cannot write --out {output}: {e.Message}");
            }
        }
        using var _ = writer;
        TorchRuntime.EnsureLoaded();
        set_num_threads(threads);
        var rows = new List<BenchRow>();
        void Section(string name, Func<IEnumerable<BenchRow>> bench)
        {
            Console.WriteLine($"\n## bench {name}");
            rows.AddRange(bench());
        }
        // Memory first, while the process is fresh: its growth is measured from its own warm-up.
        Section("memory", () => BenchCommands.MeasureMemory(networks, 64, 0));
        Section("train-step", () => BenchCommands.MeasureTrainStep(threads, 64, steps, python, BenchCommands.DefaultCells, rounds: 3));
        Section("zerocost", () => BenchCommands.MeasureZeroCost(threads, 64, 10, networks, 0, python));
        Section("supernet", () => SupernetBench.Measure(64, 16, 4, 2, threads, python, rounds: 3, dartsSpace: false));
        Section("conv-nan", () => [ConvolutionNanCheck(200)]);

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"\n## summary");
        Console.WriteLine($"machine: {Machine()}");
        Console.WriteLine($"NasKit:  {TorchRuntime.Describe()}");
        Console.WriteLine($"{"bench",-11} {"measure",-52} {"NasKit",10} {"PyTorch",10} {"unit",-4} {"ratio",6}");
        foreach (var row in rows)
            Console.WriteLine(string.Create(inv, $"{row.Bench,-11} {row.Measure,-52} {row.NasKit,10:0.0} {(double.IsNaN(row.Peer) ? "-" : row.Peer.ToString("0.0", inv)),10} {row.Unit,-4} {(double.IsNaN(row.Peer) ? "-" : row.Ratio.ToString("0.00", inv)),6}"));
        var timeRatios = rows.Where(r => r.Unit == "ms" && !double.IsNaN(r.Peer)).Select(r => r.Ratio).ToArray();
        Console.WriteLine(string.Create(inv, $"geometric mean of the {timeRatios.Length} time ratios: {Math.Exp(timeRatios.Average(Math.Log)):0.00}"));
        if (writer is not null)
        {
            using var csv = new CsvWriter(writer, inv);
            csv.WriteRecords(rows.Select(r => new { r.Bench, r.Measure, r.NasKit, Peer = double.IsNaN(r.Peer) ? (double?)null : r.Peer, r.Unit, Ratio = double.IsNaN(r.Peer) ? (double?)null : r.Ratio }));
            Console.Error.WriteLine($"wrote {rows.Count} rows to {output}");
        }
        return 0;
    }

    /// <summary>The regression check of TorchRuntime's oneDNN ISA cap, at whatever ISA this process runs: 3×3
    /// convolution backward passes that must never give a NaN input gradient.</summary>
    private static BenchRow ConvolutionNanCheck(int passes)
    {
        using var conv = nn.Conv2d(16, 16, 3, padding: 1, bias: false);
        int nan = 0;
        for (int i = 0; i < passes; i++)
        {
            using var scope = NewDisposeScope();
            var x = randn(64, 16, 32, 32).requires_grad_();
            conv.forward(x).sum().backward();
            if (x.grad!.isnan().any().item<bool>()) nan++;
            conv.zero_grad();
        }
        Console.WriteLine($"3x3 convolution backward, C=16, batch 64, 32x32: NaN input gradients in {nan} of {passes} passes (oneDNN ISA {Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") ?? "default"})");
        return new BenchRow("conv-nan", $"passes with NaN gradients (of {passes})", nan, double.NaN, "");
    }

    /// <summary>"AMD EPYC (AuthenticAMD family 26), AVX-512, 2 cores".</summary>
    internal static string Machine()
    {
        var cpu = CpuInfo.Read();
        string isa = cpu is null ? "ISA unknown" : cpu.Flags.Contains("avx512f") ? "AVX-512" : cpu.Flags.Contains("avx2") ? "AVX2" : "no AVX2";
        return $"{cpu?.Model ?? "unknown CPU"} ({cpu?.Vendor} family {cpu?.Family}), {isa}, {Environment.ProcessorCount} cores";
    }
}
