using NasKit.Spaces;

namespace NasKit.Estimation;

/// <summary>
/// Adds a real wait to each evaluation: a fixed <paramref name="delay"/> before it (stands in for training time in
/// fault and resume tests), and <see cref="CostScale"/> times the evaluation's cost after it, so a tabular benchmark's
/// simulated training time (1 epoch cheap, 52 epochs dear) becomes wall time and distributed schedulers can be
/// compared on how long their workers wait.
/// </summary>
public sealed class DelayedEvaluator<TArch>(IEvaluator<TArch> inner, TimeSpan delay) : IEvaluator<TArch>
    where TArch : class, IArchitecture
{
    /// <summary>Wall seconds waited per second of the evaluation's cost (0: none).</summary>
    public double CostScale { get; init; }

    public Evaluation Evaluate(TArch arch, Fidelity fidelity, TrialContext? context = null)
    {
        var token = context?.Cancellation ?? CancellationToken.None;
        if (delay > TimeSpan.Zero) Task.Delay(delay, token).Wait(token);
        var evaluation = inner.Evaluate(arch, fidelity, context);
        if (CostScale > 0 && evaluation.CostSeconds > 0) Task.Delay(TimeSpan.FromSeconds(evaluation.CostSeconds * CostScale), token).Wait(token);
        return evaluation;
    }
}
