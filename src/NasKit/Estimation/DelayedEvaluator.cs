using NasKit.Spaces;

namespace NasKit.Estimation;

/// <summary>Adds a real wait before each evaluation: stands in for training time in fault and resume tests.</summary>
public sealed class DelayedEvaluator<TArch>(IEvaluator<TArch> inner, TimeSpan delay) : IEvaluator<TArch>
    where TArch : class, IArchitecture
{
    public Evaluation Evaluate(TArch arch, Fidelity fidelity, TrialContext? context = null)
    {
        var token = context?.Cancellation ?? CancellationToken.None;
        if (delay > TimeSpan.Zero) Task.Delay(delay, token).Wait(token);
        return inner.Evaluate(arch, fidelity, context);
    }
}
