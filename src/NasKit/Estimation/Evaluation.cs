namespace NasKit.Estimation;

/// <summary>
/// The result of evaluating one architecture: named metrics and what obtaining them cost, in seconds
/// (measured, or simulated for tabular benchmarks). A failed evaluation carries its reason and no metrics.
/// </summary>
public sealed record Evaluation(IReadOnlyDictionary<string, double> Metrics, double CostSeconds,
                                bool Failed = false, string? Reason = null)
{
    /// <summary>Per-epoch curves (e.g. train_loss, valid_acc) when the evaluator trains; not stored in trial stores.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>>? Curves { get; init; }

    public static Evaluation Failure(string reason, double costSeconds = 0) =>
        new(new Dictionary<string, double>(), costSeconds, true, reason);

    public double this[string metric] => Metrics.TryGetValue(metric, out var v) ? v
        : throw new KeyNotFoundException($"The evaluation has no metric '{metric}'. It has: {string.Join(", ", Metrics.Keys)}.");
}
