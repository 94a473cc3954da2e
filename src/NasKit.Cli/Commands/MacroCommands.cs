using System.CommandLine;
using System.Globalization;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.SearchSpaces.NasBenchMacro;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit macro</c>: NAS-Bench-Macro's networks built with TorchSharp and checked against its table.</summary>
internal static class MacroCommands
{
    public static Command Create()
    {
        var macro = new Command("macro", "NAS-Bench-Macro: build its networks and check them against its table.\nExample:\n  naskit macro params");
        macro.Subcommands.Add(Params());
        return macro;
    }

    private static Command Params()
    {
        var sample = new Option<int?>("--sample") { Description = "Build K random networks instead of all 6,561." }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seed for --sample.", DefaultValueFactory = _ => 0 }.Seed();
        var cmd = new Command("params", "Build NAS-Bench-Macro networks (train/model.py's definition: C=32, 10 classes) with TorchSharp, compare their parameter counts " +
                                        "with the table's params, and the analytical FLOPs with its flops.\nExample:\n  naskit macro params --sample 500 --seed 0")
        {
            sample, seed,
        };
        cmd.SetAction(r => Cli.Run(() => RunParams(r.GetValue(sample), r.GetValue(seed))));
        return cmd;
    }

    private static int RunParams(int? sample, int seed)
    {
        var bench = MacroBenchmarkEntry.Tables();
        TorchRuntime.EnsureLoaded();
        var archs = bench.Architectures.ToArray();
        if (sample is { } k && k < archs.Length)
        {
            new Random(seed).Shuffle(archs);
            archs = archs[..k];
        }
        var built = new long[archs.Length];
        Cli.WithProgress("building NAS-Bench-Macro networks", archs.Length, tick =>
            Parallel.For(0, archs.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, j =>
            {
                using var net = new MacroNetwork(archs[j], MacroSpace.BenchmarkShape);
                built[j] = net.ParameterCount();
                tick();
            }));
        var paramMismatch = archs.Select((a, j) => (a, j)).Where(x => built[x.j] != bench[x.a].Parameters).ToArray();
        var flopMismatch = archs.Where(a => MacroCostModel.Flops(a, MacroSpace.BenchmarkShape) != bench[a].Flops).ToArray();
        var costMismatch = archs.Select((a, j) => (a, j)).Where(x => MacroCostModel.Parameters(x.a, MacroSpace.BenchmarkShape) != built[x.j]).ToArray();
        Console.WriteLine($"params match: {archs.Length - paramMismatch.Length}/{archs.Length} (TorchSharp networks against the table)");
        Console.WriteLine($"analytical params match the built networks: {archs.Length - costMismatch.Length}/{archs.Length}");
        Console.WriteLine($"flops match: {archs.Length - flopMismatch.Length}/{archs.Length} (analytical multiply-accumulates against the table)");
        foreach (var (a, j) in paramMismatch.Take(10))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {a}: table {bench[a].Parameters}, built {built[j]}"));
        foreach (var a in flopMismatch.Take(10))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {a}: table flops {bench[a].Flops}, analytical {MacroCostModel.Flops(a, MacroSpace.BenchmarkShape)}"));
        return paramMismatch.Length == 0 && flopMismatch.Length == 0 && costMismatch.Length == 0 ? 0 : 1;
    }
}
