using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// Tells the wrapped strategy one extra metric, <see cref="Metric"/>, that folds several objectives into the single
/// number a single-objective strategy maximises. This is how constraints and weighted sums reach every strategy
/// without changing one (a strategy middleware, as in NNI); the study's ledger keeps the raw metrics.
/// </summary>
public sealed class Scalarized<TArch>(ISearchStrategy<TArch> inner, Func<Evaluation, double?> score, string metric = Scalarized.DefaultMetric)
    : ISearchStrategy<TArch>, IDisposable where TArch : class, IArchitecture
{
    public string Metric { get; } = metric;

    public Proposal<TArch>? Ask() => inner.Ask();

    public bool Waiting => inner.Waiting;

    public void Tell(Proposal<TArch> proposal, Evaluation evaluation)
    {
        if (!evaluation.Failed && score(evaluation) is { } s)
            evaluation = evaluation with { Metrics = new Dictionary<string, double>(evaluation.Metrics) { [Metric] = s } };
        inner.Tell(proposal, evaluation);
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();
}

public static class Scalarized
{
    public const string DefaultMetric = "score";

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

    /// <summary>Σ wᵢ·scoreᵢ, each objective min-max normalised to [0, 1] by its <see cref="Objective.Range"/> (higher is better).</summary>
    public static Func<Evaluation, double?> WeightedSum(IReadOnlyList<(Objective Objective, double Weight)> terms)
    {
        foreach (var (o, _) in terms)
            if (o.Range is not { } r || !(r.High > r.Low))
                throw new ArgumentException($"A weighted sum normalises each objective by its range; {o} has {(o.Range is null ? "none" : "an empty one")}.");
        return e =>
        {
            double s = 0;
            foreach (var (o, w) in terms)
            {
                if (!e.Metrics.TryGetValue(o.Metric, out var v) || double.IsNaN(v)) return null;
                var (min, max) = o.Range!.Value;
                double n = (v - min) / (max - min);
                s += w * (o.Maximize ? n : 1 - n);
            }
            return s;
        };
    }
}
