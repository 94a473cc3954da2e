using NasKit.Spaces;

namespace NasKit.Estimation;

/// <summary>
/// An evaluator that can refuse an architecture cheaply, before any training: a parameter count over budget, a
/// measured latency over a device's limit. Search wraps its strategy so refused proposals cost no query
/// (<c>Strategies.WithinBudget</c>); the evaluator still refuses them if asked directly.
/// </summary>
public interface IAdmission<TArch> where TArch : class, IArchitecture
{
    /// <summary>Why the architecture is refused, or null when it may be evaluated.</summary>
    string? Refusal(TArch arch);
}
