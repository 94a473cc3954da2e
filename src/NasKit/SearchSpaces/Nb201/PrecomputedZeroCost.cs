using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using NasKit.Benchmarks;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// Published zero-cost scores for NB201 cells: NAS-Bench-Suite-Zero's (Krishnakumar et al. 2022; the 9,445 cells
/// without dead operations, CIFAR-10 or ImageNet16-120) and the NASWOT v1 scores of all 15,625 cells (Mellor et
/// al., arXiv 2006.04647 v1). Rows are joined to the benchmark by index and checked by architecture string.
/// </summary>
public sealed class PrecomputedZeroCost
{
    public static string SuiteZeroFile(Nb201Dataset d) => d switch
    {
        Nb201Dataset.Cifar10 => "zero-cost-nb201/zc_nb201_cifar10_9445.csv",
        Nb201Dataset.ImageNet16_120 => "zero-cost-nb201/zc_nb201_ImageNet16-120_9445.csv",
        _ => throw new ArgumentException($"NAS-Bench-Suite-Zero scores for {d} are not in the shared data (CIFAR-10 and ImageNet16-120 are)."),
    };

    public const string NaswotV1File = "zero-cost-nb201/naswot_v1_scores_nb201.csv";

    /// <summary>NasKit proxy name → Suite-Zero column.</summary>
    public static readonly IReadOnlyDictionary<string, string> SuiteZeroColumn = new Dictionary<string, string>
    {
        ["grad_norm"] = "grad_norm", ["snip"] = "snip", ["grasp"] = "grasp", ["fisher"] = "fisher", ["jacob_cov"] = "jacov",
        ["synflow"] = "synflow", ["naswot"] = "nwot", ["params"] = "params", ["flops"] = "flops",
    };

    private readonly Dictionary<int, Dictionary<string, double>> _rows;

    private PrecomputedZeroCost(Dictionary<int, Dictionary<string, double>> rows) => _rows = rows;

    /// <summary>The NB201 indices that have scores.</summary>
    public IReadOnlyCollection<int> Indices => _rows.Keys;

    /// <summary>The score of a cell under a NasKit proxy name, or null when the cell or proxy has none.</summary>
    public double? Score(int nb201Index, string proxy) =>
        _rows.TryGetValue(nb201Index, out var row) && SuiteZeroColumn.TryGetValue(proxy, out var column) && row.TryGetValue(column, out var v)
            ? v : null;

    public static PrecomputedZeroCost LoadSuiteZero(Nb201Benchmark benchmark, Nb201Dataset dataset = Nb201Dataset.Cifar10, DataLocator? locator = null)
    {
        var path = (locator ?? DataLocator.Default).Find(SuiteZeroFile(dataset));
        var rows = new Dictionary<int, Dictionary<string, double>>();
        Read(path, benchmark, (index, csv, header) =>
        {
            var row = new Dictionary<string, double>();
            foreach (var column in SuiteZeroColumn.Values)
            {
                int at = Array.IndexOf(header, column);
                if (at < 0) throw new BenchmarkDataException($"{path}: missing column {column}.");
                row[column] = Number(path, index, column, csv.GetField(at));
            }
            if (!rows.TryAdd(index, row)) throw new BenchmarkDataException($"{path}: nb201_index {index} appears twice.");
        });
        return new PrecomputedZeroCost(rows);
    }

    /// <summary>NASWOT v1 score per NB201 index (NaN for the output-disconnected cells the source left empty).</summary>
    public static double[] LoadNaswotV1(Nb201Benchmark benchmark, DataLocator? locator = null)
    {
        var path = (locator ?? DataLocator.Default).Find(NaswotV1File);
        var scores = Enumerable.Repeat(double.NaN, Nb201Cell.SpaceSize).ToArray();
        int count = 0;
        Read(path, benchmark, (index, csv, _) =>
        {
            var text = csv.GetField(2);
            scores[index] = string.IsNullOrEmpty(text) ? double.NaN : Number(path, index, "naswot_v1_score", text);
            count++;
        });
        if (count != Nb201Cell.SpaceSize) throw new BenchmarkDataException($"{path}: {count} rows, expected {Nb201Cell.SpaceSize}.");
        return scores;
    }

    private static void Read(string path, Nb201Benchmark benchmark, Action<int, CsvReader, string[]> row)
    {
        try
        {
            using var reader = new StreamReader(path);
            using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = true });
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: >= 2 } header || header[0] != "nb201_index" || header[1] != "arch_str")
                throw new BenchmarkDataException($"{path}: the header must start with nb201_index,arch_str.");
            int line = 1;
            while (csv.Read())
            {
                line++;
                var indexText = csv.GetField(0);
                if (!int.TryParse(indexText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) || index < 0 || index >= Nb201Cell.SpaceSize)
                    throw new BenchmarkDataException($"{path}: line {line}: nb201_index '{indexText}' is not in 0..{Nb201Cell.SpaceSize - 1}.");
                var arch = csv.GetField(1);
                if (arch != benchmark.CellAt(index).ToString())
                    throw new BenchmarkDataException($"{path}: line {line}: nb201_index {index} is '{arch}', but the benchmark has '{benchmark.CellAt(index)}' there.");
                row(index, csv, header);
            }
        }
        catch (CsvHelperException e)
        {
            throw new BenchmarkDataException($"{path}: not a well-formed CSV table ({e.Message.Split('\n')[0]}).");
        }
    }

    private static double Number(string path, int index, string column, string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new BenchmarkDataException($"{path}: nb201_index {index}, column {column}: '{text}' is not a number.");
}
