namespace NasKit.Estimation;

/// <summary>
/// The result of evaluating one architecture: named metrics (names from <see cref="Metrics"/>) and what obtaining
/// them cost, in seconds (measured, or simulated for tabular benchmarks). A failed evaluation carries its reason
/// and no metrics.
/// </summary>
public sealed record Evaluation(IReadOnlyDictionary<string, double> Metrics, double CostSeconds,
                                bool Failed = false, string? Reason = null)
{
    /// <summary>Learning curves (metric → value per epoch or step) when the evaluator trains; the ledger keeps them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>>? Curves { get; init; }

    /// <summary>Set when a stopping rule ended the training early: the last step that ran.</summary>
    public int? StoppedAt { get; init; }

    public static Evaluation Failure(string reason, double costSeconds = 0) =>
        new(new Dictionary<string, double>(), costSeconds, true, reason);

    public double this[string metric] => Metrics.TryGetValue(metric, out var v) ? v
        : throw new KeyNotFoundException($"The evaluation has no metric '{metric}'. It has: {string.Join(", ", Metrics.Keys)}.");
}
