using MathNet.Numerics;

namespace NasKit.Estimation.Stopping;

/// <summary>A prediction of a learning curve's value at a later step: mean and standard deviation.</summary>
public readonly record struct CurvePrediction(double Mean, double Std);

/// <summary>
/// Learning-curve extrapolation in the spirit of Domhan et al. (IJCAI 2015): fit parametric families to a partial
/// curve of scores (higher is better) and combine their predictions, weighted by how well each fits. The families are
/// saturating ones from that paper (pow3: c − a·t^−α; exp3: c − a·e^(−b·t)) and the log-linear c + a·ln t, fitted by
/// least squares (for each shape α or b on a grid, c and a by a straight-line fit); weights ∝ exp(−BIC/2). The spread is
/// the mixture's: each family's residual variance plus the disagreement between families. The paper's MCMC over 11
/// families is replaced by this cheaper ensemble.
/// </summary>
public static class CurveExtrapolation
{
    /// <summary>Points needed before a curve is extrapolated (the families have 3 parameters).</summary>
    public const int MinPoints = 4;

    public static CurvePrediction Predict(IReadOnlyList<double> scores, int step)
    {
        int n = scores.Count;
        if (n < MinPoints) throw new ArgumentException($"Extrapolation needs at least {MinPoints} points of the curve; got {n}.");
        if (scores.Any(v => !double.IsFinite(v))) throw new ArgumentException("The curve holds a value that is not finite.");
        var t = Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        var y = scores.ToArray();
        double last = y[^1], span = Math.Max(Math.Abs(y[^1] - y[0]), 1e-3);
        var fits = new List<(double Prediction, double Rss, int K)>();

        // Each saturating family is linear in (c, a) once its shape parameter is fixed (variable projection): a least-
        // squares line for every shape on a log-spaced grid, keeping the best. Deterministic, and it cannot stall.
        FitShape(alpha => x => Math.Pow(x, -alpha), 0.1, 5);       // pow3: c − a·t^−α
        FitShape(rate => x => Math.Exp(-rate * x), 0.01, 3);        // exp3: c − a·e^(−b·t)

        void FitShape(Func<double, Func<double, double>> basis, double low, double high)
        {
            (double Prediction, double Rss)? bestFit = null;
            for (int g = 0; g < 200; g++)
            {
                var phi = basis(low * Math.Pow(high / low, g / 199.0));
                var u = t.Select(phi).ToArray();
                if (u.Max() - u.Min() < 1e-12) continue; // a flat basis cannot be fitted
                var (c, slope) = Fit.Line(u, y);           // y = c + slope·φ(t), slope = −a
                if (slope > 0) continue;                   // a < 0: a curve that gets worse for ever is no learning curve
                double rss = 0;
                for (int i = 0; i < n; i++) { double r = c + slope * u[i] - y[i]; rss += r * r; }
                double prediction = c + slope * phi(step);
                if (double.IsFinite(rss) && double.IsFinite(prediction) && (bestFit is null || rss < bestFit.Value.Rss)) bestFit = (prediction, rss);
            }
            if (bestFit is { } b) fits.Add((b.Prediction, b.Rss, 3));
        }
        // A curve no saturating family fits as improving (a loss that rises) is predicted to stay where it ends.
        if (fits.Count == 0)
        {
            double sd = Math.Sqrt(y.Skip(n / 2).Select(v => (v - last) * (v - last)).Average());
            return new CurvePrediction(last, sd);
        }

        // Weights from the BIC; a family that fits no worse than rounding gets the floor of the residual variance.
        double floor = 1e-12 * Math.Max(1, y.Select(v => Math.Abs(v)).Max());
        var bic = fits.Select(f => n * Math.Log(Math.Max(f.Rss, floor) / n) + f.K * Math.Log(n)).ToArray();
        double minBic = bic.Min();
        var w = bic.Select(b => Math.Exp(-(b - minBic) / 2)).ToArray();
        double sum = w.Sum();
        double mean = fits.Select((f, i) => w[i] * f.Prediction).Sum() / sum;
        double variance = fits.Select((f, i) => w[i] * (Math.Max(f.Rss, floor) / Math.Max(1, n - f.K) + (f.Prediction - mean) * (f.Prediction - mean))).Sum() / sum;
        return new CurvePrediction(mean, Math.Sqrt(variance));
    }
}

/// <summary>
/// Stops a trial when its extrapolated final score is unlikely to beat the best finished trial's final score:
/// P(final &gt; best) &lt; <see cref="Threshold"/> under the extrapolation's normal approximation (Domhan et al.'s rule,
/// with their δ = 0.05). It waits for <see cref="CurveExtrapolation.MinPoints"/> points and one finished trial.
/// </summary>
public sealed class ExtrapolationStoppingRule : IStoppingRule
{
    public string Name => "extrapolation";
    public string Description => "Learning-curve extrapolation (Domhan et al. 2015 in spirit): stop when P(final > best finished) < 5%.";
    public int Order => 10;

    public double Threshold { get; init; } = 0.05;

    public bool ShouldStop(IReadOnlyList<double> curve, IReadOnlyList<IReadOnlyList<double>> finished, int target)
    {
        if (curve.Count < CurveExtrapolation.MinPoints || curve.Count >= target) return false;
        var best = finished.Where(c => c.Count >= target).Select(c => c[target - 1]).DefaultIfEmpty(double.NaN).Max();
        if (double.IsNaN(best)) return false;
        var p = CurveExtrapolation.Predict(curve, target);
        double probability = p.Std > 0 ? 1 - MathNet.Numerics.Distributions.Normal.CDF(p.Mean, p.Std, best) : (p.Mean > best ? 1 : 0);
        return probability < Threshold;
    }
}
