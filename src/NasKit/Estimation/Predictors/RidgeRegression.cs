using MathNet.Numerics.LinearAlgebra;
using NasKit.Spaces;

namespace NasKit.Estimation.Predictors;

/// <summary>
/// Ridge regression on architecture features (one-hot by default): a standard learned latency model and NASLib's
/// linear accuracy-predictor baseline. Features are centred; the intercept is not penalised.
/// </summary>
public sealed class RidgeRegression<TArch>(IFeaturizer<TArch> features, double lambda = 1.0) : IPredictor<TArch> where TArch : class, IArchitecture
{
    private Vector<double>? _w;
    private double _intercept;

    public RidgeRegression(IEncodableSpace<TArch> space, ArchitectureEncoding encoding = ArchitectureEncoding.OneHot, double lambda = 1.0)
        : this(new EncodingFeaturizer<TArch>(space, encoding), lambda) { }

    public string Name => $"ridge({features.Name})";

    private double[] Row(TArch a) => features.Features(a).Select(v => (double)v).ToArray();

    public void Fit(IReadOnlyList<TArch> architectures, IReadOnlyList<double> targets)
    {
        TrainingTargets.Check(architectures, targets);
        var x = Matrix<double>.Build.DenseOfRowArrays(architectures.Select(Row));
        double mean = targets.Average();
        var colMeans = x.ColumnSums() / x.RowCount;
        var xc = x - Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (_, j) => colMeans[j]);
        var y = Vector<double>.Build.DenseOfEnumerable(targets.Select(t => t - mean));
        var xt = xc.Transpose();
        _w = (xt * xc + Matrix<double>.Build.DenseIdentity(x.ColumnCount) * lambda).Solve(xt * y);
        _intercept = mean - colMeans.DotProduct(_w);
    }

    public IReadOnlyList<Prediction> Query(IReadOnlyList<TArch> architectures)
    {
        if (_w is null) throw new InvalidOperationException("Fit the predictor before querying it.");
        return architectures.Select(a => new Prediction(_intercept + Row(a).Select((v, i) => v * _w[i]).Sum(), 0)).ToArray();
    }
}

public sealed class RidgeOneHotFactory : IPredictorFactory
{
    public string Name => "ridge-onehot";
    public string Description => "Ridge regression (λ=1) on the one-hot encoding.";
    public int Order => 0;
    public IPredictor<TArch>? Create<TArch>(ISearchSpace<TArch> space, int seed, IFeaturizer<TArch>? zeroCost = null) where TArch : class, IArchitecture =>
        IPredictorFactory.Features(space, ArchitectureEncoding.OneHot, zeroCost) is { } f ? new RidgeRegression<TArch>(f) : null;
}

public sealed class RidgePathFactory : IPredictorFactory
{
    public string Name => "ridge-path";
    public string Description => "Ridge regression (λ=1) on the path encoding.";
    public int Order => 10;
    public IPredictor<TArch>? Create<TArch>(ISearchSpace<TArch> space, int seed, IFeaturizer<TArch>? zeroCost = null) where TArch : class, IArchitecture =>
        IPredictorFactory.Features(space, ArchitectureEncoding.Path, zeroCost) is { } f ? new RidgeRegression<TArch>(f) : null;
}
