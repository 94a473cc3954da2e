using NasKit.Analysis;
using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Experiments;

/// <summary>A named proxy task: a fidelity at which to train (fewer epochs, less data, lower resolution, smaller net).</summary>
public sealed record ProxySetting(string Name, Fidelity Fidelity)
{
    /// <summary>
    /// Parses <c>name:epochs=1,res=16,data=0.5,C=8,N=1</c>. A proxy is a cheap setting, so its epochs must be given: an
    /// unspecified knob would otherwise silently mean the evaluator's full recipe (200 epochs for NB201's).
    /// </summary>
    public static ProxySetting Parse(string text)
    {
        var parts = text.Split(':', 2);
        if (parts.Length != 2 || parts[0].Trim().Length == 0)
            throw new FormatException($"Proxy setting '{text}' must look like name:epochs=1,res=16,data=0.5,C=8,N=1.");
        var fidelity = Fidelity.Parse(parts[1]);
        if (fidelity.Epochs is null)
            throw new FormatException($"Proxy setting '{text}' gives no epochs; a proxy trains briefly, so say how long (e.g. {parts[0].Trim()}:epochs=1,{parts[1]}).");
        return new ProxySetting(parts[0].Trim(), fidelity);
    }
}

/// <summary>The score and cost of one architecture under one proxy.</summary>
public sealed record ProxyMeasurement(string Proxy, string Architecture, double Score, double Seconds, bool Failed, string? Reason, double Reference);

/// <summary>How well one proxy ranks architectures, and what it costs.</summary>
public sealed record ProxyCorrelation(string Proxy, int Cells, double KendallVsBenchmark, double SpearmanVsBenchmark,
    (double Low, double High) KendallCi, double KendallVsMostExpensive, double SpearmanVsMostExpensive,
    double SecondsPerCell, double TotalSeconds);

/// <summary>
/// The seed's trade-off between rank correlation and computational savings: train the same cells under several
/// proxy settings and measure how each ranks them against the benchmark truth and against the most expensive
/// setting, next to what it cost.
/// </summary>
public static class ProxyStudy
{
    /// <param name="done">Measurements of an interrupted run: their (proxy, architecture) pairs are taken as they are, not trained again.</param>
    public static IReadOnlyList<ProxyMeasurement> Measure<TArch>(IEvaluator<TArch> evaluator, IReadOnlyList<TArch> cells,
        IReadOnlyList<ProxySetting> settings, Func<TArch, double> reference, Action<ProxyMeasurement>? onMeasured = null,
        CancellationToken cancellationToken = default, IReadOnlyCollection<ProxyMeasurement>? done = null) where TArch : class, IArchitecture
    {
        var result = new List<ProxyMeasurement>();
        var earlier = (done ?? []).GroupBy(m => (m.Proxy, m.Architecture)).ToDictionary(g => g.Key, g => g.Last());
        foreach (var setting in settings)
            foreach (var cell in cells)
            {
                if (earlier.TryGetValue((setting.Name, cell.ToText()), out var known))
                {
                    result.Add(known);
                    continue;
                }
                var e = evaluator.Evaluate(cell, setting.Fidelity, cancellationToken);
                var m = new ProxyMeasurement(setting.Name, cell.ToText(), e.Failed ? double.NaN : e[Metrics.ValidAccuracy], e.CostSeconds, e.Failed, e.Reason, reference(cell));
                result.Add(m);
                onMeasured?.Invoke(m);
            }
        return result;
    }

    /// <summary>Correlations per proxy; the most expensive setting is the one with the largest total cost.</summary>
    public static IReadOnlyList<ProxyCorrelation> Correlate(IReadOnlyList<ProxyMeasurement> measurements, int seed = 0)
    {
        var byProxy = measurements.GroupBy(m => m.Proxy).ToDictionary(g => g.Key, g => g.ToDictionary(m => m.Architecture));
        var expensive = byProxy.MaxBy(kv => kv.Value.Values.Sum(m => m.Seconds)).Key;
        return byProxy.Select(kv =>
        {
            var ok = kv.Value.Values.Where(m => !m.Failed && !double.IsNaN(m.Score)).ToArray();
            var score = ok.Select(m => m.Score).ToArray();
            var truth = ok.Select(m => m.Reference).ToArray();
            var paired = ok.Where(m => byProxy[expensive].TryGetValue(m.Architecture, out var e) && !e.Failed && !double.IsNaN(e.Score)).ToArray();
            var top = paired.Select(m => byProxy[expensive][m.Architecture].Score).ToArray();
            bool enough = score.Length >= 3;
            return new ProxyCorrelation(kv.Key, ok.Length,
                enough ? RankCorrelation.KendallTauB(score, truth) : double.NaN,
                enough ? RankCorrelation.Spearman(score, truth) : double.NaN,
                enough ? RankCorrelation.BootstrapCi(score, truth, RankCorrelation.KendallTauB, seed) : (double.NaN, double.NaN),
                paired.Length >= 3 ? RankCorrelation.KendallTauB(paired.Select(m => m.Score).ToArray(), top) : double.NaN,
                paired.Length >= 3 ? RankCorrelation.Spearman(paired.Select(m => m.Score).ToArray(), top) : double.NaN,
                kv.Value.Values.Average(m => m.Seconds), kv.Value.Values.Sum(m => m.Seconds));
        }).OrderBy(c => c.TotalSeconds).ToArray();
    }

    /// <summary>
    /// How a score that costs no training (the benchmark's parameter count or FLOPs of each architecture) ranks the same
    /// architectures as <paramref name="measurements"/>, against the benchmark and against the most expensive proxy: the
    /// bar a trained proxy must clear (Abdelfattah et al. 2021 report these baselines next to every zero-cost proxy).
    /// </summary>
    public static ProxyCorrelation Baseline(string name, Func<string, double> score, IReadOnlyList<ProxyMeasurement> measurements, int seed = 0) =>
        Alongside(name, a => (score(a), 0), measurements, seed);

    /// <summary>
    /// How another score of the same architectures as <paramref name="measurements"/> (a zero-cost proxy, a table's
    /// cost) ranks them, against the benchmark and against the most expensive proxy, with what it cost per architecture.
    /// </summary>
    public static ProxyCorrelation Alongside(string name, Func<string, (double Score, double Seconds)> score, IReadOnlyList<ProxyMeasurement> measurements, int seed = 0)
    {
        if (measurements.Any(m => m.Proxy == name)) throw new ArgumentException($"A proxy is already named '{name}'; give the other score another name.");
        var other = measurements.DistinctBy(m => m.Architecture).Select(m =>
        {
            var (value, seconds) = score(m.Architecture);
            return new ProxyMeasurement(name, m.Architecture, value, seconds, false, null, m.Reference);
        }).ToArray();
        // Only the most expensive proxy is needed beside it (its row's tau(top)); the others are not re-correlated.
        var expensive = measurements.GroupBy(m => m.Proxy).MaxBy(g => g.Sum(m => m.Seconds))?.Key;
        return Correlate([.. measurements.Where(m => m.Proxy == expensive), .. other], seed).Single(c => c.Proxy == name);
    }
}
