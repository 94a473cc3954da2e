namespace NasKit.Analysis;

/// <summary>
/// Rank agreement between two scorings of the same items: how well a cheap estimate orders architectures like
/// the expensive truth. Kendall τ-b handles ties as scipy.stats.kendalltau does; Spearman ρ is the Pearson
/// correlation of average ranks (scipy.stats.spearmanr). Pinned against scipy in the tests.
/// </summary>
public static class RankCorrelation
{
    /// <summary>
    /// Kendall τ-b by Knight's O(n log n) algorithm, as scipy computes it: sort by x (ties by y), then the discordant
    /// pairs are the inversions of y, counted by a merge sort. τ-b = (n₀ − n_x − n_y + n_xy − 2·discordant) /
    /// √((n₀ − n_x)(n₀ − n_y)), with n₀ all pairs and n_x, n_y, n_xy the pairs tied in x, in y and in both.
    /// Counting pairs one by one is quadratic: 122 million pairs for NB201's 15,625 cells, 89.7 billion for NAS-Bench-101's 423,624.
    /// </summary>
    public static double KendallTauB(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        int n = x.Count;
        // CompareTo, not the sign of a difference: −∞ − (−∞) is NaN, but two −∞ are a tie.
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => x[a].CompareTo(x[b]) is var c and not 0 ? c : y[a].CompareTo(y[b]));
        bool SameX(int i) => x[order[i - 1]].CompareTo(x[order[i]]) == 0;
        long tiedX = TiedPairs(n, SameX);
        long tiedBoth = TiedPairs(n, i => SameX(i) && y[order[i - 1]].CompareTo(y[order[i]]) == 0);
        var ys = order.Select(i => y[i]).ToArray();
        long discordant = SortCountingInversions(ys, new double[n], 0, n);
        long tiedY = TiedPairs(n, i => ys[i - 1].CompareTo(ys[i]) == 0);
        long pairs = (long)n * (n - 1) / 2;
        double denom = Math.Sqrt((double)(pairs - tiedX) * (pairs - tiedY));
        return denom == 0 ? double.NaN : (pairs - tiedX - tiedY + tiedBoth - 2 * discordant) / denom;
    }

    /// <summary>Pairs within runs of equal items of a sorted sequence of n (item i equals item i − 1): t(t−1)/2 per run of t.</summary>
    private static long TiedPairs(int n, Func<int, bool> equalsPrevious)
    {
        long pairs = 0, run = 1;
        for (int i = 1; i <= n; i++)
        {
            if (i < n && equalsPrevious(i)) { run++; continue; }
            pairs += run * (run - 1) / 2;
            run = 1;
        }
        return pairs;
    }

    /// <summary>Sorts v[lo..hi) and returns how many pairs i &lt; j had v[i] &gt; v[j] (strictly: equal values are ties, not inversions).</summary>
    private static long SortCountingInversions(double[] v, double[] buffer, int lo, int hi)
    {
        if (hi - lo < 2) return 0;
        int mid = (lo + hi) / 2;
        long inversions = SortCountingInversions(v, buffer, lo, mid) + SortCountingInversions(v, buffer, mid, hi);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi)
        {
            if (v[j].CompareTo(v[i]) < 0) { inversions += mid - i; buffer[k++] = v[j++]; }
            else buffer[k++] = v[i++];
        }
        while (i < mid) buffer[k++] = v[i++];
        while (j < hi) buffer[k++] = v[j++];
        Array.Copy(buffer, lo, v, lo, hi - lo);
        return inversions;
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
