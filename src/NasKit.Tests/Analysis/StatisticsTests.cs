using NasKit.Analysis;

namespace NasKit.Tests.Analysis;

/// <summary>
/// Reference values from scipy 1.10.1 (Debian 12 python3-scipy), produced by:
/// <code>
/// /usr/bin/python3 -c "from scipy.stats import mannwhitneyu; import numpy as np
/// x=[94.37,94.1,93.9,94.37,93.5,94.2,94.0,93.8]; y=[93.7,93.9,93.1,94.0,93.6,93.2,93.9,93.4,93.8]
/// print(mannwhitneyu(x,y,alternative='two-sided',method='asymptotic')); print(np.std(x,ddof=1))"
/// </code>
/// </summary>
public class StatisticsTests
{
    private static readonly double[] X = [94.37, 94.1, 93.9, 94.37, 93.5, 94.2, 94.0, 93.8];
    private static readonly double[] Y = [93.7, 93.9, 93.1, 94.0, 93.6, 93.2, 93.9, 93.4, 93.8];

    [Fact]
    public void Mann_whitney_matches_scipy()
    {
        var (u, p) = Statistics.MannWhitneyU(X, Y);
        Assert.Equal(ScipyU, u, 9);
        Assert.Equal(ScipyP, p, 9);
    }

    [Fact]
    public void Sample_std_matches_numpy_ddof_1() => Assert.Equal(NumpyStd, Statistics.Std(X), 12);

    [Fact]
    public void Bootstrap_interval_contains_the_mean_and_narrows_with_more_data()
    {
        var (lo, hi) = Statistics.BootstrapMeanCi(X, 1);
        Assert.InRange(Statistics.Mean(X), lo, hi);
        var many = Enumerable.Range(0, 400).Select(i => X[i % X.Length]).ToArray();
        var (lo2, hi2) = Statistics.BootstrapMeanCi(many, 1);
        Assert.True(hi2 - lo2 < (hi - lo) / 3);
    }

    private const double ScipyU = 60.0, ScipyP = 0.023143917360469043, NumpyStd = 0.2967923757203261;
}
