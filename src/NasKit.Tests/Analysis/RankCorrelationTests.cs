using NasKit.SearchSpaces.Nb201;
using NasKit.Analysis;
using NasKit.Benchmarks;

namespace NasKit.Tests.Analysis;

/// <summary>
/// Reference values from scipy 1.10.1 (Debian 12 python3-scipy, run with /usr/bin/python3):
/// <code>
/// from scipy.stats import kendalltau, spearmanr
/// x=[3.1,2.0,5.5,5.5,1.0,4.2,2.0,7.7,6.1,0.5,3.3,4.2]; y=[2.9,1.0,6.0,4.4,1.5,4.4,3.0,8.0,5.0,0.2,2.2,4.4]
/// print(kendalltau(x,y).statistic, spearmanr(x,y).statistic)            # 0.8095238095238095 0.9309749095084011
/// # NB201: 12-epoch CIFAR-10 x-valid (nb201_acc_12ep.csv) vs 200-epoch cifar10_oritest (nb201_acc_200ep.csv)
/// idx=range(0,15625,50)   ->  0.6268675116558113 0.8017928035579782     (313 cells)
/// all 15,625 cells        ->  0.5941848106839961 0.7716907551953486
/// </code>
/// </summary>
public class RankCorrelationTests
{
    private static readonly double[] X = [3.1, 2.0, 5.5, 5.5, 1.0, 4.2, 2.0, 7.7, 6.1, 0.5, 3.3, 4.2];
    private static readonly double[] Y = [2.9, 1.0, 6.0, 4.4, 1.5, 4.4, 3.0, 8.0, 5.0, 0.2, 2.2, 4.4];

    [Fact]
    public void Kendall_tau_b_handles_ties_like_scipy() => Assert.Equal(0.8095238095238095, RankCorrelation.KendallTauB(X, Y), 12);

    [Fact]
    public void Kendall_tau_b_equals_counting_every_pair()
    {
        // The definition, pair by pair, against the O(n log n) algorithm: many ties, infinities, both orders.
        static double ByPairs(double[] x, double[] y)
        {
            long c = 0, d = 0, tx = 0, ty = 0;
            for (int i = 0; i < x.Length; i++)
                for (int j = i + 1; j < x.Length; j++)
                {
                    int sx = x[i].CompareTo(x[j]), sy = y[i].CompareTo(y[j]);
                    if (sx == 0 && sy == 0) continue;
                    if (sx == 0) tx++;
                    else if (sy == 0) ty++;
                    else if (sx == sy) c++;
                    else d++;
                }
            return (c - d) / Math.Sqrt((double)(c + d + tx) * (c + d + ty));
        }
        var rng = new Random(7);
        double[] values = [double.NegativeInfinity, -1, 0, 0.5, 1, 2, double.PositiveInfinity];
        for (int trial = 0; trial < 300; trial++)
        {
            int n = rng.Next(2, 60);
            var x = Enumerable.Range(0, n).Select(_ => values[rng.Next(trial % 2 == 0 ? 3 : values.Length)]).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.5 ? values[rng.Next(values.Length)] : rng.NextDouble()).ToArray();
            double expected = ByPairs(x, y), actual = RankCorrelation.KendallTauB(x, y);
            if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual), $"trial {trial}: {actual}");
            else Assert.Equal(expected, actual, 12);
        }
    }

    [Fact]
    public void Spearman_uses_average_ranks_like_scipy() => Assert.Equal(0.9309749095084011, RankCorrelation.Spearman(X, Y), 12);

    [Fact]
    public void Both_match_scipy_on_nb201_12_vs_200_epochs()
    {
        var b = TestData.Nb201;
        var cells = Enumerable.Range(0, 15625).Where(i => i % 50 == 0).Select(b.CellAt).ToArray();
        var x = cells.Select(c => b.ValidAccuracy(c, Nb201Dataset.Cifar10, 12)).ToArray();
        var y = cells.Select(c => b.TestAccuracy(c)).ToArray();
        Assert.Equal(0.6268675116558113, RankCorrelation.KendallTauB(x, y), 10);
        Assert.Equal(0.8017928035579782, RankCorrelation.Spearman(x, y), 10);
        var all = b.Cells;
        Assert.Equal(0.5941848106839961, RankCorrelation.KendallTauB(all.Select(c => b.ValidAccuracy(c, Nb201Dataset.Cifar10, 12)).ToArray(), all.Select(c => b.TestAccuracy(c)).ToArray()), 10);
    }

    [Fact]
    public void Perfect_and_reversed_orders_and_top_k()
    {
        var a = Enumerable.Range(0, 30).Select(i => (double)i).ToArray();
        Assert.Equal(1, RankCorrelation.KendallTauB(a, a), 12);
        Assert.Equal(-1, RankCorrelation.Spearman(a, a.Select(v => -v).ToArray()), 12);
        Assert.Equal(1, RankCorrelation.TopKOverlap(a, a.Select(v => v * 2).ToArray(), 5));
        Assert.Equal(0, RankCorrelation.TopKOverlap(a, a.Select(v => -v).ToArray(), 5));
        Assert.Throws<ArgumentException>(() => RankCorrelation.Spearman(a, a.Take(3).ToArray()));
    }

    [Fact]
    public void Bootstrap_interval_brackets_the_statistic()
    {
        var (lo, hi) = RankCorrelation.BootstrapCi(X, Y, RankCorrelation.KendallTauB, seed: 1);
        Assert.InRange(RankCorrelation.KendallTauB(X, Y), lo, hi);
        Assert.True(hi <= 1 && lo > 0);
    }

    [Fact]
    public void Infinite_scores_are_ranks_not_arithmetic()
    {
        // Unusable networks score −∞ (a NaN proxy ranked last): two of them are a tie, as the finite stand-in −1e9 is.
        double[] x = [double.NegativeInfinity, 0.5, double.NegativeInfinity, 2.0, 1.0];
        double[] stand = [-1e9, 0.5, -1e9, 2.0, 1.0];
        double[] y = [10, 80, 12, 90, 85];
        Assert.Equal(RankCorrelation.KendallTauB(stand, y), RankCorrelation.KendallTauB(x, y), 12);
        Assert.Equal(RankCorrelation.Spearman(stand, y), RankCorrelation.Spearman(x, y), 12);
    }
}
