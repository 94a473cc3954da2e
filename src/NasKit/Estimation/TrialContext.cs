namespace NasKit.Estimation;

/// <summary>One intermediate result of a trial: the metrics after a step (an epoch, usually).</summary>
public sealed record IntermediateResult(int Step, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// What the engine lends an evaluation: a cancellation token and a place to report intermediate results (the
/// points of a learning curve). The engine records each report in the study's ledger, where strategies and
/// stopping rules read them; a rule that decides to stop the trial makes <see cref="Report"/> return false, and the
/// evaluator returns what it has.
/// </summary>
public class TrialContext(CancellationToken cancellation = default)
{
    /// <summary>No reporting, no cancellation: for direct calls.</summary>
    public static TrialContext None { get; } = new();

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Records the metrics after <paramref name="step"/>; false when the trial should stop now.</summary>
    public virtual bool Report(int step, IReadOnlyDictionary<string, double> metrics) => true;

    public static implicit operator TrialContext(CancellationToken token) => token.CanBeCanceled ? new TrialContext(token) : None;
}
