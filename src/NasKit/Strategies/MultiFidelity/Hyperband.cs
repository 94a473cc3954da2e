using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies.MultiFidelity;

/// <summary>
/// Hyperband (Li et al., JMLR 2018): successive-halving brackets that trade many cheap evaluations against few long
/// ones. Bracket s (s = s_max … 0, then again) starts n = ⌈(s_max+1)/(s+1)·η^s⌉ configurations at rung s_max−s
/// and keeps the best ⌊n·η^−i⌋ for rung i of the bracket; with rungs 1…81 and η = 3 this is the paper's Table 1.
/// With <c>successiveHalvingOnly</c> every bracket is the most aggressive one (Jamieson and Talwalkar 2016).
/// <para>
/// It is synchronous: a rung is promoted only when all its results are in, and until then <see cref="Ask"/> returns
/// null with <see cref="Waiting"/> set. Failures are told to it (<see cref="IObservesFailures"/>) and rank last.
/// Each evaluation trains from scratch at its rung's epochs (no checkpoint is continued), which is how the
/// epoch budget counts them. New configurations come from the sampler, lazily, so BOHB's model sees every result
/// that arrived before it is asked.
/// </para>
/// </summary>
public class Hyperband<TArch> : ISearchStrategy<TArch>, IObservesFailures where TArch : class, IArchitecture
{
    private readonly Objective _objective;
    private readonly Random _rng;
    private readonly IConfigurationSampler<TArch> _sampler;
    private readonly bool _successiveHalvingOnly;
    private readonly Dictionary<int, (Bracket Bracket, int Member)> _outstanding = new();
    private Bracket? _bracket;
    private int _brackets, _nextId;

    public FidelityRungs Rungs { get; }

    public bool Waiting { get; private set; }

    public Hyperband(ISearchSpace<TArch> space, Objective objective, FidelityRungs rungs, int seed, bool successiveHalvingOnly = false,
                     IConfigurationSampler<TArch>? sampler = null)
    {
        (_objective, Rungs, _rng, _successiveHalvingOnly) = (objective, rungs, new Random(seed), successiveHalvingOnly);
        _sampler = sampler ?? new UniformSampler<TArch>(space);
    }

    /// <summary>The brackets' sizes: for bracket s, the (configurations, epochs) of each of its rungs (Li et al. Table 1).</summary>
    public static IReadOnlyList<(int Configurations, int Epochs)> BracketShape(FidelityRungs rungs, int s)
    {
        int sMax = rungs.Top;
        if (s < 0 || s > sMax) throw new ArgumentOutOfRangeException(nameof(s), $"Brackets are 0..{sMax}.");
        // The tiny epsilon keeps ⌈5/4·27⌉ = 34 from becoming 35 through floating-point noise.
        int n = (int)Math.Ceiling((double)(sMax + 1) / (s + 1) * Math.Pow(rungs.Eta, s) - 1e-9);
        return Enumerable.Range(0, s + 1)
            .Select(i => (Math.Max(1, (int)Math.Floor(n * Math.Pow(rungs.Eta, -i) + 1e-9)), rungs.Epochs[sMax - s + i])).ToArray();
    }

    public Proposal<TArch>? Ask()
    {
        Waiting = false;
        if (_bracket is null || _bracket.Done)
        {
            int s = _successiveHalvingOnly ? Rungs.Top : Rungs.Top - _brackets % (Rungs.Top + 1);
            _brackets++;
            _bracket = new Bracket(BracketShape(Rungs, s));
        }
        if (_bracket.NextMember(this) is not { } member) { Waiting = true; return null; }
        var proposal = new Proposal<TArch>(_nextId++, _bracket.Members[member], new Fidelity(Epochs: _bracket.Epochs));
        _outstanding[proposal.Id] = (_bracket, member);
        return proposal;
    }

    public void Tell(Proposal<TArch> proposal, Evaluation evaluation)
    {
        if (!_outstanding.Remove(proposal.Id, out var at))
            throw new InvalidOperationException($"Hyperband was told about proposal {proposal.Id}, which it has no record of asking.");
        var score = _objective.Score(evaluation);
        _sampler.Observe(proposal.Architecture, proposal.Fidelity?.Epochs ?? Rungs.Max, score);
        at.Bracket.Record(at.Member, score ?? double.NegativeInfinity);
    }

    /// <summary>One successive-halving bracket: its current rung's members, their results, and the shape to follow.</summary>
    private sealed class Bracket(IReadOnlyList<(int Configurations, int Epochs)> shape)
    {
        private int _rung, _asked;
        private readonly List<TArch> _members = [];
        private double[] _scores = Fill(shape[0].Configurations);
        private int _told;

        public IReadOnlyList<TArch> Members => _members;
        public int Epochs => shape[_rung].Epochs;
        public bool Done => _rung == shape.Count - 1 && _told == _scores.Length;

        /// <summary>The next member of the current rung to evaluate (a new configuration on the first rung), or null while the rung fills.</summary>
        public int? NextMember(Hyperband<TArch> owner)
        {
            if (_asked >= _scores.Length) return null;
            if (_rung == 0)
            {
                var arch = owner._sampler.Sample(owner._rng);
                // Distinct configurations within a bracket, as far as the space allows.
                for (int attempt = 0; attempt < 100 && _members.Contains(arch); attempt++) arch = owner._sampler.Sample(owner._rng);
                _members.Add(arch);
            }
            return _asked++;
        }

        public void Record(int member, double score)
        {
            _scores[member] = score;
            if (++_told < _scores.Length || _rung == shape.Count - 1) return;
            // The rung is full: the best ⌊n/η⌋ go on (ties to the earlier member), and train from scratch at the next rung's epochs.
            var survivors = Enumerable.Range(0, _members.Count).OrderByDescending(i => _scores[i]).ThenBy(i => i)
                .Take(shape[_rung + 1].Configurations).Order().Select(i => _members[i]).ToArray();
            _rung++;
            _members.Clear();
            _members.AddRange(survivors);
            _scores = Fill(survivors.Length);
            (_asked, _told) = (0, 0);
        }

        private static double[] Fill(int n) => Enumerable.Repeat(double.NaN, n).ToArray();
    }
}

public sealed class HyperbandFactory : SchedulerFactory
{
    public override string Name => "hyperband";
    public override string Description => "Hyperband (Li et al. 2018): successive-halving brackets from aggressive to none, uniform sampling.";
    public override int Order => 100;

    protected override ISearchStrategy<TArch> Make<TArch>(ISearchSpace<TArch> space, Objective objective, FidelityRungs rungs, int seed) =>
        new Hyperband<TArch>(space, objective, rungs, seed);
}

public sealed class SuccessiveHalvingFactory : SchedulerFactory
{
    public override string Name => "successive-halving";
    public override string Description => "Successive halving (Jamieson and Talwalkar 2016): Hyperband's most aggressive bracket, repeated.";
    public override int Order => 90;

    protected override ISearchStrategy<TArch> Make<TArch>(ISearchSpace<TArch> space, Objective objective, FidelityRungs rungs, int seed) =>
        new Hyperband<TArch>(space, objective, rungs, seed, successiveHalvingOnly: true);
}
