using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// An ask/tell search strategy, the shape of ML.NET AutoML's tuners (Propose/Update). Its state is a function
/// of its seed and the ordered results it was told, so a study can rebuild it by replaying its history.
/// </summary>
public interface ISearchStrategy<TArch> where TArch : class, IArchitecture
{
    /// <summary>The next architecture to evaluate, or null when the strategy has nothing left to propose.</summary>
    TArch? Ask();

    /// <summary>Reports the evaluation of an architecture this strategy asked for (failed ones included).</summary>
    void Tell(TArch arch, Evaluation evaluation);
}
