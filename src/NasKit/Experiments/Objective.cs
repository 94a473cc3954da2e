using NasKit.Estimation;

namespace NasKit.Experiments;

/// <summary>
/// An objective is plain data: a metric name, whether higher is better, and an optional bound
/// (a constraint such as "pixel3_latency ≤ 5"). A new objective is one line, not a class.
/// </summary>
public sealed record Objective(string Metric, bool Maximize = true, double? Bound = null)
{
    public static Objective Max(string metric) => new(metric, true);
    public static Objective Min(string metric) => new(metric, false);

    /// <summary>The metric as a score where higher is better, or null if the evaluation failed or lacks it.</summary>
    public double? Score(Evaluation e) =>
        !e.Failed && e.Metrics.TryGetValue(Metric, out var v) && !double.IsNaN(v) ? (Maximize ? v : -v) : null;

    /// <summary>True when the evaluation meets the bound (always true without one).</summary>
    public bool Satisfied(Evaluation e) => Bound is not { } b ||
        (!e.Failed && e.Metrics.TryGetValue(Metric, out var v) && (Maximize ? v >= b : v <= b));

    public override string ToString() => $"{(Maximize ? "max" : "min")} {Metric}" + (Bound is { } b ? $" ({(Maximize ? ">=" : "<=")} {b})" : "");
}
