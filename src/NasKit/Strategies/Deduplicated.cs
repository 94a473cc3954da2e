using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// Never evaluates the same (architecture, fidelity) twice: when the wrapped strategy proposes one that was already
/// evaluated, the wrapper tells it the recorded result at once and asks again, so repeats cost no budget (the NNI
/// "deduplication middleware"). A proposal made again while the first is still being evaluated waits for that
/// result and is told it too.
/// <para>
/// A strategy that proposes only known architectures <c>maxRepeatsPerAsk</c> times in a row has nothing new to
/// offer: the wrapper ends the search (Ask returns null) instead of spinning or inventing proposals of its own.
/// </para>
/// </summary>
public sealed class Deduplicated<TArch>(ISearchStrategy<TArch> inner, int maxRepeatsPerAsk = 100) : ISearchStrategy<TArch>
    where TArch : class, IArchitecture
{
    private readonly Dictionary<(TArch, Fidelity?), Evaluation> _seen = new();
    private readonly Dictionary<(TArch, Fidelity?), List<Proposal<TArch>>> _waiting = new();

    /// <summary>Proposals answered from memory so far.</summary>
    public int Repeats { get; private set; }

    /// <summary>True once the wrapped strategy proposed only known architectures <c>maxRepeatsPerAsk</c> times in a row.</summary>
    public bool ExhaustedByRepeats { get; private set; }

    public bool Waiting => !ExhaustedByRepeats && inner.Waiting;

    public Proposal<TArch>? Ask()
    {
        for (int i = 0; i < maxRepeatsPerAsk; i++)
        {
            var proposal = inner.Ask();
            if (proposal is null) return null; // exhausted, or waiting: Waiting says which
            var key = (proposal.Architecture, proposal.Fidelity);
            if (_seen.TryGetValue(key, out var known)) { Repeats++; inner.Tell(proposal, known); continue; }
            if (_waiting.TryGetValue(key, out var twins)) { Repeats++; twins.Add(proposal); continue; } // told when the first one's result comes
            _waiting[key] = [];
            return proposal;
        }
        ExhaustedByRepeats = true;
        return null;
    }

    public void Tell(Proposal<TArch> proposal, Evaluation evaluation)
    {
        var key = (proposal.Architecture, proposal.Fidelity);
        _seen[key] = evaluation;
        inner.Tell(proposal, evaluation);
        if (_waiting.Remove(key, out var twins)) foreach (var twin in twins) inner.Tell(twin, evaluation);
    }
}

/// <summary>
/// Keeps failed evaluations away from the wrapped strategy: the study records them with their reason, and the
/// search goes on as if they had not been proposed. Strategies can then assume every result they see is real.
/// Strategies marked <see cref="IObservesFailures"/> are told failures too.
/// </summary>
public sealed class IgnoringFailures<TArch>(ISearchStrategy<TArch> inner) : ISearchStrategy<TArch>
    where TArch : class, IArchitecture
{
    public Proposal<TArch>? Ask() => inner.Ask();

    public bool Waiting => inner.Waiting;

    public void Tell(Proposal<TArch> proposal, Evaluation evaluation)
    {
        if (!evaluation.Failed || inner is IObservesFailures) inner.Tell(proposal, evaluation);
    }
}

public static class StrategyWrappers
{
    /// <summary>The standard stack: failures filtered out, then duplicates answered from memory.</summary>
    public static ISearchStrategy<TArch> WithStandardWrappers<TArch>(this ISearchStrategy<TArch> strategy) where TArch : class, IArchitecture =>
        new Deduplicated<TArch>(new IgnoringFailures<TArch>(strategy));
}
