using System.Globalization;

namespace NasKit.Estimation;

/// <summary>
/// An objective is plain data: a metric name, whether higher is better, an optional bound (a constraint such as
/// "pixel3_latency ≤ 5") and an optional range (the metric's low and high values, for normalised scalarisations).
/// A new objective is one line, not a class.
/// </summary>
public sealed record Objective(string Metric, bool Maximize = true, double? Bound = null)
{
    /// <summary>The metric's range over the space, when known (a tabular benchmark knows it): weighted sums normalise by it.</summary>
    public (double Low, double High)? Range { get; init; }

    public static Objective Max(string metric) => new(metric, true);
    public static Objective Min(string metric) => new(metric, false);

    /// <summary>The metric in the direction the vocabulary gives it (<see cref="Metrics.Describe"/>).</summary>
    public static Objective Of(string metric) => new(metric, Metrics.HigherIsBetter(metric));

    /// <summary>The metric as a score where higher is better, or null if the evaluation failed or lacks it.</summary>
    public double? Score(Evaluation e) =>
        !e.Failed && e.Metrics.TryGetValue(Metric, out var v) && !double.IsNaN(v) ? (Maximize ? v : -v) : null;

    /// <summary>The metric's value in its own units, or null.</summary>
    public double? Value(Evaluation e) => !e.Failed && e.Metrics.TryGetValue(Metric, out var v) && !double.IsNaN(v) ? v : null;

    /// <summary>True when the evaluation meets the bound (always true without one).</summary>
    public bool Satisfied(Evaluation e) => Bound is not { } b ||
        (!e.Failed && e.Metrics.TryGetValue(Metric, out var v) && (Maximize ? v >= b : v <= b));

    public override string ToString() => $"{(Maximize ? "max" : "min")} {Metric}" + (Bound is { } b ? $" ({(Maximize ? ">=" : "<=")} {b.ToString(CultureInfo.InvariantCulture)})" : "");

    /// <summary>
    /// Parses a comma-separated list: <c>test_acc,pixel3_latency</c> (directions from the metric vocabulary),
    /// <c>max:score</c> or <c>min:params_m</c> to say the direction, <c>pixel3_latency&lt;=5</c> for a constraint.
    /// </summary>
    public static IReadOnlyList<Objective> ParseList(string text)
    {
        var list = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToArray();
        if (list.Length == 0) throw new FormatException($"No objective in '{text}'; give metric names such as test_acc,pixel3_latency.");
        var twice = list.GroupBy(o => (o.Metric, o.Bound is null)).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new FormatException($"Objective '{twice.Key.Metric}' is given twice in '{text}'.");
        return list;
    }

    /// <summary>Parses a constraint, <c>metric&lt;=value</c> or <c>metric&gt;=value</c>; anything without a bound is refused.</summary>
    public static Objective ParseConstraint(string text) => text.Contains("<=", StringComparison.Ordinal) || text.Contains(">=", StringComparison.Ordinal)
        ? Parse(text)
        : throw new FormatException($"Constraint '{text}' must look like metric<=value or metric>=value, e.g. pixel3_latency<=5.");

    public static Objective Parse(string text)
    {
        text = text.Trim();
        foreach (var (op, max) in new[] { ("<=", false), (">=", true) })
        {
            int i = text.IndexOf(op, StringComparison.Ordinal);
            if (i < 0) continue;
            string metric = text[..i].Trim(), bound = text[(i + 2)..].Trim();
            if (metric.Length == 0 || !double.TryParse(bound, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) || !double.IsFinite(b))
                throw new FormatException($"Constraint '{text}' must look like metric<=value or metric>=value, e.g. pixel3_latency<=5.");
            return new Objective(CheckName(metric, text), max, b);
        }
        if (text.StartsWith("max:", StringComparison.Ordinal)) return Max(CheckName(text[4..].Trim(), text));
        if (text.StartsWith("min:", StringComparison.Ordinal)) return Min(CheckName(text[4..].Trim(), text));
        return Of(CheckName(text, text));
    }

    private static string CheckName(string metric, string text) =>
        metric.Length > 0 && metric.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or ':')
            ? metric
            : throw new FormatException($"'{text}' is not an objective: use a metric name (e.g. test_acc), max:NAME, min:NAME or NAME<=VALUE.");
}
