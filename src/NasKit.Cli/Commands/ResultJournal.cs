using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace NasKit.Cli.Commands;

/// <summary>
/// The --out CSV of a long command, written as results arrive so a killed run loses at most what was in flight, and
/// read back on a rerun to resume. Its first line records the settings (as a comment), so a resume never mixes runs
/// of other settings. A torn last line (killed mid-write) is dropped; <paramref name="keep"/> may drop more, such as
/// the rows of a group that was only partly written, which are then redone.
/// </summary>
internal sealed class ResultJournal<TRow> : IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly string _path;
    private readonly Reports.OutputLock _lock; // one writer: a second process with the same --out is refused

    /// <summary>The rows read back from an earlier run with the same settings.</summary>
    public IReadOnlyList<TRow> Existing { get; } = [];

    /// <param name="what">What the rows are, for messages ("kws runs").</param>
    public ResultJournal(string path, string settings, string what, Func<IReadOnlyList<TRow>, IReadOnlyList<TRow>>? keep = null)
    {
        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"--out {path}: {what} are written as .csv; give a path ending in .csv.");
        _path = path;
        var header = $"# {settings}";
        try { _lock = Reports.OutputLock.Acquire(path); }
        catch (IOException e) { throw new ArgumentException(e.Message); } // already one line naming the output and what to do
        try
        {
            if (File.Exists(path) && new FileInfo(path).Length > 0)
            {
                var text = File.ReadAllText(path);
                var lines = text.Split('\n');
                if (lines[0].TrimEnd('\r') != header)
                    throw new ArgumentException($"{path} holds {what} with other settings ({lines[0].TrimStart('#', ' ')}); give another --out or delete it.");
                // Split leaves "" after a final newline; anything else there is a torn line.
                var complete = lines[..^1].Skip(1).ToArray();
                using var reader = new StringReader(string.Join('\n', complete));
                using var csv = new CsvReader(reader, Inv);
                TRow[] rows;
                try { rows = csv.GetRecords<TRow>().ToArray(); }
                catch (Exception e) when (e is CsvHelperException or FormatException)
                { throw new ArgumentException($"{path} is not a readable CSV of {what} ({e.Message.Split('\n')[0]}); give another --out or delete it."); }
                var kept = keep?.Invoke(rows) ?? rows;
                Existing = kept;
                if (kept.Count != rows.Length || lines[^1].Length > 0) Rewrite(header);
            }
            else Rewrite(header);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _lock.Dispose();
            throw new ArgumentException($"Cannot use --out {path} ({e.Message}); give a writable path.");
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    public void Dispose() => _lock.Dispose();

    private void Rewrite(string header)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(_path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var writer = new StreamWriter(_path, append: false);
        writer.WriteLine(header);
        using var csv = new CsvWriter(writer, Inv);
        // WriteRecords writes the header itself, even for no records.
        csv.WriteRecords(Existing);
    }

    public void Append(params IEnumerable<TRow> rows)
    {
        using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
        using var writer = new StreamWriter(stream);
        using var csv = new CsvWriter(writer, new CsvConfiguration(Inv) { HasHeaderRecord = false });
        csv.WriteRecords(rows);
    }
}
