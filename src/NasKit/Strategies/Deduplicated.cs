using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// Never re-evaluates an architecture: when the wrapped strategy asks for one that was already evaluated,
/// the wrapper tells it the recorded result at once and asks again, so repeats cost no budget. Composes with
/// any strategy (the NNI "deduplication middleware").
/// <para>
/// A strategy that has converged may propose only known architectures. After <c>maxRepeatsPerAsk</c> repeats
/// in one ask the wrapper proposes a random unevaluated architecture from <c>space</c> instead (when given),
/// or ends the search (when not), so it never spins.
/// </para>
/// </summary>
public sealed class Deduplicated<TArch>(ISearchStrategy<TArch> inner, ISearchSpace<TArch>? space = null, int maxRepeatsPerAsk = 100,
                                        int seed = 0) : ISearchStrategy<TArch>
    where TArch : class, IArchitecture
{
    private readonly Random _rng = new(seed);

    private readonly Dictionary<TArch, Evaluation> _seen = new();
    private readonly HashSet<TArch> _pending = new();

    public TArch? Ask()
    {
        for (int i = 0; i < maxRepeatsPerAsk; i++)
        {
            var arch = inner.Ask();
            if (arch is null) return null;
            if (_seen.TryGetValue(arch, out var known)) { inner.Tell(arch, known); continue; }
            if (!_pending.Add(arch)) continue; // asked again before its result came back
            return arch;
        }
        if (space is null) return null; // the strategy only proposes what is known: treat it as exhausted
        for (int i = 0; i < 100_000; i++)
        {
            var fresh = space.Sample(_rng);
            if (!_seen.ContainsKey(fresh) && _pending.Add(fresh)) return fresh;
        }
        return null;
    }

    public void Tell(TArch arch, Evaluation evaluation)
    {
        _pending.Remove(arch);
        _seen[arch] = evaluation;
        inner.Tell(arch, evaluation);
    }
}

/// <summary>
/// Keeps failed evaluations away from the wrapped strategy: the study records them with their reason, and the
/// search goes on as if they had not been proposed. Strategies can then assume every result they see is real.
/// </summary>
public sealed class IgnoringFailures<TArch>(ISearchStrategy<TArch> inner) : ISearchStrategy<TArch>
    where TArch : class, IArchitecture
{
    public TArch? Ask() => inner.Ask();

    public void Tell(TArch arch, Evaluation evaluation)
    {
        if (!evaluation.Failed) inner.Tell(arch, evaluation);
    }
}

public static class StrategyWrappers
{
    /// <summary>The standard stack: failures filtered out, then duplicates answered from memory.</summary>
    public static ISearchStrategy<TArch> WithStandardWrappers<TArch>(this ISearchStrategy<TArch> strategy,
                                                                     ISearchSpace<TArch>? space = null, int seed = 0)
        where TArch : class, IArchitecture => new Deduplicated<TArch>(new IgnoringFailures<TArch>(strategy), space, seed: seed);
}
