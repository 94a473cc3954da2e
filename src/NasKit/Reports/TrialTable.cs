using System.Globalization;
using CsvHelper;
using NasKit.Experiments;
using NasKit.Spaces;
using Parquet.Serialization;

namespace NasKit.Reports;

/// <summary>One trial of one run, flat, for pandas, R, Deedle or a spreadsheet.</summary>
public sealed class TrialRow
{
    public string Strategy { get; set; } = "";
    public int Run { get; set; }
    public int Seed { get; set; }
    public int Trial { get; set; }
    public string Architecture { get; set; } = "";
    public double Signal { get; set; }
    public double Outcome { get; set; }
    public double BestOutcomeSoFar { get; set; }
    public double CostSeconds { get; set; }
    public bool Failed { get; set; }
    public string Reason { get; set; } = "";
    /// <summary>The epochs the trial trained (its fidelity's, or where a stopping rule ended it); 0 when its fidelity names none.</summary>
    public int Epochs { get; set; }
    /// <summary>Multi-objective studies: every objective's value, <c>metric=value;metric=value</c>; empty otherwise.</summary>
    public string Objectives { get; set; } = "";
    /// <summary>The <see cref="Objectives"/> column written from metric values (round-trip precision).</summary>
    public static string FormatObjectives(IEnumerable<(string Metric, double Value)> values) =>
        string.Join(";", values.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Metric}={v.Value:R}")));

    /// <summary>The <see cref="Objectives"/> column read back, in its order.</summary>
    public IReadOnlyList<(string Metric, double Value)> ObjectiveValues() =>
        Objectives.Length == 0 ? [] : Objectives.Split(';').Select(kv =>
        {
            int eq = kv.IndexOf('=');
            return eq > 0 && double.TryParse(kv[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (kv[..eq], v)
                : throw new InvalidDataException($"Trial {Trial} of run {Run}: objectives '{Objectives}' are not metric=value pairs; the table was not written by NasKit.");
        }).ToArray();

    /// <summary>Predictor studies: the architectures the predictor was fitted on before it scored this one; 0 otherwise.</summary>
    public int TrainingSet { get; set; }
}

/// <summary>Writes every trial of a comparison as CSV or Parquet (chosen by the file extension).</summary>
public static class TrialTable
{
    /// <summary>Every trial of <paramref name="runs"/>; with <paramref name="objectives"/>, each row also records their metrics' values.</summary>
    public static IEnumerable<TrialRow> Rows<TArch>(IEnumerable<SearchRun<TArch>> runs, string signal, string outcome, IReadOnlyList<string>? objectives = null)
        where TArch : class, IArchitecture =>
        runs.SelectMany(r => r.Trials.Select((t, i) => new TrialRow
        {
            Strategy = r.Strategy, Run = r.Run, Seed = r.Seed, Trial = t.Number, Architecture = t.Architecture.ToText(),
            Signal = t.Evaluation.Metrics.GetValueOrDefault(signal, double.NaN),
            Outcome = t.Evaluation.Metrics.GetValueOrDefault(outcome, double.NaN),
            BestOutcomeSoFar = r.BestOutcomeSoFar[i], CostSeconds = t.Evaluation.CostSeconds,
            Failed = t.Evaluation.Failed, Reason = t.Evaluation.Reason ?? "",
            Epochs = t.EpochsTrained ?? 0,
            Objectives = objectives is null ? "" : TrialRow.FormatObjectives(objectives.Select(m => (m, t.Evaluation.Metrics.GetValueOrDefault(m, double.NaN)))),
        }));

    /// <summary>Reads a table <see cref="Write"/> wrote (CSV or Parquet).</summary>
    public static IReadOnlyList<TrialRow> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Trials file {path} does not exist; rerun 'naskit run' to produce it.");
        try
        {
            switch (Path.GetExtension(path).ToLowerInvariant())
            {
                case ".csv":
                    using (var reader = new StreamReader(path))
                    // Tables written before a column existed read with its default.
                    using (var csv = new CsvReader(reader, new CsvHelper.Configuration.CsvConfiguration(CultureInfo.InvariantCulture) { MissingFieldFound = null, HeaderValidated = null }))
                        return csv.GetRecords<TrialRow>().ToList();
                case ".parquet":
                    using (var stream = File.OpenRead(path))
                        return ParquetSerializer.DeserializeAsync<TrialRow>(stream).GetAwaiter().GetResult().Data.ToList();
                default:
                    throw new ArgumentException($"Cannot read '{path}': use a .csv or .parquet file.");
            }
        }
        catch (Exception e) when (e is CsvHelperException or IOException && e is not FileNotFoundException)
        {
            throw new InvalidDataException($"{path} is not a trials table NasKit wrote ({e.Message.Split('\n')[0]}); rerun 'naskit run' into a new folder.");
        }
    }

    public static void Write(string path, IEnumerable<TrialRow> rows)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        // Write beside the target and rename, so an interrupted write never leaves half a table.
        var temp = path + ".partial";
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".csv":
                using (var writer = new StreamWriter(temp))
                using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
                    csv.WriteRecords(rows);
                break;
            case ".parquet":
                using (var stream = File.Create(temp))
                    ParquetSerializer.SerializeAsync(rows.ToList(), stream).GetAwaiter().GetResult();
                break;
            default:
                throw new ArgumentException($"Cannot write '{path}': use a .csv or .parquet file name.");
        }
        File.Move(temp, path, overwrite: true);
    }
}
