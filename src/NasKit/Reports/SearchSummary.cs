using NasKit.Analysis;
using NasKit.Experiments;
using NasKit.Spaces;

namespace NasKit.Reports;

/// <summary>One line of a paper-style comparison table.</summary>
public sealed record StrategySummary(string Strategy, int Runs, double Mean, double Std, double CiLow, double CiHigh,
                                     string ComparedWith, double PValue);

/// <summary>Turns search runs into the figures papers report: trajectories, mean ± std, CIs and tests.</summary>
public static class SearchSummary
{
    /// <summary>Mean best-so-far outcome after each query, with a 95% normal band of the mean (±1.96 s/√n).</summary>
    public static (double[] Mean, double[] Low, double[] High) Trajectory<TArch>(IReadOnlyList<SearchRun<TArch>> runs)
        where TArch : class, IArchitecture
    {
        int len = runs.Max(r => r.BestOutcomeSoFar.Count);
        var mean = new double[len];
        var low = new double[len];
        var high = new double[len];
        for (int q = 0; q < len; q++)
        {
            var values = runs.Where(r => r.BestOutcomeSoFar.Count > q && !double.IsNaN(r.BestOutcomeSoFar[q]))
                .Select(r => r.BestOutcomeSoFar[q]).ToArray();
            double m = Statistics.Mean(values), half = 1.96 * Statistics.Std(values) / Math.Sqrt(Math.Max(1, values.Length));
            (mean[q], low[q], high[q]) = (m, m - half, m + half);
        }
        return (mean, low, high);
    }

    /// <summary>
    /// Mean ± std, a 95% bootstrap CI of the mean, and a two-sided Mann-Whitney U test of each strategy against
    /// the strategy with the best mean.
    /// </summary>
    public static IReadOnlyList<StrategySummary> Table<TArch>(IEnumerable<SearchRun<TArch>> runs, int seed = 0)
        where TArch : class, IArchitecture
    {
        var groups = runs.GroupBy(r => r.Strategy).Select(g => (Name: g.Key, Outcomes: g.Select(r => r.Outcome).ToArray())).ToArray();
        var best = groups.MaxBy(g => Statistics.Mean(g.Outcomes));
        return groups.Select(g =>
        {
            var (lo, hi) = Statistics.BootstrapMeanCi(g.Outcomes, seed);
            double p = g.Name == best.Name ? 1.0 : Statistics.MannWhitneyU(g.Outcomes, best.Outcomes).P;
            return new StrategySummary(g.Name, g.Outcomes.Length, Statistics.Mean(g.Outcomes), Statistics.Std(g.Outcomes), lo, hi, best.Name, p);
        }).ToArray();
    }
}
