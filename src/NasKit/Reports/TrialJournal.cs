using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace NasKit.Reports;

/// <summary>
/// A comparison's trials written as its runs finish, so a long run loses at most the runs in progress and an
/// interrupted one resumes. Beside the output file it keeps <c>OUT.partial.csv</c> (every finished run's trials),
/// <c>OUT.partial.done</c> (one line per finished run, written after its trials are flushed) and
/// <c>OUT.partial.json</c> (the settings the trials depend on). <see cref="Complete"/> writes the output (CSV or
/// Parquet) and removes the partial files. A resume with other settings is refused, as is overwriting a finished
/// output unless asked.
/// </summary>
public sealed class TrialJournal : IDisposable
{
    private readonly string _output, _rows, _done, _settings;
    private readonly object _gate = new();
    private readonly List<TrialRow> _all = [];
    private readonly HashSet<(string, int)> _finished = [];
    private StreamWriter? _rowWriter, _doneWriter;
    private CsvWriter? _csv;
    private OutputLock? _lock; // one writer: a second process with the same output is refused, not interleaved

    /// <summary>Runs finished before this process started, by strategy and run number.</summary>
    public IReadOnlySet<(string Strategy, int Run)> Resumed { get; }

    /// <summary>The trials of every finished run so far (resumed ones first).</summary>
    public IReadOnlyList<TrialRow> Rows { get { lock (_gate) return _all.ToArray(); } }

    /// <param name="force">Overwrite a finished output file.</param>
    public TrialJournal(string output, IReadOnlyDictionary<string, string> settings, bool force = false)
    {
        var ext = Path.GetExtension(output).ToLowerInvariant();
        if (ext is not (".csv" or ".parquet")) throw new ArgumentException($"Cannot write '{output}': use a .csv or .parquet file name.");
        _output = Path.GetFullPath(output);
        (_rows, _done, _settings) = (_output + ".partial.csv", _output + ".partial.done", _output + ".partial.json");
        try { Directory.CreateDirectory(Path.GetDirectoryName(_output)!); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the folder of {output} ({e.Message}); choose a folder you can write to.", e);
        }
        _lock = OutputLock.Acquire(_output);
        bool resuming = File.Exists(_settings);
        if (!resuming && File.Exists(_output) && !force)
        {
            Dispose();
            throw new IOException($"{output} exists; pass --force to overwrite it, or choose another file.");
        }
        if (resuming)
        {
            var saved = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(_settings)) ?? [];
            var differing = settings.Where(kv => saved.GetValueOrDefault(kv.Key) != kv.Value).Select(kv => $"{kv.Key}: {saved.GetValueOrDefault(kv.Key) ?? "unset"} then, {kv.Value} now").ToArray();
            if (differing.Length > 0)
            {
                Dispose();
                throw new IOException($"{output} has an interrupted comparison with other settings ({string.Join("; ", differing)}). Resume it with the same settings, " +
                                      $"delete {Path.GetFileName(_settings)} and its partial files to start over, or choose another file.");
            }
            foreach (var line in File.Exists(_done) ? File.ReadAllLines(_done) : [])
            {
                var parts = line.Split('\t');
                if (parts.Length == 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int run)) _finished.Add((parts[0], run));
            }
            if (File.Exists(_rows))
            {
                using var reader = new StreamReader(_rows);
                using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null });
                try { _all.AddRange(csv.GetRecords<TrialRow>().Where(r => _finished.Contains((r.Strategy, r.Run)))); }
                catch (CsvHelperException) { } // a row cut by a kill belongs to an unfinished run, dropped below
            }
        }
        Resumed = new HashSet<(string, int)>(_finished);
        // Start the partial files afresh from what is finished: a run cut short leaves nothing behind.
        try
        {
            File.WriteAllText(_settings, JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }));
            _rowWriter = new StreamWriter(_rows, append: false);
            _csv = new CsvWriter(_rowWriter, CultureInfo.InvariantCulture);
            _csv.WriteHeader<TrialRow>();
            _csv.NextRecord();
            _csv.WriteRecords(_all);
            _csv.Flush();
            _doneWriter = new StreamWriter(_done, append: false);
            foreach (var (s, r) in _finished) _doneWriter.WriteLine($"{s}\t{r}");
            _doneWriter.Flush();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            Dispose();
            throw new IOException($"Cannot write beside {output} ({e.Message}); choose a folder you can write to.", e);
        }
    }

    /// <summary>Records a finished run: its trials first, then the line that says it finished. Safe from several threads.</summary>
    public void Append(string strategy, int run, IEnumerable<TrialRow> rows)
    {
        var list = rows.ToList();
        lock (_gate)
        {
            _csv!.WriteRecords(list);
            _csv.Flush();
            _rowWriter!.Flush();
            _doneWriter!.WriteLine($"{strategy}\t{run.ToString(CultureInfo.InvariantCulture)}");
            _doneWriter.Flush();
            _all.AddRange(list);
            _finished.Add((strategy, run));
        }
    }

    /// <summary>Writes the output from every finished run and removes the partial files.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            var order = _all.Select(r => r.Strategy).Distinct().Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
            TrialTable.Write(_output, _all.OrderBy(r => order[r.Strategy]).ThenBy(r => r.Run).ThenBy(r => r.Trial).ToArray());
            CloseWriters();
            foreach (var f in new[] { _rows, _done, _settings }) File.Delete(f);
            Dispose();
        }
    }

    private void CloseWriters()
    {
        _csv?.Dispose();
        _rowWriter?.Dispose();
        _doneWriter?.Dispose();
        (_csv, _rowWriter, _doneWriter) = (null, null, null);
    }

    public void Dispose()
    {
        CloseWriters();
        _lock?.Dispose();
        _lock = null;
    }
}
