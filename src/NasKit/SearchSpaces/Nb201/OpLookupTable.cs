using MathNet.Numerics.LinearAlgebra;
using NasKit.Estimation.Predictors;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// A per-operation lookup table (ProxylessNAS, FBNet): the latency of a network is a base cost plus the sum of
/// the latencies of its operations. The table entries are fitted by least squares from measured networks: the
/// features are how many times each op occurs in the cell (the same cell repeats in every stage, so per-stage
/// entries cannot be told apart and are folded into one entry per op).
/// </summary>
public sealed class OpLookupTable : IPredictor<Nb201Cell>
{
    private Vector<double>? _table;

    public string Name => "op-lookup-table";

    /// <summary>Fitted latency per op occurrence (ms), in <see cref="Nb201Op"/> order, then the base cost.</summary>
    public IReadOnlyList<double> Entries => _table?.ToArray() ?? [];

    private static double[] Features(Nb201Cell c)
    {
        var f = new double[Nb201Ops.Count + 1];
        foreach (var op in c.Ops) f[(int)op]++;
        f[^1] = 1;
        return f;
    }

    public void Fit(IReadOnlyList<Nb201Cell> architectures, IReadOnlyList<double> targets)
    {
        var x = Matrix<double>.Build.DenseOfRowArrays(architectures.Select(Features));
        var y = Vector<double>.Build.DenseOfEnumerable(targets);
        // The counts of the five ops always sum to 6, so the columns are collinear with the base: a tiny ridge
        // term picks the minimum-norm table instead of failing.
        var xt = x.Transpose();
        _table = (xt * x + Matrix<double>.Build.DenseIdentity(x.ColumnCount) * 1e-6).Solve(xt * y);
    }

    public IReadOnlyList<Prediction> Query(IReadOnlyList<Nb201Cell> architectures) => architectures
        .Select(c => new Prediction(Features(c).Select((v, i) => v * _table![i]).Sum(), 0)).ToArray();
}
