using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// Hill climbing over the neighbourhood (White et al. 2021, "Local search is state of the art for NAS
/// benchmarks"): start from the best of a few random architectures, evaluate its neighbours in random order, and
/// move to the first neighbour that improves on it (first improvement). At a local optimum, restart from a new
/// random architecture.
/// </summary>
public sealed class LocalSearch<TArch> : ArchitectureStrategy<TArch> where TArch : class, IArchitecture
{
    private readonly ISearchSpace<TArch> _space;
    private readonly IMutableSpace<TArch> _mutable;
    private readonly Objective _objective;
    private readonly Random _rng;
    private readonly int _initial;
    private readonly Dictionary<TArch, double> _scores = new();
    private readonly Queue<TArch> _queue = new();
    private int _randomAsked;
    private TArch? _current;
    private double _currentScore = double.NegativeInfinity;
    private int _outstanding;

    public LocalSearch(ISearchSpace<TArch> space, Objective objective, int seed, int initialRandom = 10)
    {
        _mutable = space as IMutableSpace<TArch> ?? throw new ArgumentException($"Local search needs a space with neighbours; '{space.Name}' has none.");
        (_space, _objective, _rng, _initial) = (space, objective, new Random(seed), Math.Max(1, initialRandom));
    }

    protected override TArch? Propose()
    {
        if (_randomAsked < _initial) { _randomAsked++; _outstanding++; return _space.Sample(_rng); }
        if (_current is null && _outstanding == 0)
        {
            // Start (or restart) from the best architecture seen so far that has not been climbed from.
            _current = _scores.Count == 0 ? _space.Sample(_rng) : _scores.MaxBy(kv => kv.Value).Key;
            _currentScore = _scores.GetValueOrDefault(_current, double.NegativeInfinity);
            Enqueue(_current);
        }
        while (_queue.Count > 0)
        {
            var next = _queue.Dequeue();
            if (_scores.ContainsKey(next)) continue;
            _outstanding++;
            return next;
        }
        if (_outstanding > 0) { _outstanding++; return _space.Sample(_rng); } // keep parallel workers busy
        // Local optimum: every neighbour is known and none is better. Restart from a fresh random point.
        _current = _space.Sample(_rng);
        _currentScore = double.NegativeInfinity;
        _outstanding++;
        Enqueue(_current);
        return _current;
    }

    private void Enqueue(TArch centre)
    {
        _queue.Clear();
        var neighbours = _mutable.Neighbours(centre).ToArray();
        _rng.Shuffle(neighbours);
        foreach (var n in neighbours) _queue.Enqueue(n);
    }

    protected override void Observe(TArch arch, Evaluation evaluation)
    {
        _outstanding = Math.Max(0, _outstanding - 1);
        double score = _objective.Score(evaluation) ?? double.NegativeInfinity;
        _scores[arch] = score;
        if (_current is not null && arch.Equals(_current)) _currentScore = score;
        if (_current is not null && score > _currentScore && _randomAsked >= _initial)
        {
            _current = arch; // first improvement: move and look around the new point
            _currentScore = score;
            Enqueue(arch);
        }
    }
}
