using NasKit.Experiments;
using NasKit.Spaces;

namespace NasKit.Estimation;

/// <summary>
/// Adds one metric, <see cref="Metric"/>, that folds several objectives into the single number any
/// single-objective strategy maximises. This is how constraints and weighted sums reach every strategy without
/// changing one: the study's objective definitions decide the score.
/// </summary>
public sealed class ScalarizingEvaluator<TArch>(IEvaluator<TArch> inner, Func<Evaluation, double?> score, string metric = "score")
    : IEvaluator<TArch> where TArch : class, IArchitecture
{
    public string Metric { get; } = metric;

    public Evaluation Evaluate(TArch arch, Fidelity fidelity, CancellationToken cancellationToken = default)
    {
        var e = inner.Evaluate(arch, fidelity, cancellationToken);
        if (e.Failed || score(e) is not { } s) return e;
        return e with { Metrics = new Dictionary<string, double>(e.Metrics) { [Metric] = s } };
    }

    /// <summary>
    /// Maximise <paramref name="target"/> subject to every constraint's bound. Feasible architectures score their
    /// target; infeasible ones score below every feasible one, ordered by how far they violate (so a search is
    /// still pulled towards feasibility).
    /// </summary>
    public static Func<Evaluation, double?> Constrained(Objective target, IReadOnlyList<Objective> constraints, double floor = -1e6) => e =>
    {
        if (target.Score(e) is not { } t) return null;
        double violation = 0;
        foreach (var c in constraints)
        {
            if (c.Bound is not { } b || !e.Metrics.TryGetValue(c.Metric, out var v) || double.IsNaN(v)) continue;
            violation += Math.Max(0, c.Maximize ? b - v : v - b);
        }
        return violation == 0 ? t : floor - violation;
    };

    /// <summary>Σ wᵢ·scoreᵢ, each objective min-max normalised to [0, 1] with the given ranges (higher is better).</summary>
    public static Func<Evaluation, double?> WeightedSum(IReadOnlyList<(Objective Objective, double Weight, double Min, double Max)> terms) => e =>
    {
        double s = 0;
        foreach (var (o, w, min, max) in terms)
        {
            if (!e.Metrics.TryGetValue(o.Metric, out var v) || double.IsNaN(v)) return null;
            double n = (v - min) / (max - min);
            s += w * (o.Maximize ? n : 1 - n);
        }
        return s;
    };
}
