using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Estimation.ZeroCost;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>One scored NB201 cell: its benchmark index and accuracy, each proxy's score and the seconds it took.</summary>
public sealed record ZeroCostRow(int Index, Nb201Cell Cell, double TestAccuracy, IReadOnlyDictionary<string, double> Scores,
                                 IReadOnlyDictionary<string, double> Seconds);

/// <summary>
/// How well one proxy ranks cells: Spearman ρ and Kendall τ-b against the benchmark, its speed, the published
/// |ρ| and its rank agreement (Spearman) with the precomputed scores of the same cells.
/// </summary>
public sealed record ZeroCostCorrelation(string Proxy, int Cells, int NaNScores, double Spearman, double Kendall,
    double ArchitecturesPerSecond, double? PublishedAbsSpearman, int AgreementCells, double? AgreementSpearman, string? AgreementWith)
{
    /// <summary>On the cells both scored: NasKit's ρ with test accuracy, and the precomputed scores' ρ (like for like).</summary>
    public (double Ours, double Theirs)? SpearmanOnCommonCells { get; init; }
}

/// <summary>
/// The zero-cost validation protocol: score a seeded sample of NB201 cells with every proxy, then correlate each
/// proxy with NB201's 200-epoch CIFAR-10 test accuracy and with the published scores of the same cells. NaN scores
/// (jacob_cov of a network whose output ignores its input) rank last, as an unusable network should.
/// </summary>
public static class ZeroCostStudy
{
    /// <summary>
    /// |ρ| on NB201 CIFAR-10 as published: Abdelfattah et al. (ICLR 2021, Table 1, all 15,625 cells) for the six
    /// pruning-at-init proxies and their vote; Mellor et al. (ICML 2021) for NASWOT (about 0.8).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> PublishedAbsSpearman = new Dictionary<string, double>
    {
        ["synflow"] = 0.74, ["jacob_cov"] = 0.73, ["snip"] = 0.60, ["grad_norm"] = 0.59, ["grasp"] = 0.51, ["fisher"] = 0.36, ["naswot"] = 0.80,
    };

    public const string Vote = "vote";

    /// <summary>A seeded sample of distinct benchmark cells (uniform over all 15,625).</summary>
    public static Nb201Cell[] Sample(Nb201Benchmark benchmark, int count, int seed)
    {
        if (count < 3 || count > Nb201Cell.SpaceSize) throw new ArgumentException($"The sample must have 3..{Nb201Cell.SpaceSize} cells, got {count}.");
        var order = Enumerable.Range(0, Nb201Cell.SpaceSize).ToArray();
        new Random(seed).Shuffle(order);
        return order.Take(count).Select(benchmark.CellAt).ToArray();
    }

    /// <summary>Scores cells not yet in <paramref name="done"/>, calling <paramref name="onRow"/> after each (to save it).</summary>
    public static IReadOnlyList<ZeroCostRow> Score(ZeroCostScorer<Nb201Cell> scorer, Nb201Benchmark benchmark, IReadOnlyList<Nb201Cell> cells,
        IReadOnlyDictionary<int, ZeroCostRow>? done = null, Action<ZeroCostRow>? onRow = null, CancellationToken cancellationToken = default)
    {
        var rows = new List<ZeroCostRow>(cells.Count);
        foreach (var cell in cells)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int index = benchmark.IndexOf(cell);
            if (done is not null && done.TryGetValue(index, out var old)) { rows.Add(old); onRow?.Invoke(old); continue; }
            var s = scorer.Score(cell);
            var row = new ZeroCostRow(index, cell, benchmark.TestAccuracy(cell), s.Scores, s.Seconds);
            rows.Add(row);
            onRow?.Invoke(row);
        }
        return rows;
    }

    /// <summary>The vote of <paramref name="voters"/> over the rows (null when a voter was not scored).</summary>
    public static double[]? VoteScores(IReadOnlyList<ZeroCostRow> rows, IReadOnlyList<string>? voters = null)
    {
        voters ??= ProxyVote.PaperVoters;
        if (rows.Count == 0 || voters.Any(v => !rows[0].Scores.ContainsKey(v))) return null;
        return ProxyVote.Score(voters.Select(v => (IReadOnlyList<double>)rows.Select(r => r.Scores[v]).ToArray()).ToArray());
    }

    public static IReadOnlyList<ZeroCostCorrelation> Correlate(IReadOnlyList<ZeroCostRow> rows, PrecomputedZeroCost? suiteZero = null)
    {
        if (rows.Count < 3) throw new ArgumentException("Correlations need at least 3 scored cells.");
        var truth = rows.Select(r => r.TestAccuracy).ToArray();
        var result = new List<ZeroCostCorrelation>();
        foreach (var proxy in rows[0].Scores.Keys)
        {
            var scores = rows.Select(r => r.Scores[proxy]).ToArray();
            double perSecond = rows.Count / rows.Sum(r => r.Seconds[proxy]);
            var (n, rho, with, common) = Agreement(rows, proxy, suiteZero);
            result.Add(Correlation(proxy, scores, truth, perSecond, n, rho, with) with { SpearmanOnCommonCells = common });
        }
        if (VoteScores(rows) is { } vote)
        {
            double perSecond = rows.Count / rows.Sum(r => ProxyVote.PaperVoters.Sum(v => r.Seconds[v]));
            result.Add(Correlation(Vote, vote, truth, perSecond, 0, null, null));
        }
        return result;
    }

    private static ZeroCostCorrelation Correlation(string proxy, double[] scores, double[] truth, double perSecond, int n, double? rho, string? with)
    {
        var ranked = scores.Select(LastIfNaN).ToArray();
        return new ZeroCostCorrelation(proxy, scores.Length, scores.Count(double.IsNaN), RankCorrelation.Spearman(ranked, truth),
            RankCorrelation.KendallTauB(ranked, truth), perSecond, PublishedAbsSpearman.TryGetValue(proxy, out var p) ? p : null, n, rho, with);
    }

    /// <summary>
    /// Spearman ρ between NasKit's scores and Suite-Zero's on the cells both have (finite scores only).
    /// </summary>
    private static (int Cells, double? Rho, string? With, (double, double)? Common) Agreement(IReadOnlyList<ZeroCostRow> rows, string proxy,
                                                                                           PrecomputedZeroCost? suiteZero)
    {
        var pairs = new List<(double Mine, double Theirs, double Truth)>();
        string? with = null;
        if (suiteZero is not null && PrecomputedZeroCost.SuiteZeroColumn.ContainsKey(proxy))
        {
            with = "suite-zero";
            foreach (var r in rows)
                if (suiteZero.Score(r.Index, proxy) is { } theirs && double.IsFinite(theirs) && double.IsFinite(r.Scores[proxy]))
                    pairs.Add((r.Scores[proxy], theirs, r.TestAccuracy));
        }
        if (pairs.Count < 3) return (pairs.Count, null, with, null);
        var mine = pairs.Select(p => p.Mine).ToArray();
        var theirsAll = pairs.Select(p => p.Theirs).ToArray();
        var truth = pairs.Select(p => p.Truth).ToArray();
        return (pairs.Count, RankCorrelation.Spearman(mine, theirsAll), with, (RankCorrelation.Spearman(mine, truth), RankCorrelation.Spearman(theirsAll, truth)));
    }

    /// <summary>jacob_cov against the NASWOT v1 scores (the same formula, the source's own run) on the cells both scored.</summary>
    public static (int Cells, double Rho) AgreementWithNaswotV1(IReadOnlyList<ZeroCostRow> rows, IReadOnlyList<double> naswotV1, string proxy = "jacob_cov")
    {
        var pairs = rows.Where(r => r.Scores.ContainsKey(proxy) && double.IsFinite(r.Scores[proxy]) && double.IsFinite(naswotV1[r.Index]))
            .Select(r => (r.Scores[proxy], naswotV1[r.Index])).ToArray();
        return pairs.Length < 3 ? (pairs.Length, double.NaN)
            : (pairs.Length, RankCorrelation.Spearman(pairs.Select(p => p.Item1).ToArray(), pairs.Select(p => p.Item2).ToArray()));
    }

    private static double LastIfNaN(double v) => double.IsNaN(v) ? double.NegativeInfinity : v;
}
