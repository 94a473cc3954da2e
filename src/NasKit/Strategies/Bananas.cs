using NasKit.Estimation;
using NasKit.Estimation.Predictors;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>How a predictor-guided strategy turns predictions into a choice.</summary>
public enum Acquisition
{
    /// <summary>Independent Thompson sampling: one draw from N(mean, std) per candidate (BANANAS' default).</summary>
    ThompsonSampling,
    /// <summary>Upper confidence bound: mean + β·std.</summary>
    Ucb,
}

/// <summary>
/// BANANAS (White et al. 2021): Bayesian optimisation with a neural predictor. After <c>InitialRandom</c>
/// random architectures, each round fits the predictor (by default an ensemble of 5 MLPs on the path
/// encoding) to everything evaluated, makes candidates by mutating the best architectures so far, scores them
/// with the acquisition function and queues the top <c>BatchSize</c>.
/// </summary>
public sealed class Bananas<TArch> : ArchitectureStrategy<TArch>, IDisposable where TArch : class, IArchitecture
{
    private readonly ISearchSpace<TArch> _space;
    private readonly IMutableSpace<TArch> _mutable;
    private readonly IPredictor<TArch> _predictor;
    private readonly Objective _objective;
    private readonly Random _rng;
    private readonly List<(TArch Arch, double Score)> _history = new();
    private readonly HashSet<TArch> _proposed = new();
    private readonly Queue<TArch> _queue = new();
    private int _asked;

    public int InitialRandom { get; init; } = 10;
    public int BatchSize { get; init; } = 10;
    public int Parents { get; init; } = 10;
    public int CandidatesPerParent { get; init; } = 10;
    public Acquisition Acquisition { get; init; } = Acquisition.ThompsonSampling;
    public double UcbBeta { get; init; } = 0.5;

    public Bananas(ISearchSpace<TArch> space, Objective objective, int seed, IPredictor<TArch>? predictor = null)
    {
        _mutable = space as IMutableSpace<TArch> ?? throw new ArgumentException($"BANANAS needs a space that can mutate; '{space.Name}' cannot.");
        if (predictor is null && space is not IEncodableSpace<TArch>)
            throw new ArgumentException($"BANANAS' default predictor needs an encodable space; '{space.Name}' is not. Pass a predictor.");
        // The path encoding where the space has one (BANANAS' choice), one-hot otherwise (NASLib's choice for DARTS).
        _predictor = predictor ?? new MlpEnsemble<TArch>((IEncodableSpace<TArch>)space, ((IEncodableSpace<TArch>)space).Best(ArchitectureEncoding.Path), seed);
        (_space, _objective, _rng) = (space, objective, new Random(seed));
    }

    protected override TArch? Propose()
    {
        if (_asked < InitialRandom || _history.Count < 2)
        {
            _asked++;
            var a = _space.Sample(_rng);
            _proposed.Add(a);
            return a;
        }
        if (_queue.Count == 0) PlanBatch();
        _asked++;
        var next = _queue.Count > 0 ? _queue.Dequeue() : _space.Sample(_rng);
        _proposed.Add(next);
        return next;
    }

    private void PlanBatch()
    {
        _predictor.Fit(_history.Select(h => h.Arch).ToArray(), _history.Select(h => h.Score).ToArray());
        var parents = _history.OrderByDescending(h => h.Score).Take(Parents).Select(h => h.Arch).ToArray();
        var candidates = new List<TArch>();
        var seen = new HashSet<TArch>(_proposed);
        foreach (var parent in parents)
            for (int i = 0; i < CandidatesPerParent; i++)
            {
                var child = _mutable.Mutate(parent, _rng);
                if (_rng.NextDouble() < 0.5) child = _mutable.Mutate(child, _rng); // one or two edits
                if (seen.Add(child)) candidates.Add(child);
            }
        if (candidates.Count == 0) return;
        var predictions = _predictor.Query(candidates);
        var scored = candidates.Select((c, i) => (Arch: c, Value: Acquisition switch
        {
            Acquisition.Ucb => predictions[i].Mean + UcbBeta * predictions[i].Std,
            _ => predictions[i].Mean + predictions[i].Std * Reinforce<TArch>.Gaussian(_rng),
        })).ToArray();
        foreach (var (arch, _) in scored.OrderByDescending(s => s.Value).Take(BatchSize)) _queue.Enqueue(arch);
    }

    protected override void Observe(TArch arch, Evaluation evaluation)
    {
        if (_objective.Score(evaluation) is { } score) _history.Add((arch, score));
    }

    public void Dispose() => (_predictor as IDisposable)?.Dispose();
}
