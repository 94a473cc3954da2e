using System.Text.Json;
using NasKit.Benchmarks;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.TransNasBench101;

/// <summary>One architecture on one task: the benchmark's validation score and the zero-cost scores of NAS-Bench-Suite-Zero.</summary>
public sealed record TnbRecord(double Score, IReadOnlyDictionary<string, double> ZeroCost);

/// <summary>
/// The TransNAS-Bench-101 sample scored by NAS-Bench-Suite-Zero (<c>transnas-bench-101-zc/</c>, NASLib's
/// <c>zc_transbench101_{micro,macro}.json</c>): per task about 700 architectures with the benchmark's
/// <c>val_accuracy</c> (the task's own score, higher is better: accuracy for classification and jigsaw, SSIM-like
/// scores for autoencoding and surface normals, negative loss for room layout, as NASLib stores them) and 12
/// zero-cost scores. Read strictly: a missing task, a key that is not an architecture or a score that is not a
/// finite number fails the load. <see cref="Space"/> holds the architectures every task scores.
/// </summary>
public sealed class TnbBenchmark
{
    public static IReadOnlyList<string> Tasks { get; } =
        ["class_scene", "class_object", "room_layout", "jigsaw", "segmentsemantic", "normal", "autoencoder"];

    public static string File(TnbFamily family) => $"transnas-bench-101-zc/zc_transbench101_{family.ToString().ToLowerInvariant()}.json";

    private readonly Dictionary<string, Dictionary<TnbArchitecture, TnbRecord>> _tasks;

    public TnbFamily Family { get; }
    /// <summary>The architectures all seven tasks score, as a subset of the family's decision space.</summary>
    public SubsetSpace<TnbArchitecture> Space { get; }
    /// <summary>Zero-cost proxy names in the file (flops, params, synflow, …), the same for every architecture.</summary>
    public IReadOnlyList<string> ZeroCostNames { get; }

    public TnbBenchmark(TnbFamily family, Dictionary<string, Dictionary<TnbArchitecture, TnbRecord>> tasks)
    {
        Family = family;
        _tasks = tasks;
        var missing = Tasks.Where(t => !tasks.ContainsKey(t)).ToArray();
        if (missing.Length > 0) throw new BenchmarkDataException($"{File(family)} lacks task(s) {string.Join(", ", missing)}; restore it from its source (see its PROVENANCE.md).");
        DecisionSpace<TnbArchitecture> full = family == TnbFamily.Micro ? new TnbMicroSpace() : new TnbMacroSpace();
        var common = tasks[Tasks[0]].Keys.Where(a => Tasks.All(t => tasks[t].ContainsKey(a)))
                                         .OrderBy(a => a.ToText(), StringComparer.Ordinal).ToArray();
        Space = new SubsetSpace<TnbArchitecture>(full, common);
        ZeroCostNames = tasks[Tasks[0]].Values.First().ZeroCost.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The record of <paramref name="arch"/> on <paramref name="task"/>, or null when the sample lacks it.</summary>
    public TnbRecord? Find(string task, TnbArchitecture arch) =>
        (_tasks.TryGetValue(task, out var rows) ? rows : throw new ArgumentException(UnknownTask(task))).GetValueOrDefault(arch);

    public int Count(string task) => _tasks[task].Count;

    public static string UnknownTask(string task) => $"Unknown TransNAS-Bench-101 task '{task}'. Known: {string.Join(", ", Tasks)}.";

    public static TnbBenchmark Load(TnbFamily family, DataLocator locator)
    {
        var path = locator.Find(File(family));
        JsonDocument doc;
        try { doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(path)); }
        catch (JsonException e) { throw new BenchmarkDataException($"{path} is not valid JSON ({e.Message}); restore it from its source (see its PROVENANCE.md)."); }
        using (doc)
        {
            var tasks = new Dictionary<string, Dictionary<TnbArchitecture, TnbRecord>>();
            foreach (var task in doc.RootElement.EnumerateObject())
            {
                var rows = new Dictionary<TnbArchitecture, TnbRecord>();
                foreach (var entry in task.Value.EnumerateObject())
                {
                    string Where(string what) => $"{path}: task {task.Name}, architecture {entry.Name}: {what}";
                    TnbArchitecture arch;
                    try { arch = TnbArchitecture.FromNasLibKey(family, entry.Name); }
                    catch (Exception e) when (e is FormatException or ArgumentException) { throw new BenchmarkDataException(Where(e.Message)); }
                    double score = double.NaN;
                    var zc = new Dictionary<string, double>();
                    foreach (var field in entry.Value.EnumerateObject())
                    {
                        if (field.Name == "val_accuracy") score = Number(field.Value, Where("val_accuracy"));
                        else if (field.Value.ValueKind == JsonValueKind.Object && field.Value.TryGetProperty("score", out var s))
                            zc[field.Name] = Number(s, Where(field.Name));
                    }
                    if (double.IsNaN(score)) throw new BenchmarkDataException(Where("no val_accuracy"));
                    if (!rows.TryAdd(arch, new TnbRecord(score, zc))) throw new BenchmarkDataException(Where("listed twice"));
                }
                tasks[task.Name] = rows;
            }
            var names = tasks.Values.SelectMany(r => r.Values).Select(r => string.Join(",", r.ZeroCost.Keys.Order(StringComparer.Ordinal))).Distinct().ToArray();
            if (names.Length != 1) throw new BenchmarkDataException($"{path}: architectures list different zero-cost proxies ({string.Join(" | ", names.Take(3))}).");
            return new TnbBenchmark(family, tasks);
        }
    }

    private static double Number(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.Number && e.GetDouble() is var v && double.IsFinite(v) ? v
            : throw new BenchmarkDataException($"{where} is {e.GetRawText()}, not a finite number.");
}
