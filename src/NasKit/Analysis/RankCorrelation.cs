namespace NasKit.Analysis;

/// <summary>
/// Rank agreement between two scorings of the same items: how well a cheap estimate orders architectures like
/// the expensive truth. Kendall τ-b handles ties as scipy.stats.kendalltau does; Spearman ρ is the Pearson
/// correlation of average ranks (scipy.stats.spearmanr). Pinned against scipy in the tests.
/// </summary>
public static class RankCorrelation
{
    public static double KendallTauB(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        int n = x.Count;
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                // CompareTo, not the sign of a difference: −∞ − (−∞) is NaN, but two −∞ are a tie.
                int sx = x[i].CompareTo(x[j]), sy = y[i].CompareTo(y[j]);
                if (sx == 0 && sy == 0) continue;          // tied in both: counts in neither
                if (sx == 0) { tiesX++; continue; }
                if (sy == 0) { tiesY++; continue; }
                if (sx == sy) concordant++; else discordant++;
            }
        double denom = Math.Sqrt((double)(concordant + discordant + tiesX) * (concordant + discordant + tiesY));
        return denom == 0 ? double.NaN : (concordant - discordant) / denom;
    }

    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>Fraction of the top-k items by <paramref name="x"/> that are also top-k by <paramref name="y"/>.</summary>
    public static double TopKOverlap(IReadOnlyList<double> x, IReadOnlyList<double> y, int k)
    {
        Check(x, y);
        if (k <= 0 || k > x.Count) throw new ArgumentOutOfRangeException(nameof(k), $"k must be in 1..{x.Count}.");
        var topX = Enumerable.Range(0, x.Count).OrderByDescending(i => x[i]).ThenBy(i => i).Take(k).ToHashSet();
        var topY = Enumerable.Range(0, y.Count).OrderByDescending(i => y[i]).ThenBy(i => i).Take(k);
        return topY.Count(topX.Contains) / (double)k;
    }

    /// <summary>Percentile bootstrap CI of a paired statistic (resampling items with replacement).</summary>
    public static (double Low, double High) BootstrapCi(IReadOnlyList<double> x, IReadOnlyList<double> y,
        Func<IReadOnlyList<double>, IReadOnlyList<double>, double> statistic, int seed, double level = 0.95, int resamples = 1000)
    {
        Check(x, y);
        var rng = new Random(seed);
        var values = new List<double>(resamples);
        var bx = new double[x.Count];
        var by = new double[y.Count];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < x.Count; i++) { int j = rng.Next(x.Count); bx[i] = x[j]; by[i] = y[j]; }
            double v = statistic(bx, by);
            if (!double.IsNaN(v)) values.Add(v);
        }
        if (values.Count == 0) return (double.NaN, double.NaN);
        values.Sort();
        double alpha = (1 - level) / 2;
        return (Statistics.Quantile(values, alpha), Statistics.Quantile(values, 1 - alpha));
    }

    /// <summary>Average ranks (1-based), ties sharing the mean of their positions.</summary>
    public static double[] Ranks(IReadOnlyList<double> v)
    {
        var order = Enumerable.Range(0, v.Count).OrderBy(i => v[i]).ToArray();
        var ranks = new double[v.Count];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && v[order[j + 1]] == v[order[i]]) j++;
            double r = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = r;
            i = j + 1;
        }
        return ranks;
    }

    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++) { double a = x[i] - mx, b = y[i] - my; sxy += a * b; sxx += a * a; syy += b * b; }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    private static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"Paired samples must have the same length ({x.Count} vs {y.Count}).");
        if (x.Count < 2) throw new ArgumentException("Need at least two pairs.");
        if (x.Any(double.IsNaN) || y.Any(double.IsNaN)) throw new ArgumentException("Rank correlation of NaN values is undefined; drop them first.");
    }
}
