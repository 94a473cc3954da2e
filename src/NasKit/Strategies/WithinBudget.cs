using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// Constrained search by rejection before evaluation (Archai's constraint filtering): a proposal the evaluator's
/// <see cref="IAdmission{TArch}"/> refuses is told to the wrapped strategy as a failure at once, and the wrapper asks
/// again, so only admissible architectures reach the study and every query trains a network. A budget that admits
/// nothing in <c>maxRefusalsPerAsk</c> proposals in a row ends the search (Ask returns null) instead of spinning.
/// </summary>
public sealed class WithinBudget<TArch>(ISearchStrategy<TArch> inner, IAdmission<TArch> admission, int maxRefusalsPerAsk = 10_000) : ISearchStrategy<TArch>
    where TArch : class, IArchitecture
{
    /// <summary>Proposals refused so far.</summary>
    public int Refused { get; private set; }

    /// <summary>True once <c>maxRefusalsPerAsk</c> proposals in a row were refused.</summary>
    public bool ExhaustedByRefusals { get; private set; }

    public bool Waiting => !ExhaustedByRefusals && inner.Waiting;

    public Proposal<TArch>? Ask()
    {
        for (int i = 0; i < maxRefusalsPerAsk; i++)
        {
            var proposal = inner.Ask();
            if (proposal is null) return null;
            if (admission.Refusal(proposal.Architecture) is not { } reason) return proposal;
            Refused++;
            inner.Tell(proposal, Evaluation.Failure(reason));
        }
        ExhaustedByRefusals = true;
        return null;
    }

    public void Tell(Proposal<TArch> proposal, Evaluation evaluation) => inner.Tell(proposal, evaluation);
}
