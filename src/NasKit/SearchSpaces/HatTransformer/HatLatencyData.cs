using System.Globalization;
using NasKit.Benchmarks;

namespace NasKit.SearchSpaces.HatTransformer;

/// <summary>One measured configuration: its features and HAT's target, encoder plus decoder mean latency (ms).</summary>
public sealed record HatLatencySample(HatConfiguration Configuration, double LatencyMs);

/// <summary>
/// HAT's latency data sets (<c>hat-latency/&lt;task&gt;_&lt;device&gt;_all.csv</c>, 2,000 configurations each): the 10
/// features and the measured encoder and decoder latencies. HAT's predictor learns their sum.
/// </summary>
public static class HatLatencyData
{
    /// <summary>The data sets present, by name (<c>wmt14ende_cpu_xeon</c>, ...), in name order.</summary>
    public static IReadOnlyList<string> Names(DataLocator? locator = null)
    {
        var dir = (locator ?? DataLocator.Default).Find("hat-latency");
        return Directory.GetFiles(dir, "*_all.csv").Select(f => Path.GetFileName(f)[..^"_all.csv".Length]).Order(StringComparer.Ordinal).ToArray();
    }

    public static IReadOnlyList<HatLatencySample> Load(string name, DataLocator? locator = null)
    {
        var path = (locator ?? DataLocator.Default).Find($"hat-latency/{name}_all.csv");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',') ?? throw new BenchmarkDataException($"{path} is empty.");
        string[] expected = [.. HatConfiguration.FeatureNames, "latency_mean_encoder", "latency_mean_decoder", "latency_std_encoder", "latency_std_decoder"];
        if (!header.SequenceEqual(expected))
            throw new BenchmarkDataException($"{path}: columns are {string.Join(",", header)}; expected {string.Join(",", expected)}.");
        var samples = new List<HatLatencySample>();
        int line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var cells = text.Split(',');
            if (cells.Length != expected.Length) throw new BenchmarkDataException($"{path} line {line}: {cells.Length} values, expected {expected.Length}.");
            var v = new double[cells.Length];
            for (int i = 0; i < cells.Length; i++)
                if (!double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i]) || v[i] < 0)
                    throw new BenchmarkDataException($"{path} line {line}: {expected[i]} is '{cells[i]}', not a finite number of at least 0.");
            double latency = v[10] + v[11];
            if (!(latency > 0)) throw new BenchmarkDataException($"{path} line {line}: the latencies sum to {latency} ms; a measured latency is positive.");
            samples.Add(new HatLatencySample(new HatConfiguration(v[..10]), latency));
        }
        if (samples.Count < 10) throw new BenchmarkDataException($"{path} holds {samples.Count} configurations; HAT's sets hold 2,000 (is the file truncated?).");
        return samples;
    }
}
