using NasKit.Experiments;

namespace NasKit.Tests.Experiments;

public class ProxyStudyTests
{
    // Six architectures: a cheap proxy that swaps two pairs, an expensive one that ranks them as the benchmark does.
    private static readonly string[] Archs = ["a", "b", "c", "d", "e", "f"];
    private static readonly double[] Truth = [10, 20, 30, 40, 50, 60];
    private static readonly double[] Cheap = [1, 3, 2, 5, 4, 6];

    private static ProxyMeasurement[] Measurements() =>
    [
        .. Archs.Select((a, i) => new ProxyMeasurement("cheap", a, Cheap[i], 1, false, null, Truth[i])),
        .. Archs.Select((a, i) => new ProxyMeasurement("long", a, Truth[i] / 2, 10, false, null, Truth[i])),
    ];

    [Fact]
    public void Each_proxy_is_ranked_against_the_benchmark_and_the_most_expensive_proxy()
    {
        var rows = ProxyStudy.Correlate(Measurements()).ToDictionary(r => r.Proxy);
        // scipy.stats.kendalltau([1,3,2,5,4,6], [10,...,60]) = 0.7333; spearmanr = 0.8857.
        Assert.Equal(0.733333, rows["cheap"].KendallVsBenchmark, 5);
        Assert.Equal(0.885714, rows["cheap"].SpearmanVsBenchmark, 5);
        Assert.Equal(0.733333, rows["cheap"].KendallVsMostExpensive, 5); // "long" costs most and ranks as the benchmark
        Assert.Equal(1.0, rows["long"].KendallVsBenchmark, 12);
        Assert.Equal(6, rows["cheap"].Cells);
        Assert.Equal(10, rows["long"].SecondsPerCell);
    }

    [Fact]
    public void A_free_baseline_is_ranked_on_the_same_architectures_at_no_cost()
    {
        var measurements = Measurements();
        var reversed = Archs.Zip(Cheap.Reverse()).ToDictionary(x => x.First, x => x.Second); // 6,4,5,2,3,1
        var baseline = ProxyStudy.Baseline("params", a => reversed[a], measurements);
        Assert.Equal("params", baseline.Proxy);
        Assert.Equal(-0.733333, baseline.KendallVsBenchmark, 5); // scipy: kendalltau([6,4,5,2,3,1], truth) = -0.7333
        Assert.Equal(-0.733333, baseline.KendallVsMostExpensive, 5);
        Assert.Equal(0, baseline.TotalSeconds);
        Assert.Contains("already named", Assert.Throws<ArgumentException>(() => ProxyStudy.Baseline("cheap", a => 0, measurements)).Message);
    }

    [Fact]
    public void A_scored_alongside_proxy_keeps_its_cost_and_a_nan_score_is_left_out()
    {
        var measurements = Measurements();
        // synflow-like: ranks as "cheap" does, 0.5 s per architecture, and one network it cannot score.
        var scores = Archs.Zip(Cheap).ToDictionary(x => x.First, x => x.First == "f" ? double.NaN : x.Second);
        var row = ProxyStudy.Alongside("synflow", a => (scores[a], 0.5), measurements);
        Assert.Equal(5, row.Cells);
        // scipy.stats.kendalltau([1,3,2,5,4], [10,20,30,40,50]) = 0.6; spearmanr = 0.8.
        Assert.Equal(0.6, row.KendallVsBenchmark, 5);
        Assert.Equal(0.8, row.SpearmanVsBenchmark, 5);
        Assert.Equal(3.0, row.TotalSeconds, 12);
        Assert.Equal(0.5, row.SecondsPerCell, 12);
    }
}
