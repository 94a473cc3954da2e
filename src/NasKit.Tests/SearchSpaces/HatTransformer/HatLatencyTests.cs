using NasKit.Benchmarks;
using NasKit.SearchSpaces.HatTransformer;

namespace NasKit.Tests.SearchSpaces.HatTransformer;

public class HatLatencyTests
{
    [Fact]
    public void Every_data_set_holds_HATs_2000_configurations()
    {
        var names = HatLatencyData.Names();
        Assert.Equal(8, names.Count);
        Assert.Contains("wmt14ende_cpu_xeon", names);
        foreach (var name in names)
        {
            var samples = HatLatencyData.Load(name);
            Assert.Equal(2000, samples.Count);
            Assert.All(samples, s => Assert.InRange(s.Configuration.Features[1], 1, 6)); // encoder layers
        }
        // The first row of the Xeon set: latency = encoder 9.9225 ms + decoder 236.7689 ms.
        var first = HatLatencyData.Load("wmt14ende_cpu_xeon")[0];
        Assert.Equal(9.922519326210022 + 236.7689162492752, first.LatencyMs, 9);
        Assert.Equal(640, first.Configuration.Features[0]);
    }

    [Fact]
    public void A_corrupt_file_is_refused_with_its_line()
    {
        var dir = Directory.CreateTempSubdirectory();
        Directory.CreateDirectory(Path.Combine(dir.FullName, "hat-latency"));
        var good = File.ReadAllLines(new DataLocator(Environment.GetEnvironmentVariable(DataLocator.EnvironmentVariable) ?? "").Find("hat-latency/wmt14ende_cpu_xeon_all.csv"));
        var lines = good.Take(20).ToArray();
        lines[5] = "oops" + lines[5][lines[5].IndexOf(',')..]; // line 6 of the file: its first value is not a number
        File.WriteAllLines(Path.Combine(dir.FullName, "hat-latency", "broken_cpu_x_all.csv"), lines);
        var e = Assert.Throws<BenchmarkDataException>(() => HatLatencyData.Load("broken_cpu_x", new DataLocator(dir.FullName)));
        Assert.Contains("line 6: encoder_embed_dim is 'oops'", e.Message);
        dir.Delete(recursive: true);
    }

    [Fact]
    public void The_predictors_rank_held_out_latencies()
    {
        // HAT's split of the Xeon set; latency grows with layers and widths, so every predictor must rank the test
        // configurations far better than chance, and HAT's MLP must beat predicting the mean.
        var samples = HatLatencyData.Load("wmt14ende_cpu_xeon");
        var results = HatLatencyStudy.Run("xeon", samples, 0, HatLatencyStudy.DefaultPredictors(0, mlpSteps: 2000));
        Assert.Equal(["hat-mlp", "ridge(hat-features)", "gbdt(hat-features)"], results.Select(r => r.Predictor));
        Assert.All(results, r => Assert.True(r.KendallTau > 0.6, $"{r.Predictor}: tau {r.KendallTau}"));
        double spread = Math.Sqrt(samples.Select(s => s.LatencyMs).Select(l => (l - samples.Average(x => x.LatencyMs)) * (l - samples.Average(x => x.LatencyMs))).Average());
        Assert.True(results[0].RmseMs < spread, $"HAT's MLP RMSE {results[0].RmseMs} ms must be below the latencies' spread {spread} ms");
    }
}
