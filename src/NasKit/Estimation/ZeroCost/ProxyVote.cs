namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// The majority vote of Abdelfattah et al. (2021): architecture a beats b when most proxies score a higher. Over a
/// population, each architecture's vote score is the number of others it beats (a Copeland ranking), so the vote
/// ranks a set the way the pairwise majority does. The default voters are the paper's: synflow, jacob_cov, snip.
/// NaN scores lose every comparison.
/// </summary>
public static class ProxyVote
{
    public static readonly IReadOnlyList<string> PaperVoters = ["synflow", "jacob_cov", "snip"];

    /// <summary>Vote scores for a population; <paramref name="scores"/>[proxy][i] is architecture i's score.</summary>
    public static double[] Score(IReadOnlyList<IReadOnlyList<double>> scores)
    {
        if (scores.Count == 0) throw new ArgumentException("The vote needs at least one proxy.");
        int n = scores[0].Count;
        if (scores.Any(s => s.Count != n)) throw new ArgumentException("Every proxy must score the same architectures.");
        var wins = new double[n];
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b++)
            {
                int forA = 0, forB = 0;
                foreach (var s in scores)
                {
                    double x = Clean(s[a]), y = Clean(s[b]);
                    if (x > y) forA++;
                    else if (y > x) forB++;
                }
                if (forA > forB) wins[a]++;
                else if (forB > forA) wins[b]++;
                else { wins[a] += 0.5; wins[b] += 0.5; }
            }
        return wins;
    }

    private static double Clean(double v) => double.IsNaN(v) ? double.NegativeInfinity : v;
}
