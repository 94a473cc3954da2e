using NasKit.Analysis;
using NasKit.Experiments;
using NasKit.Spaces;

namespace NasKit.Reports;

/// <summary>
/// Anytime performance of a strategy over its runs: the incumbent's outcome against the training epochs spent so far,
/// on a common grid of epochs, as the median and interquartile band over runs (the plots of the Hyperband and BOHB
/// papers). A run contributes to a grid point once it has an incumbent there.
/// </summary>
public sealed record AnytimeCurve(string Strategy, IReadOnlyList<double> Epochs, IReadOnlyList<double> Median, IReadOnlyList<double> Lower,
                                  IReadOnlyList<double> Upper)
{
    public static AnytimeCurve Of<TArch>(string strategy, IReadOnlyList<SearchRun<TArch>> runs, int budget, int points = 50)
        where TArch : class, IArchitecture
    {
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), "An anytime curve needs at least 2 points.");
        var grid = Enumerable.Range(1, points).Select(i => (double)budget * i / points).ToArray();
        var perRun = runs.Select(r =>
        {
            // Cumulative epochs after each trial: its fidelity's epochs, or where a stopping rule ended it.
            double spent = 0;
            var steps = r.Trials.Select((t, i) => (Spent: spent += t.EpochsTrained ?? 0, Value: r.BestOutcomeSoFar[i])).ToArray();
            return grid.Select(g => steps.LastOrDefault(s => s.Spent <= g) is { Spent: > 0 } s ? s.Value : double.NaN).ToArray();
        }).ToArray();
        var median = new double[points];
        var lower = new double[points];
        var upper = new double[points];
        for (int p = 0; p < points; p++)
        {
            var values = perRun.Select(v => v[p]).Where(double.IsFinite).Order().ToArray();
            (median[p], lower[p], upper[p]) = values.Length == 0 ? (double.NaN, double.NaN, double.NaN)
                : (Statistics.Quantile(values, 0.5), Statistics.Quantile(values, 0.25), Statistics.Quantile(values, 0.75));
        }
        return new AnytimeCurve(strategy, grid, median, lower, upper);
    }
}
