using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies.MultiFidelity;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al., MLSys 2020, Algorithm 2). Whenever asked, it promotes a
/// configuration that is in the top 1/η of its rung's finished results and was not promoted yet, looking from the
/// highest rung down; when there is none it starts a new configuration on the lowest rung. It never waits for a
/// rung to fill, so workers of a distributed study are never idle; the price is that early promotions are made on
/// few results. Each evaluation trains from scratch at its rung's epochs.
/// </summary>
public sealed class Asha<TArch> : ISearchStrategy<TArch>, IObservesFailures where TArch : class, IArchitecture
{
    private readonly Objective _objective;
    private readonly Random _rng;
    private readonly IConfigurationSampler<TArch> _sampler;
    private readonly List<(TArch Arch, double Score)>[] _results;
    private readonly HashSet<TArch>[] _promoted;
    private readonly HashSet<TArch> _started = new();
    private readonly Dictionary<int, int> _rungOf = new();
    private int _nextId;

    public FidelityRungs Rungs { get; }

    public Asha(ISearchSpace<TArch> space, Objective objective, FidelityRungs rungs, int seed, IConfigurationSampler<TArch>? sampler = null)
    {
        (_objective, Rungs, _rng) = (objective, rungs, new Random(seed));
        _sampler = sampler ?? new UniformSampler<TArch>(space);
        _results = Enumerable.Range(0, rungs.Epochs.Count).Select(_ => new List<(TArch, double)>()).ToArray();
        _promoted = Enumerable.Range(0, rungs.Epochs.Count).Select(_ => new HashSet<TArch>()).ToArray();
    }

    public Proposal<TArch>? Ask()
    {
        for (int k = Rungs.Top - 1; k >= 0; k--)
        {
            int quota = (int)Math.Floor(_results[k].Count / Rungs.Eta + 1e-9);
            foreach (var (arch, _) in _results[k].Select((r, i) => (r, i)).OrderByDescending(x => x.r.Score).ThenBy(x => x.i).Take(quota).Select(x => x.r))
            {
                if (!_promoted[k].Add(arch)) continue;
                return Propose(arch, k + 1);
            }
        }
        var fresh = _sampler.Sample(_rng);
        for (int attempt = 0; attempt < 100 && _started.Contains(fresh); attempt++) fresh = _sampler.Sample(_rng);
        _started.Add(fresh);
        return Propose(fresh, 0);
    }

    public void Tell(Proposal<TArch> proposal, Evaluation evaluation)
    {
        if (!_rungOf.Remove(proposal.Id, out int rung))
            throw new InvalidOperationException($"ASHA was told about proposal {proposal.Id}, which it has no record of asking.");
        var score = _objective.Score(evaluation);
        _sampler.Observe(proposal.Architecture, Rungs.Epochs[rung], score);
        _results[rung].Add((proposal.Architecture, score ?? double.NegativeInfinity));
    }

    private Proposal<TArch> Propose(TArch arch, int rung)
    {
        var p = new Proposal<TArch>(_nextId++, arch, new Fidelity(Epochs: Rungs.Epochs[rung]));
        _rungOf[p.Id] = rung;
        return p;
    }
}

public sealed class AshaFactory : SchedulerFactory
{
    public override string Name => "asha";
    public override string Description => "ASHA (Li et al. 2020): asynchronous successive halving, promotes whenever it can, never waits.";
    public override int Order => 120;

    protected override ISearchStrategy<TArch> Make<TArch>(ISearchSpace<TArch> space, Objective objective, FidelityRungs rungs, int seed) =>
        new Asha<TArch>(space, objective, rungs, seed);
}
