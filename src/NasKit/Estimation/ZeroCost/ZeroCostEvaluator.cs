using NasKit.Spaces;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// Zero-cost proxies as an evaluator, so any search strategy can search on them (metrics <c>zc_NAME</c>). The
/// fidelity is ignored: a proxy has no epochs to vary. Not thread-safe (it wraps one scorer).
/// </summary>
public sealed class ZeroCostEvaluator<TArch>(ZeroCostScorer<TArch> scorer) : IEvaluator<TArch> where TArch : class, IArchitecture
{
    public Evaluation Evaluate(TArch arch, Fidelity fidelity, TrialContext? context = null)
    {
        context?.Cancellation.ThrowIfCancellationRequested();
        var result = scorer.Score(arch);
        var metrics = result.Scores.ToDictionary(kv => "zc_" + kv.Key, kv => kv.Value);
        return new Evaluation(metrics, result.Seconds.Values.Sum());
    }
}
