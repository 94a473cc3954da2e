using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// One evaluation a strategy asks for: its id (unique among the strategy's proposals), the architecture, and the
/// fidelity to evaluate it at, or null for the study's default. A multi-fidelity scheduler proposes the same
/// architecture at several fidelities as different proposals; every other strategy leaves the fidelity null.
/// </summary>
public sealed record Proposal<TArch>(int Id, TArch Architecture, Fidelity? Fidelity = null) where TArch : class, IArchitecture;

/// <summary>
/// An ask/tell search strategy, the shape of ML.NET AutoML's tuners and Optuna's samplers. Its state is a function
/// of its seed and the ordered asks and tells it saw, so a study rebuilds it exactly by replaying its ledger.
/// </summary>
public interface ISearchStrategy<TArch> where TArch : class, IArchitecture
{
    /// <summary>
    /// The next evaluation to run, or null: the strategy has nothing left to propose, or (when <see cref="Waiting"/>)
    /// nothing until an outstanding result arrives.
    /// </summary>
    Proposal<TArch>? Ask();

    /// <summary>
    /// True when the last <see cref="Ask"/> returned null only because the strategy waits for outstanding results (a
    /// synchronous successive-halving rung not yet full). A study then waits instead of ending the search.
    /// </summary>
    bool Waiting => false;

    /// <summary>Reports the evaluation of a proposal this strategy made (failed ones included, unless a wrapper filters them).</summary>
    void Tell(Proposal<TArch> proposal, Evaluation evaluation);
}

/// <summary>
/// The base of strategies that choose architectures only: they write <see cref="Propose"/> and
/// <see cref="Observe"/>; proposals are numbered here and evaluated at the study's default fidelity.
/// </summary>
public abstract class ArchitectureStrategy<TArch> : ISearchStrategy<TArch> where TArch : class, IArchitecture
{
    private int _nextId;

    public Proposal<TArch>? Ask() => Propose() is { } arch ? new Proposal<TArch>(_nextId++, arch) : null;

    public void Tell(Proposal<TArch> proposal, Evaluation evaluation) => Observe(proposal.Architecture, evaluation);

    /// <summary>The next architecture to evaluate, or null when there is none.</summary>
    protected abstract TArch? Propose();

    /// <summary>The result of an architecture this strategy proposed.</summary>
    protected abstract void Observe(TArch arch, Evaluation evaluation);
}

/// <summary>
/// A strategy that must be told failed evaluations too (a scheduler that waits for every member of a rung): the
/// failure-filtering wrapper passes them through. It scores a failure as the worst result.
/// </summary>
public interface IObservesFailures;
