using NasKit.Spaces;

namespace NasKit.Estimation;

/// <summary>
/// Turns an architecture and a fidelity into an <see cref="Evaluation"/>. An evaluator never knows which
/// strategy asks; the study joins them. Expected failures (a diverging loss, say) are returned as a failed
/// evaluation, not thrown. Evaluators that train report each epoch through the <see cref="TrialContext"/>.
/// </summary>
public interface IEvaluator<in TArch> where TArch : class, IArchitecture
{
    Evaluation Evaluate(TArch arch, Fidelity fidelity, TrialContext? context = null);
}

/// <summary>
/// An evaluator whose search signal is not held-out accuracy (a language model's validation loss, say): studies and
/// the CLI search on <see cref="Signal"/> instead of <c>valid_acc</c>.
/// </summary>
public interface ISignalEvaluator
{
    Objective Signal { get; }

    /// <summary>The metric reported as a trial's outcome when it is not the signal (a test accuracy measured at the
    /// epoch the signal chose); null: the signal is the outcome.</summary>
    string? Outcome => null;
}
