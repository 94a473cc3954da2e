using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using NasKit.Benchmarks;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// A CSV of zero-cost scores that a run appends to row by row (flushed), so a killed run loses at most the cell it
/// was scoring and resumes where it stopped. Columns: nb201_index, arch_str, test_acc, one per proxy, then
/// <c>NAME_seconds</c> per proxy. The settings the scores depend on sit beside it in <c>FILE.settings.json</c>; a
/// resume with other settings is refused instead of mixing incomparable scores.
/// </summary>
public sealed class ZeroCostScoreFile : IDisposable
{
    private readonly string _path;
    private readonly IReadOnlyList<string> _proxies;
    private StreamWriter? _writer;

    public IReadOnlyDictionary<int, ZeroCostRow> Existing { get; }

    public ZeroCostScoreFile(string path, IReadOnlyList<string> proxies, IReadOnlyDictionary<string, string> settings, Nb201Benchmark benchmark)
    {
        (_path, _proxies) = (path, proxies);
        var settingsPath = path + ".settings.json";
        var existing = new Dictionary<int, ZeroCostRow>();
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            if (!File.Exists(settingsPath))
                throw new IOException($"{path} exists without {settingsPath}; it is not a zero-cost score file. Choose another file.");
            var saved = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(settingsPath)) ?? new();
            var differing = settings.Where(kv => !saved.TryGetValue(kv.Key, out var v) || v != kv.Value).Select(kv => $"{kv.Key}={(saved.TryGetValue(kv.Key, out var v) ? v : "?")}").ToArray();
            if (differing.Length > 0)
                throw new IOException($"{path} holds scores made with other settings ({string.Join(", ", differing)}); resume with the same settings or choose another file.");
            DropPartialLastLine(path);
            foreach (var row in Read(path, benchmark)) existing[row.Index] = row;
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(settingsPath, JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }));
            File.WriteAllText(path, string.Join(",", Header(proxies)) + "\n");
        }
        Existing = existing;
    }

    private static IEnumerable<string> Header(IEnumerable<string> proxies) =>
        new[] { "nb201_index", "arch_str", "test_acc" }.Concat(proxies).Concat(proxies.Select(p => p + "_seconds"));

    /// <summary>A run killed while writing can leave half a row; it is dropped (that cell is scored again).</summary>
    private static void DropPartialLastLine(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        long end = f.Length;
        while (end > 0)
        {
            f.Position = end - 1;
            if (f.ReadByte() == '\n') break;
            end--;
        }
        if (end < f.Length) f.SetLength(end);
    }

    /// <summary>Appends one row (not for rows that came from <see cref="Existing"/>) and flushes it to disk.</summary>
    public void Append(ZeroCostRow row)
    {
        if (Existing.ContainsKey(row.Index)) return;
        _writer ??= new StreamWriter(_path, append: true);
        var cells = new List<string> { row.Index.ToString(CultureInfo.InvariantCulture), "\"" + row.Cell + "\"", Format(row.TestAccuracy) };
        cells.AddRange(_proxies.Select(p => Format(row.Scores[p])));
        cells.AddRange(_proxies.Select(p => Format(row.Seconds[p])));
        _writer.WriteLine(string.Join(",", cells));
        _writer.Flush();
    }

    private static string Format(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Reads a score file (also for other tools' use, e.g. predictor features). Bad rows fail with their line.</summary>
    public static IReadOnlyList<ZeroCostRow> Read(string path, Nb201Benchmark benchmark)
    {
        var rows = new List<ZeroCostRow>();
        try
        {
            using var reader = new StreamReader(path);
            using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = true });
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: >= 3 } header || header[0] != "nb201_index" || header[2] != "test_acc")
                throw new BenchmarkDataException($"{path}: not a zero-cost score file (header must start with nb201_index,arch_str,test_acc).");
            var proxies = header.Skip(3).Where(h => !h.EndsWith("_seconds")).ToArray();
            int line = 1;
            while (csv.Read())
            {
                line++;
                if (!int.TryParse(csv.GetField(0), NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) || index < 0 || index >= benchmark.Cells.Count)
                    throw new BenchmarkDataException($"{path}: line {line}: bad nb201_index '{csv.GetField(0)}'.");
                var cell = benchmark.CellAt(index);
                if (csv.GetField(1) != cell.ToString())
                    throw new BenchmarkDataException($"{path}: line {line}: nb201_index {index} is '{csv.GetField(1)}', but the benchmark has '{cell}'.");
                double Get(string column)
                {
                    var text = csv.GetField(column);
                    if (string.IsNullOrEmpty(text)) return double.NaN;
                    return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                        ? v : throw new BenchmarkDataException($"{path}: line {line}, column {column}: '{text}' is not a number.");
                }
                rows.Add(new ZeroCostRow(index, cell, Get("test_acc"), proxies.ToDictionary(p => p, Get), proxies.ToDictionary(p => p, p => Get(p + "_seconds"))));
            }
        }
        catch (CsvHelperException e)
        {
            throw new BenchmarkDataException($"{path}: not a well-formed CSV ({e.Message.Split('\n')[0]}).");
        }
        return rows;
    }

    public void Dispose() => _writer?.Dispose();
}
