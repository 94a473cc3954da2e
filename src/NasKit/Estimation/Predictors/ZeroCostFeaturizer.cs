using NasKit.Spaces;

namespace NasKit.Estimation.Predictors;

/// <summary>
/// Zero-cost proxy scores as predictor features (NAS-Bench-Suite-Zero, Krishnakumar et al. 2022). Scores span
/// many orders of magnitude (synflow ~1e36), so each is mapped to sign(x)·log(1+|x|) and standardised with the
/// mean and spread over every architecture the lookup knows (labels are never used). A missing or NaN score
/// becomes 0, the mean.
/// </summary>
public sealed class ZeroCostFeaturizer<TArch> : IFeaturizer<TArch> where TArch : class, IArchitecture
{
    private readonly IReadOnlyDictionary<TArch, double[]> _scores;
    private readonly double[] _mean, _std;

    public IReadOnlyList<string> Proxies { get; }
    public string Name => "zc";
    public int Length => Proxies.Count;

    /// <param name="scores">Each architecture's scores, in the order of <paramref name="proxies"/>.</param>
    public ZeroCostFeaturizer(IReadOnlyList<string> proxies, IReadOnlyDictionary<TArch, double[]> scores)
    {
        if (proxies.Count == 0 || scores.Count == 0) throw new ArgumentException("Zero-cost features need at least one proxy and one scored architecture.");
        if (scores.Values.Any(v => v.Length != proxies.Count)) throw new ArgumentException($"Every architecture needs {proxies.Count} scores.");
        (Proxies, _scores) = (proxies, scores);
        _mean = new double[proxies.Count];
        _std = new double[proxies.Count];
        for (int k = 0; k < proxies.Count; k++)
        {
            var v = scores.Values.Select(s => Squash(s[k])).Where(double.IsFinite).ToArray();
            _mean[k] = v.Length > 0 ? v.Average() : 0;
            _std[k] = v.Length > 1 ? Math.Sqrt(v.Select(x => (x - _mean[k]) * (x - _mean[k])).Average()) : 1;
            if (_std[k] < 1e-12) _std[k] = 1;
        }
    }

    public bool Knows(TArch arch) => _scores.ContainsKey(arch);

    public float[] Features(TArch arch)
    {
        if (!_scores.TryGetValue(arch, out var s))
            throw new KeyNotFoundException($"No zero-cost scores for {arch.ToText()}; score it first (a zero-cost score file) or restrict the candidates to scored cells.");
        var f = new float[Proxies.Count];
        for (int k = 0; k < f.Length; k++)
        {
            double z = (Squash(s[k]) - _mean[k]) / _std[k];
            f[k] = double.IsFinite(z) ? (float)z : 0f;
        }
        return f;
    }

    private static double Squash(double x) => double.IsNaN(x) ? double.NaN : Math.Sign(x) * Math.Log(1 + Math.Abs(x));
}
