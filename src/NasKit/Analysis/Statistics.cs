namespace NasKit.Analysis;

/// <summary>Summary statistics used in paper-style tables. Pure math; pinned against scipy in the tests.</summary>
public static class Statistics
{
    public static double Mean(IReadOnlyList<double> x) => x.Count == 0 ? double.NaN : x.Average();

    /// <summary>Sample standard deviation (ddof = 1), as papers report "mean ± std" over seeds.</summary>
    public static double Std(IReadOnlyList<double> x)
    {
        if (x.Count < 2) return 0;
        double m = x.Average();
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / (x.Count - 1));
    }

    /// <summary>Percentile bootstrap confidence interval of the mean.</summary>
    public static (double Low, double High) BootstrapMeanCi(IReadOnlyList<double> x, int seed, double level = 0.95, int resamples = 10_000)
    {
        if (x.Count == 0) return (double.NaN, double.NaN);
        var rng = new Random(seed);
        var means = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double s = 0;
            for (int i = 0; i < x.Count; i++) s += x[rng.Next(x.Count)];
            means[b] = s / x.Count;
        }
        Array.Sort(means);
        double alpha = (1 - level) / 2;
        return (Quantile(means, alpha), Quantile(means, 1 - alpha));
    }

    /// <summary>Linear-interpolation quantile of sorted data (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        double pos = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>
    /// Two-sided Mann-Whitney U test with the normal approximation, tie correction and continuity correction:
    /// scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic"). Returns U of x and p.
    /// </summary>
    public static (double U, double P) MannWhitneyU(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n1 = x.Count, n2 = y.Count, n = n1 + n2;
        var ranks = Ranks.Average(x.Concat(y).ToArray());
        double tieTerm = ranks.GroupBy(r => r).Sum(g => Math.Pow(g.Count(), 3) - g.Count());
        double r1 = ranks.Take(n1).Sum();
        double u1 = r1 - n1 * (n1 + 1) / 2.0;
        double mu = n1 * n2 / 2.0;
        double sigma = Math.Sqrt(n1 * (double)n2 / 12.0 * ((n + 1) - tieTerm / (n * (n - 1.0))));
        if (sigma == 0) return (u1, 1.0);
        double u = Math.Max(u1, n1 * (double)n2 - u1);
        double z = (u - mu - 0.5) / sigma;
        double p = 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -z);
        return (u1, Math.Min(1.0, p));
    }
}
