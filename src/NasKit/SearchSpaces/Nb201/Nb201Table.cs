using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

using NasKit.Benchmarks;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// A numeric table keyed by NB201 index, read with CsvHelper. Every file under shared data starts with
/// <c>nb201_index,arch_str</c>, row i holding index i; this is checked, so a shuffled, truncated or
/// corrupt file fails with a message naming the file, the row and the column.
/// </summary>
internal static class Nb201Table
{
    public sealed record Result(string[] ArchStrings, Dictionary<string, double[]> Columns);

    private static string? Finite(string column, double value) => double.IsFinite(value) ? null : "is not a finite number";

    /// <summary>Accuracies are percentages.</summary>
    public static string? Accuracy(string column, double value) =>
        Finite(column, value) ?? (value is >= 0 and <= 100 ? null : "is not an accuracy in [0, 100]");

    /// <summary>Costs (latency, energy, parameters) are positive or zero; <paramref name="missing"/> marks an unmeasured one.</summary>
    public static Func<string, double, string?> Cost(double? missing = null) => (column, value) =>
        Finite(column, value) ?? (value >= 0 || value == missing ? null : "is negative, which no latency, energy or size can be");

    /// <param name="check">Says what is wrong with a value of a column (null when it is fine): accuracies outside
    /// [0, 100], negative latencies, NaN. A bad value fails the load with the file, row, column and value.</param>
    public static Result ReadIndexed(string path, int expectedRows, IReadOnlyCollection<string>? wanted = null, bool allowEmpty = false,
                                     Func<string, double, string?>? check = null)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = true };
        try
        {
            using var reader = new StreamReader(path);
            using var csv = new CsvReader(reader, config);
            if (!csv.Read() || !csv.ReadHeader())
                throw new BenchmarkDataException($"{path}: the file is empty; expected a header starting with nb201_index,arch_str.");
            var header = csv.HeaderRecord!;
            if (header.Length < 2 || header[0] != "nb201_index" || header[1] != "arch_str")
                throw new BenchmarkDataException($"{path}: the header must start with nb201_index,arch_str; found '{string.Join(",", header.Take(3))}'.");
            var columns = (wanted ?? header.Skip(2).ToArray()).ToArray();
            var missing = columns.Where(c => !header.Contains(c)).ToArray();
            if (missing.Length > 0)
                throw new BenchmarkDataException($"{path}: missing column(s) {string.Join(", ", missing)}.");
            var positions = columns.Select(c => Array.IndexOf(header, c)).ToArray();
            var data = columns.ToDictionary(c => c, _ => new double[expectedRows]);
            var arch = new string[expectedRows];
            int row = 0;
            while (csv.Read())
            {
                if (row >= expectedRows)
                    throw new BenchmarkDataException($"{path}: more than the expected {expectedRows} rows.");
                var indexText = csv.GetField(0);
                if (!int.TryParse(indexText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) || index != row)
                    throw new BenchmarkDataException($"{path}: data row {row + 1} has nb201_index '{indexText}', expected {row} (rows must be in index order).");
                arch[row] = csv.GetField(1)!;
                for (int k = 0; k < columns.Length; k++)
                {
                    var text = csv.GetField(positions[k]);
                    if (string.IsNullOrEmpty(text) && allowEmpty) { data[columns[k]][row] = double.NaN; continue; }
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                        throw new BenchmarkDataException($"{path}: row {row} (nb201_index {row}), column {columns[k]}: '{text}' is not a number.");
                    if ((check ?? Finite)(columns[k], value) is { } problem)
                        throw new BenchmarkDataException($"{path}: row {row} (nb201_index {row}), column {columns[k]}: {text} {problem}. The file is corrupt; restore it from the source named in its PROVENANCE.md.");
                    data[columns[k]][row] = value;
                }
                row++;
            }
            if (row != expectedRows)
                throw new BenchmarkDataException($"{path}: {row} data rows, expected {expectedRows}; the file is truncated or not the full table.");
            return new Result(arch, data);
        }
        catch (CsvHelperException e)
        {
            throw new BenchmarkDataException($"{path}: not a well-formed CSV table ({e.Message.Split('\n')[0]}).");
        }
    }
}
