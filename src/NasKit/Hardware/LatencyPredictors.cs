using MathNet.Numerics.LinearAlgebra;
using NasKit.Estimation.Predictors;
using NasKit.Spaces;
using NasKit.Spaces.Nb201;

namespace NasKit.Hardware;

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

/// <summary>
/// Ridge regression on an architecture encoding (one-hot by default), a standard learned latency model and a
/// NASLib-style accuracy predictor baseline. Features are used as they are; the intercept is not penalised.
/// </summary>
public sealed class RidgeRegression<TArch>(IEncodableSpace<TArch> space, ArchitectureEncoding encoding = ArchitectureEncoding.OneHot, double lambda = 1.0)
    : IPredictor<TArch> where TArch : class, IArchitecture
{
    private Vector<double>? _w;
    private double _intercept;

    public string Name => $"ridge({encoding})";

    public void Fit(IReadOnlyList<TArch> architectures, IReadOnlyList<double> targets)
    {
        var x = Matrix<double>.Build.DenseOfRowArrays(architectures.Select(a => space.Encode(a, encoding).Select(v => (double)v).ToArray()));
        double mean = targets.Average();
        var colMeans = x.ColumnSums() / x.RowCount;
        var xc = x - Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (_, j) => colMeans[j]);
        var y = Vector<double>.Build.DenseOfEnumerable(targets.Select(t => t - mean));
        var xt = xc.Transpose();
        _w = (xt * xc + Matrix<double>.Build.DenseIdentity(x.ColumnCount) * lambda).Solve(xt * y);
        _intercept = mean - colMeans.DotProduct(_w);
    }

    public IReadOnlyList<Prediction> Query(IReadOnlyList<TArch> architectures) => architectures
        .Select(a => new Prediction(_intercept + space.Encode(a, encoding).Select((v, i) => v * _w![i]).Sum(), 0)).ToArray();
}
