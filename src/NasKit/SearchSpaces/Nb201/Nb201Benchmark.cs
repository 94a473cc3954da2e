using System.Diagnostics;
using NasKit.Benchmarks;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>The three NB201 data sets. Each has a validation split (the search signal) and a test split.</summary>
public enum Nb201Dataset { Cifar10, Cifar100, ImageNet16_120 }

/// <summary>
/// The NAS-Bench-201 tables (200- and 12-epoch accuracies, parameter counts) joined with HW-NAS-Bench's
/// latency and energy, all keyed by the official index. Loads in well under a second; then every lookup is
/// an array read.
/// </summary>
public sealed class Nb201Benchmark
{
    public const string Acc200File = "nasbench201/nb201_acc_200ep.csv";
    public const string Acc12File = "nasbench201/nb201_acc_12ep.csv";
    public static string HardwareFile(Nb201Dataset d) => $"hw-nas-bench-nb201/hwnasbench_nb201_{HwName(d)}.csv";

    /// <summary>HW-NAS-Bench metric columns (ms, mJ; edgetpu is NaN where the source has no measurement).</summary>
    public static readonly IReadOnlyList<string> HardwareMetrics =
    [
        "edgegpu_latency", "edgegpu_energy", "raspi4_latency", "edgetpu_latency", "pixel3_latency",
        "eyeriss_latency", "eyeriss_energy", "eyeriss_arithmetic_intensity", "fpga_latency", "fpga_energy",
    ];

    private readonly Nb201Cell[] _cells;
    private readonly int[] _indexOfCode;
    private readonly Dictionary<string, double[]> _acc200, _acc12;
    // One lazily read table per data set; a lookup after the first read takes no lock (searches run in parallel).
    private readonly Dictionary<Nb201Dataset, Lazy<Dictionary<string, double[]>>> _hardware;
    private readonly DataLocator _locator;

    public Nb201Space Space { get; }
    public TimeSpan LoadTime { get; }

    private Nb201Benchmark(DataLocator locator)
    {
        var sw = Stopwatch.StartNew();
        _locator = locator;
        var t200 = Nb201Table.ReadIndexed(locator.Find(Acc200File), Nb201Cell.SpaceSize, check: AccuracyOrSize);
        var t12 = Nb201Table.ReadIndexed(locator.Find(Acc12File), Nb201Cell.SpaceSize, check: AccuracyOrSize);
        _acc200 = t200.Columns;
        _acc12 = t12.Columns;
        _cells = new Nb201Cell[Nb201Cell.SpaceSize];
        _indexOfCode = Enumerable.Repeat(-1, Nb201Cell.SpaceSize).ToArray();
        for (int i = 0; i < _cells.Length; i++)
        {
            Nb201Cell cell;
            try { cell = Nb201Cell.Parse(t200.ArchStrings[i]); }
            catch (FormatException e) { throw new BenchmarkDataException($"{Acc200File}: row {i}: {e.Message}"); }
            if (t12.ArchStrings[i] != t200.ArchStrings[i])
                throw new BenchmarkDataException($"{Acc12File}: row {i} is '{t12.ArchStrings[i]}', but {Acc200File} has '{t200.ArchStrings[i]}' there.");
            if (_indexOfCode[cell.Code] >= 0)
                throw new BenchmarkDataException($"{Acc200File}: cell {cell} appears at rows {_indexOfCode[cell.Code]} and {i}.");
            _cells[i] = cell;
            _indexOfCode[cell.Code] = i;
        }
        Space = new Nb201Space(_cells);
        _hardware = Enum.GetValues<Nb201Dataset>().ToDictionary(d => d, d => new Lazy<Dictionary<string, double[]>>(() => ReadHardware(d)));
        LoadHardware(Nb201Dataset.Cifar10);
        LoadTime = sw.Elapsed;
    }

    public static Nb201Benchmark Load(DataLocator? locator = null) => new(locator ?? DataLocator.Default);

    private static string? AccuracyOrSize(string column, double value) =>
        column.EndsWith("_params_mb", StringComparison.Ordinal) ? Nb201Table.Cost()(column, value) : Nb201Table.Accuracy(column, value);

    public IReadOnlyList<Nb201Cell> Cells => _cells;
    public Nb201Cell CellAt(int index) => _cells[index];
    public int IndexOf(Nb201Cell cell) => _indexOfCode[cell.Code];

    /// <summary>Validation accuracy (%), the search signal: CIFAR-10 x-valid of the 25k/25k split, CIFAR-100 and ImageNet16-120 x-valid.</summary>
    public double ValidAccuracy(Nb201Cell cell, Nb201Dataset dataset = Nb201Dataset.Cifar10, int epochs = 200) =>
        Table(epochs)[ValidColumn(dataset)][IndexOf(cell)];

    /// <summary>Test accuracy (%): CIFAR-10 trained on all 50k and tested on the 10k test set; x-test otherwise.</summary>
    public double TestAccuracy(Nb201Cell cell, Nb201Dataset dataset = Nb201Dataset.Cifar10, int epochs = 200) =>
        Table(epochs)[TestColumn(dataset)][IndexOf(cell)];

    /// <summary>The table's <c>cifar10_params_mb</c> (millions). 204 rows of it are inconsistent in the source.</summary>
    public double ParamsMb(Nb201Cell cell) => _acc200["cifar10_params_mb"][IndexOf(cell)];

    public double Hardware(Nb201Cell cell, string metric, Nb201Dataset dataset = Nb201Dataset.Cifar10)
    {
        var table = LoadHardware(dataset);
        if (!table.TryGetValue(metric, out var column))
            throw new ArgumentException($"Unknown hardware metric '{metric}'. Known: {string.Join(", ", HardwareMetrics)}.", nameof(metric));
        return column[IndexOf(cell)];
    }

    /// <summary>Every number the tables hold for a cell, under stable metric names.</summary>
    public IReadOnlyDictionary<string, double> Metrics(Nb201Cell cell, Nb201Dataset dataset = Nb201Dataset.Cifar10, int epochs = 200)
    {
        int i = IndexOf(cell);
        var m = new Dictionary<string, double>
        {
            [Estimation.Metrics.ValidAccuracy] = Table(epochs)[ValidColumn(dataset)][i],
            [Estimation.Metrics.TestAccuracy] = Table(epochs)[TestColumn(dataset)][i],
            [Estimation.Metrics.Parameters] = _acc200["cifar10_params_mb"][i], // the table's "MB" are millions of parameters
        };
        foreach (var (name, column) in LoadHardware(dataset)) m[name] = column[i];
        return m;
    }

    public static string ValidColumn(Nb201Dataset d) => d switch
    {
        Nb201Dataset.Cifar10 => "cifar10_valid_xvalid",
        Nb201Dataset.Cifar100 => "cifar100_xvalid",
        _ => "imagenet16_120_xvalid",
    };

    public static string TestColumn(Nb201Dataset d) => d switch
    {
        Nb201Dataset.Cifar10 => "cifar10_oritest",
        Nb201Dataset.Cifar100 => "cifar100_xtest",
        _ => "imagenet16_120_xtest",
    };

    public static Nb201Dataset ParseDataset(string name) => name.ToLowerInvariant().Replace("_", "-") switch
    {
        "cifar10" or "cifar-10" => Nb201Dataset.Cifar10,
        "cifar100" or "cifar-100" => Nb201Dataset.Cifar100,
        "imagenet16-120" or "imagenet16" or "imagenet" => Nb201Dataset.ImageNet16_120,
        _ => throw new ArgumentException($"Unknown NB201 data set '{name}'. Use cifar10, cifar100 or imagenet16-120."),
    };

    private Dictionary<string, double[]> Table(int epochs) => epochs switch
    {
        200 => _acc200,
        12 => _acc12,
        _ => throw new ArgumentOutOfRangeException(nameof(epochs), $"NB201 has tables for 12 and 200 epochs, not {epochs}."),
    };

    private static string HwName(Nb201Dataset d) => d switch
    {
        Nb201Dataset.Cifar10 => "cifar10",
        Nb201Dataset.Cifar100 => "cifar100",
        _ => "ImageNet16-120",
    };

    private Dictionary<string, double[]> LoadHardware(Nb201Dataset dataset) => _hardware[dataset].Value;

    private Dictionary<string, double[]> ReadHardware(Nb201Dataset dataset)
    {
        // edgetpu_latency is -1 where HW-NAS-Bench has no measurement (read as NaN below).
        var table = Nb201Table.ReadIndexed(_locator.Find(HardwareFile(dataset)), Nb201Cell.SpaceSize, HardwareMetrics, check: Nb201Table.Cost(missing: -1));
        for (int i = 0; i < _cells.Length; i++)
            if (table.ArchStrings[i] != _cells[i].ToText())
                throw new BenchmarkDataException($"{HardwareFile(dataset)}: row {i} is '{table.ArchStrings[i]}', expected '{_cells[i]}'.");
        var edgetpu = table.Columns["edgetpu_latency"];
        for (int i = 0; i < edgetpu.Length; i++) if (edgetpu[i] < 0) edgetpu[i] = double.NaN; // -1 = not measured
        return table.Columns;
    }
}
