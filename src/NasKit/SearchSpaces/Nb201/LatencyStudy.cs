using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Estimation.Predictors;
using NasKit.Hardware;
using NasKit.Networks;
using TorchSharp;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>How well a cost predicts one device's latency: rank correlation and, for fitted models, error.</summary>
/// <remarks>MAPE explodes on devices where some cells take almost no time (HW-NAS-Bench gives output-disconnected cells
/// latencies of a few microseconds on Raspberry Pi 4 and Pixel 3), so the median absolute percentage error is
/// reported beside it.</remarks>
public sealed record CostAgreement(string Device, string Predictor, int TrainCells, int TestCells, double Kendall, double Spearman,
                                   double MapePercent, double MedianApePercent = double.NaN);

/// <summary>
/// The HW-NAS-Bench question: do theoretical costs (FLOPs, parameters) rank architectures like real latency on a
/// device, and how well do learned latency models do? Latencies come from HW-NAS-Bench and HELP tables and from
/// direct measurement on this machine.
/// </summary>
public static class LatencyStudy
{
    public const string HelpFile = "help-nb201-latency/help_nb201_latency_ms.csv";

    /// <summary>HW-NAS-Bench latencies plus a few HELP devices (desktop GPU, server CPU, phone), per cell index.</summary>
    public static IReadOnlyDictionary<string, double[]> TableLatencies(Nb201Benchmark bench, DataLocator? locator = null)
    {
        var result = new Dictionary<string, double[]>();
        foreach (var m in Nb201Benchmark.HardwareMetrics.Where(m => m.EndsWith("_latency")))
            result[m.Replace("_latency", "")] = bench.Cells.Select(c => bench.Hardware(c, m)).ToArray();
        var help = Nb201Table.ReadIndexed((locator ?? DataLocator.Default).Find(HelpFile), Nb201Cell.SpaceSize,
            ["titan_rtx_1", "titan_rtx_256", "gold_6226", "samsung_a50", "essential_ph_1"], check: Nb201Table.Cost());
        foreach (var (k, v) in help.Columns) result["help:" + k] = v;
        return result;
    }

    /// <summary>Kendall τ and Spearman ρ of FLOPs and of parameters with each device's latency.</summary>
    public static IReadOnlyList<CostAgreement> TheoreticalVsMeasured(IReadOnlyList<Nb201Cell> cells, IReadOnlyDictionary<string, double[]> latencyByDevice)
    {
        var flops = cells.Select(c => (double)Nb201CostModel.Flops(c, Nb201Network.Cifar10Shape)).ToArray();
        var parameters = cells.Select(c => (double)Nb201CostModel.Parameters(c, Nb201Network.Cifar10Shape)).ToArray();
        var rows = new List<CostAgreement>();
        foreach (var (device, lat) in latencyByDevice)
        {
            var ok = Enumerable.Range(0, cells.Count).Where(i => !double.IsNaN(lat[i])).ToArray();
            foreach (var (name, cost) in new[] { ("flops", flops), ("params", parameters) })
            {
                var x = ok.Select(i => cost[i]).ToArray();
                var y = ok.Select(i => lat[i]).ToArray();
                rows.Add(new CostAgreement(device, name, 0, ok.Length, RankCorrelation.KendallTauB(x, y), RankCorrelation.Spearman(x, y), double.NaN));
            }
        }
        return rows;
    }

    /// <summary>Fits each latency predictor on <paramref name="train"/> and scores it on <paramref name="test"/>.</summary>
    public static IEnumerable<CostAgreement> Predictors(string device, IReadOnlyList<Nb201Cell> train, double[] trainLatency,
                                                        IReadOnlyList<Nb201Cell> test, double[] testLatency, Nb201Space space)
    {
        foreach (var predictor in new IPredictor<Nb201Cell>[] { new OpLookupTable(), new RidgeRegression<Nb201Cell>(space, lambda: 1.0) })
        {
            predictor.Fit(train, trainLatency);
            var predicted = predictor.Query(test).Select(p => p.Mean).ToArray();
            var ape = testLatency.Select((t, i) => 100 * Math.Abs(predicted[i] - t) / Math.Abs(t)).Order().ToArray();
            yield return new CostAgreement(device, predictor.Name, train.Count, test.Count,
                RankCorrelation.KendallTauB(predicted, testLatency), RankCorrelation.Spearman(predicted, testLatency),
                ape.Average(), Statistics.Quantile(ape, 0.5));
        }
    }

    /// <summary>Measures the inference latency of each cell's C=16, N=5 network on a device (median of repeats).</summary>
    public static double[] Measure(IReadOnlyList<Nb201Cell> cells, int batch, torch.Device device, int repeats = 10, Action? onMeasured = null)
    {
        var result = new double[cells.Count];
        for (int i = 0; i < cells.Count; i++)
        {
            using (var net = new Nb201Network(cells[i], Nb201Network.Cifar10Shape))
                result[i] = LatencyMeter.Measure(net, batch, repeats: repeats, device: device).MedianMs;
            onMeasured?.Invoke();
        }
        return result;
    }
}
