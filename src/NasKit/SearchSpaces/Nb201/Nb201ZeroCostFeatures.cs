using NasKit.Estimation.Predictors;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>Zero-cost features of NB201 cells for predictors: from published scores or from a NasKit score file.</summary>
public static class Nb201ZeroCostFeatures
{
    /// <summary>
    /// Zero-cost features for NB201 cells from NAS-Bench-Suite-Zero's published scores (the 9,445 cells without dead
    /// ops), under NasKit's proxy names.
    /// </summary>
    public static ZeroCostFeaturizer<Nb201Cell> SuiteZero(Nb201Benchmark benchmark, PrecomputedZeroCost suiteZero)
    {
        var proxies = PrecomputedZeroCost.SuiteZeroColumn.Keys.ToArray();
        var scores = suiteZero.Indices.ToDictionary(benchmark.CellAt, i => proxies.Select(p => suiteZero.Score(i, p)!.Value).ToArray());
        return new ZeroCostFeaturizer<Nb201Cell>(proxies, scores);
    }

    /// <summary>Zero-cost features from a NasKit score file (<c>naskit zerocost --out</c>).</summary>
    public static ZeroCostFeaturizer<Nb201Cell> ScoreFile(IReadOnlyList<ZeroCostRow> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("The score file has no rows.");
        var proxies = rows[0].Scores.Keys.ToArray();
        return new ZeroCostFeaturizer<Nb201Cell>(proxies, rows.ToDictionary(r => r.Cell, r => proxies.Select(p => r.Scores[p]).ToArray()));
    }
}
