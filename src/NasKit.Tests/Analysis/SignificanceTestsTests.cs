using NasKit.Analysis;

namespace NasKit.Tests.Analysis;

/// <summary>
/// Reference values from scipy 1.10.1 (Debian 12 python3-scipy); the script is /usr/bin/python3 with:
/// <code>
/// from scipy import stats; import numpy as np
/// stats.wilcoxon(U, V)                          # exact: no zeros, no tied |differences|, n = 20
/// stats.wilcoxon(A, B, method='approx')         # zeros and ties
/// stats.wilcoxon(X, Y, method='approx')         # tied |differences|: NasKit takes the normal approximation
/// stats.friedmanchisquare(*DEMSAR.T); stats.f.sf(F, 3, 39)
/// stats.studentized_range.ppf(0.95, k, np.inf) / np.sqrt(2); stats.studentized_range.cdf(3.0, 5, np.inf)
/// stats.bootstrap((np.array(X),), np.mean, n_resamples=100000, method='percentile', random_state=1)
/// </code>
/// </summary>
public class SignificanceTestsTests
{
    private static readonly double[] U = [94.02, 91.722, 93.209, 92.716, 92.774, 92.892, 91.99, 92.884, 92.567, 94.661, 93.113, 92.824, 92.859, 92.666, 92.472, 92.805, 93.241, 92.881, 93.479, 92.9];
    private static readonly double[] V = [92.812, 93.573, 93.073, 92.547, 92.709, 93.07, 93.768, 92.665, 92.678, 93.301, 92.357, 92.654, 93.241, 93.09, 92.846, 93.135, 91.386, 93.311, 92.32, 91.966];
    private static readonly double[] A = [91.5, 92.0, 93.1, 93.1, 94.37, 94.37, 92.2, 93.0, 91.9, 93.3, 94.0, 92.8];
    private static readonly double[] B = [91.0, 92.0, 92.6, 92.6, 94.37, 93.9, 92.7, 93.5, 91.4, 93.3, 93.5, 92.9];
    private static readonly double[] X = [94.37, 94.1, 93.9, 94.37, 93.5, 94.2, 94.0, 93.8, 93.95, 94.12];
    private static readonly double[] Y = [93.7, 93.9, 93.1, 94.0, 93.6, 93.2, 93.9, 93.4, 93.8, 93.91];

    [Fact]
    public void Wilcoxon_exact_matches_scipy()
    {
        var r = SignificanceTests.WilcoxonSignedRank(U, V);
        Assert.True(r.Exact);
        Assert.Equal(95.0, r.Statistic);
        Assert.Equal(0.7285060882568359, r.P, 12);
    }

    [Fact]
    public void Wilcoxon_with_zeros_and_ties_matches_scipy_normal_approximation()
    {
        var r = SignificanceTests.WilcoxonSignedRank(A, B);
        Assert.False(r.Exact);
        Assert.Equal(9, r.Pairs); // three zero differences dropped
        Assert.Equal(13.0, r.Statistic);
        Assert.Equal(0.23594334601323164, r.P, 12);
        var tied = SignificanceTests.WilcoxonSignedRank(X, Y);
        Assert.False(tied.Exact);
        Assert.Equal(1.5, tied.Statistic);
        Assert.Equal(0.00800430976224057, tied.P, 12);
    }

    [Fact]
    public void Wilcoxon_is_symmetric_and_refuses_unpaired_input()
    {
        Assert.Equal(SignificanceTests.WilcoxonSignedRank(U, V).P, SignificanceTests.WilcoxonSignedRank(V, U).P, 14);
        Assert.Equal(1.0, SignificanceTests.WilcoxonSignedRank(U, U).P);
        Assert.Throws<ArgumentException>(() => SignificanceTests.WilcoxonSignedRank(U, V[..5]));
        Assert.Throws<ArgumentException>(() => SignificanceTests.WilcoxonSignedRank([1.0, double.NaN], [1.0, 2.0]));
    }

    [Fact]
    public void Holm_adjusts_step_down()
    {
        // Sorted 0.005, 0.01, 0.03, 0.04, 0.2 times 5, 4, 3, 2, 1, made monotone: 0.025, 0.04, 0.09, 0.09, 0.2.
        Assert.Equal([0.04, 0.09, 0.09, 0.025, 0.2], SignificanceTests.Holm([0.01, 0.04, 0.03, 0.005, 0.2]).Select(p => Math.Round(p, 12)));
        Assert.Equal([1.0, 1.0], SignificanceTests.Holm([0.6, 0.7]));
        Assert.Throws<ArgumentException>(() => SignificanceTests.Holm([0.5, double.NaN]));
    }

    [Fact]
    public void A12_is_mann_whitney_u_over_mn()
    {
        // scipy.stats.mannwhitneyu(X, Y).statistic / (10 * 10) = 0.84
        Assert.Equal(0.84, SignificanceTests.VarghaDelaneyA12(X, Y), 12);
        Assert.Equal(0.16, SignificanceTests.VarghaDelaneyA12(Y, X), 12);
        Assert.Equal("large", SignificanceTests.EffectSize(0.84));
        Assert.Equal("negligible", SignificanceTests.EffectSize(0.52));
    }

    [Fact]
    public void Bootstrap_percentile_interval_agrees_with_scipy_within_resampling_noise()
    {
        // scipy: (93.869975, 94.18); different generators, so the endpoints agree to Monte Carlo error only.
        var (lo, hi) = Statistics.BootstrapMeanCi(X, seed: 1, resamples: 100_000);
        Assert.Equal(93.869975, lo, 0.01);
        Assert.Equal(94.18, hi, 0.01);
    }

    // Demšar (2006), Table 6: AUC of C4.5 and three variants (C4.5+m, C4.5+cf, C4.5+m+cf) on 14 UCI data sets.
    private static readonly double[][] Demsar =
    [
        [0.763, 0.768, 0.771, 0.798], [0.599, 0.591, 0.590, 0.569], [0.954, 0.971, 0.968, 0.967], [0.628, 0.661, 0.654, 0.657],
        [0.882, 0.888, 0.886, 0.898], [0.936, 0.931, 0.916, 0.931], [0.661, 0.668, 0.609, 0.685], [0.583, 0.583, 0.563, 0.625],
        [0.775, 0.838, 0.866, 0.875], [1.000, 1.000, 1.000, 1.000], [0.940, 0.962, 0.965, 0.962], [0.619, 0.666, 0.614, 0.669],
        [0.972, 0.981, 0.975, 0.975], [0.957, 0.978, 0.946, 0.970],
    ];

    [Fact]
    public void Demsar_worked_example_from_the_published_average_ranks()
    {
        // Section 3.2.4: average ranks 3.143, 2.000, 2.893, 1.964 over N = 14 give chi2_F = 9.28 and F_F = 3.69;
        // with q_0.05 = 2.569 the critical difference is 1.25, with q_0.10 = 2.291 it is 1.12.
        var r = CriticalDifference.FromAverageRanks([3.143, 2.000, 2.893, 1.964], 14);
        Assert.Equal(9.28, r.ChiSquare, 0.005);
        Assert.Equal(3.69, r.ImanDavenportF, 0.005);
        Assert.Equal(0.01976776004061774, r.FP, 6); // scipy.stats.f.sf(3.6888928..., 3, 39)
        Assert.Equal(1.25, CriticalDifference.NemenyiCd(4, 14, 0.05), 0.005);
        Assert.Equal(1.12, CriticalDifference.NemenyiCd(4, 14, 0.10), 0.005);
        // Demšar's conclusion: C4.5 vs C4.5+m+cf (3.143 - 1.964 = 1.179) is significant at 0.10 but not at 0.05.
        Assert.InRange(3.143 - 1.964, CriticalDifference.NemenyiCd(4, 14, 0.10), CriticalDifference.NemenyiCd(4, 14, 0.05));
    }

    [Fact]
    public void Friedman_p_values_keep_their_digits_far_in_the_tail()
    {
        // scipy.stats.chi2.sf(chi, 3) and scipy.stats.f.sf(F, 3, 99): 1 - CDF would print 0 for both.
        var r = CriticalDifference.FromAverageRanks([1.25, 1.95, 2.92, 3.88], 34);
        Assert.Equal(80.49431999999996, r.ChiSquare, 9);
        Assert.Equal(1, r.P / 2.404370550206955e-17, 6);
        Assert.Equal(123.51678998292513, r.ImanDavenportF, 9);
        Assert.Equal(1, r.FP / 2.445831509537102e-33, 6);
    }

    [Fact]
    public void Friedman_on_the_table_matches_scipy()
    {
        // The printed AUCs are rounded to three decimals, which creates ties the paper's ranks did not have, so the
        // ranks from the table (2.929 and 1.929 for C4.5+cf and C4.5+m+cf) differ from the paper's by 0.5/14.
        var r = CriticalDifference.Friedman(Demsar.Select(b => (IReadOnlyList<double>)b).ToArray());
        Assert.Equal([3.142857142857143, 2.0, 2.9285714285714284, 1.9285714285714286], r.AverageRanks.Select(v => Math.Round(v, 12)).ToArray(),
                     new ToleranceComparer(1e-9));
        Assert.Equal(10.952380952380956, r.ChiSquare, 9);
        Assert.Equal(0.011986176325417788, r.P, 9);
        Assert.Throws<ArgumentException>(() => CriticalDifference.Friedman([[1.0, 2.0]]));
    }

    [Theory]
    [InlineData(2, 0.05, 1.9599639845400534)]
    [InlineData(3, 0.05, 2.343700586378409)]
    [InlineData(4, 0.05, 2.569031772546482)]
    [InlineData(7, 0.05, 2.9483200175296744)]
    [InlineData(10, 0.05, 3.163683577053373)]
    [InlineData(4, 0.10, 2.2913414968880566)]
    [InlineData(10, 0.10, 2.9198888400615384)]
    public void Nemenyi_q_matches_scipy_studentized_range(int k, double alpha, double expected) =>
        Assert.Equal(expected, CriticalDifference.NemenyiQ(k, alpha), 6);

    [Fact]
    public void Studentized_range_cdf_matches_scipy()
    {
        Assert.Equal(0.789123495036462, CriticalDifference.StudentizedRangeCdf(3.0, 5), 8);
        Assert.Equal(0.9526941726870715, CriticalDifference.StudentizedRangeCdf(4.5, 10), 8);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double v) => 0;
    }
}
