using System.Globalization;
using System.Text.Json;
using NasKit.Benchmarks;

namespace NasKit.SearchSpaces.NasBenchMacro;

/// <summary>One network's row of NAS-Bench-Macro: CIFAR-10 test accuracy of 3 training runs (%), their mean and std, parameters and FLOPs.</summary>
public sealed record MacroRecord(IReadOnlyList<double> TestAccuracies, double MeanAccuracy, double Std, long Parameters, long Flops);

/// <summary>
/// NAS-Bench-Macro's table (github.com/xiusu/NAS-Bench-Macro, <c>data/nas-bench-macro_cifar10.json</c>): every one of
/// the 6,561 networks trained 50 epochs on CIFAR-10 with 3 seeds. Read strictly: a missing network, a key that is
/// not an architecture, an accuracy outside 0–100 or a mean that is not the mean of its runs fails the load.
/// </summary>
public sealed class MacroBenchmark
{
    public const string File = "nasbench-macro/nas-bench-macro_cifar10.json";
    public const int Epochs = 50;

    private readonly Dictionary<MacroArchitecture, MacroRecord> _rows;

    public MacroSpace Space { get; } = new();
    public IReadOnlyList<MacroArchitecture> Architectures { get; }

    public MacroBenchmark(IReadOnlyDictionary<MacroArchitecture, MacroRecord> rows)
    {
        if (rows.Count != MacroArchitecture.SpaceSize)
            throw new BenchmarkDataException($"NAS-Bench-Macro has {MacroArchitecture.SpaceSize} networks; the table holds {rows.Count}. Restore {File} from its source (see its PROVENANCE.md).");
        _rows = rows.ToDictionary();
        Architectures = Space.All().ToArray();
    }

    public MacroRecord this[MacroArchitecture arch] => _rows[arch];

    public static MacroBenchmark Load(DataLocator locator)
    {
        var path = locator.Find(File);
        using var doc = ReadJson(path);
        var rows = new Dictionary<MacroArchitecture, MacroRecord>();
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            string Where(string what) => $"{path}: network '{entry.Name}': {what}";
            MacroArchitecture arch;
            try { arch = MacroArchitecture.Parse(entry.Name); }
            catch (FormatException e) { throw new BenchmarkDataException(Where(e.Message)); }
            try
            {
                var v = entry.Value;
                var runs = v.GetProperty("test_acc").EnumerateArray().Select(x => x.GetDouble()).ToArray();
                double mean = v.GetProperty("mean_acc").GetDouble(), std = v.GetProperty("std").GetDouble();
                long parameters = v.GetProperty("params").GetInt64(), flops = v.GetProperty("flops").GetInt64();
                if (runs.Length != 3 || runs.Any(a => !(a is >= 0 and <= 100)))
                    throw new BenchmarkDataException(Where($"test_acc must be 3 accuracies in 0-100, got [{string.Join(", ", runs.Select(a => a.ToString(CultureInfo.InvariantCulture)))}]"));
                if (Math.Abs(runs.Average() - mean) > 1e-4)
                    throw new BenchmarkDataException(Where($"mean_acc {mean.ToString(CultureInfo.InvariantCulture)} is not the mean of its runs ({runs.Average().ToString(CultureInfo.InvariantCulture)})"));
                if (parameters <= 0 || flops <= 0) throw new BenchmarkDataException(Where("params and flops must be positive"));
                if (!rows.TryAdd(arch, new MacroRecord(runs, mean, std, parameters, flops))) throw new BenchmarkDataException(Where("listed twice"));
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new BenchmarkDataException(Where($"not a row of the benchmark ({e.Message})"));
            }
        }
        return new MacroBenchmark(rows);
    }

    private static JsonDocument ReadJson(string path)
    {
        try { return JsonDocument.Parse(System.IO.File.ReadAllText(path)); }
        catch (JsonException e) { throw new BenchmarkDataException($"{path} is not valid JSON ({e.Message.Split('.')[0]}); restore it from its source (see its PROVENANCE.md)."); }
    }
}
