using MathNet.Numerics.Distributions;

namespace NasKit.Analysis;

/// <summary>
/// Friedman's test over methods ranked within each block (benchmark or data set), with Iman and Davenport's F
/// form that Demšar (2006) recommends.
/// </summary>
/// <param name="AverageRanks">Mean rank of each method over the blocks, 1 for the best.</param>
/// <param name="ChiSquare">Friedman's statistic, tie-corrected as scipy.stats.friedmanchisquare.</param>
public sealed record FriedmanResult(IReadOnlyList<double> AverageRanks, int Blocks, double ChiSquare, double P, double ImanDavenportF, double FP);

/// <summary>
/// Demšar's (2006) comparison of several methods over several benchmarks: the Friedman test, then the Nemenyi
/// post-hoc test whose critical difference (CD) of average ranks the critical-difference diagram draws.
/// </summary>
public static class CriticalDifference
{
    /// <summary>
    /// The Friedman test on <paramref name="scores"/>[block][method]. Within a block, the best score gets rank 1
    /// (the highest when <paramref name="higherIsBetter"/>); ties share the average rank.
    /// </summary>
    public static FriedmanResult Friedman(IReadOnlyList<IReadOnlyList<double>> scores, bool higherIsBetter = true)
    {
        int n = scores.Count;
        if (n < 2) throw new ArgumentException($"The Friedman test needs at least 2 blocks (benchmarks), got {n}.");
        int k = scores[0].Count;
        if (k < 2) throw new ArgumentException($"The Friedman test compares at least 2 methods, got {k}.");
        if (scores.Any(b => b.Count != k)) throw new ArgumentException("Every block needs a score for every method.");
        if (scores.Any(b => b.Any(v => !double.IsFinite(v)))) throw new ArgumentException("The Friedman test needs finite scores; a block has a NaN.");
        var sums = new double[k];
        double ties = 0;
        foreach (var block in scores)
        {
            var ranks = Ranks.Average(block.Select(v => higherIsBetter ? -v : v).ToArray());
            for (int j = 0; j < k; j++) sums[j] += ranks[j];
            ties += ranks.GroupBy(r => r).Sum(g => Math.Pow(g.Count(), 3) - g.Count());
        }
        var average = sums.Select(s => s / n).ToArray();
        double chi = FriedmanStatistic(average, n);
        chi /= 1 - ties / (n * (Math.Pow(k, 3) - k)); // scipy's tie correction
        return Result(average, n, chi);
    }

    /// <summary>Friedman's test from published average ranks (no tie correction: Demšar's formula, for worked examples).</summary>
    public static FriedmanResult FromAverageRanks(IReadOnlyList<double> averageRanks, int blocks) =>
        Result(averageRanks.ToArray(), blocks, FriedmanStatistic(averageRanks, blocks));

    private static double FriedmanStatistic(IReadOnlyList<double> r, int n)
    {
        int k = r.Count;
        return 12.0 * n / (k * (k + 1.0)) * (r.Sum(v => v * v) - k * (k + 1.0) * (k + 1.0) / 4);
    }

    private static FriedmanResult Result(double[] average, int n, double chi)
    {
        int k = average.Length;
        // Upper tails from the regularized functions directly: 1 - CDF loses every digit below 1e-16.
        double p = MathNet.Numerics.SpecialFunctions.GammaUpperRegularized((k - 1) / 2.0, chi / 2);
        double denominator = n * (k - 1.0) - chi;
        double f = denominator <= 0 ? double.PositiveInfinity : (n - 1.0) * chi / denominator;
        double d1 = k - 1, d2 = (k - 1.0) * (n - 1);
        double fp = double.IsPositiveInfinity(f) ? 0 : MathNet.Numerics.SpecialFunctions.BetaRegularized(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
        return new FriedmanResult(average, n, chi, p, f, fp);
    }

    /// <summary>
    /// Nemenyi's critical difference of average ranks for <paramref name="methods"/> methods over
    /// <paramref name="blocks"/> blocks: q_α √(k(k+1)/(6N)), with q_α the studentized range quantile over √2
    /// (Demšar's Table 5: 2.569 for k = 4 at α = 0.05).
    /// </summary>
    public static double NemenyiCd(int methods, int blocks, double alpha = 0.05)
    {
        if (methods < 2 || blocks < 1) throw new ArgumentException("A critical difference needs at least 2 methods and 1 block.");
        return NemenyiQ(methods, alpha) * Math.Sqrt(methods * (methods + 1.0) / (6.0 * blocks));
    }

    /// <summary>q_α of the Nemenyi test: the (1 - α) quantile of the studentized range of k means (infinite df), over √2.</summary>
    public static double NemenyiQ(int methods, double alpha = 0.05)
    {
        if (alpha is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(alpha), "α must be in (0, 1).");
        return StudentizedRangeQuantile(1 - alpha, methods) / Math.Sqrt(2);
    }

    /// <summary>
    /// P(range of k standard normals ≤ q) = k ∫ φ(z) [Φ(z + q) − Φ(z)]^(k−1) dz: the studentized range with infinite
    /// degrees of freedom (the Nemenyi test's case), integrated numerically.
    /// </summary>
    public static double StudentizedRangeCdf(double q, int k)
    {
        if (q <= 0) return 0;
        return k * MathNet.Numerics.Integration.GaussLegendreRule.Integrate(
            z => Normal.PDF(0, 1, z) * Math.Pow(Normal.CDF(0, 1, z + q) - Normal.CDF(0, 1, z), k - 1), -12, 12, 256);
    }

    public static double StudentizedRangeQuantile(double p, int k) =>
        MathNet.Numerics.RootFinding.Brent.FindRoot(q => StudentizedRangeCdf(q, k) - p, 1e-6, 40, 1e-12, 200);
}
