using NasKit.Spaces;

namespace NasKit.Estimation;

/// <summary>
/// Turns an architecture and a fidelity into an <see cref="Evaluation"/>. An evaluator never knows which
/// strategy asks; the study joins them. Expected failures (a diverging loss, say) are returned as a failed
/// evaluation, not thrown.
/// </summary>
public interface IEvaluator<in TArch> where TArch : class, IArchitecture
{
    Evaluation Evaluate(TArch arch, Fidelity fidelity, CancellationToken cancellationToken = default);
}
