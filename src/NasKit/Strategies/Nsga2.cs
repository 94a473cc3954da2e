using NasKit.Analysis;
using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// NSGA-II (Deb et al. 2002) as an ask/tell strategy over several objectives. Generation 0 is random; each later
/// generation's children come from binary tournaments on (front rank, crowding distance), uniform crossover with
/// probability <c>CrossoverProbability</c> and a one-edit mutation; parents and children together are then cut back
/// to the population size by non-dominated sorting and crowding distance. Evaluations that fail or lack an
/// objective are left out of the population.
/// </summary>
public sealed class Nsga2<TArch> : ArchitectureStrategy<TArch> where TArch : class, IArchitecture
{
    private readonly ISearchSpace<TArch> _space;
    private readonly IMutableSpace<TArch> _mutable;
    private readonly ICrossoverSpace<TArch>? _crossover;
    private readonly IReadOnlyList<Objective> _objectives;
    private readonly Random _rng;
    private List<(TArch Arch, double[] Costs)> _population = new();
    private readonly List<(TArch Arch, double[] Costs)> _children = new();
    private readonly Queue<TArch> _queue = new();
    private int _outstanding;
    private int[] _rank = [];
    private double[] _crowding = [];

    public int PopulationSize { get; }
    public double CrossoverProbability { get; init; } = 0.9;

    public Nsga2(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed, int populationSize = 20)
    {
        _mutable = space as IMutableSpace<TArch> ?? throw new ArgumentException($"NSGA-II needs a space that can mutate; '{space.Name}' cannot.");
        _crossover = space as ICrossoverSpace<TArch>;
        if (objectives.Count < 1) throw new ArgumentException("NSGA-II needs at least one objective.");
        (_space, _objectives, _rng, PopulationSize) = (space, objectives, new Random(seed), Math.Max(2, populationSize));
        for (int i = 0; i < PopulationSize; i++) _queue.Enqueue(_space.Sample(_rng));
    }

    public IReadOnlyList<TArch> Population => _population.Select(p => p.Arch).ToArray();

    protected override TArch? Propose()
    {
        if (_queue.Count == 0) Breed();
        _outstanding++;
        return _queue.Dequeue();
    }

    protected override void Observe(TArch arch, Evaluation evaluation)
    {
        _outstanding = Math.Max(0, _outstanding - 1);
        var scores = _objectives.Select(o => o.Score(evaluation)).ToArray();
        if (scores.All(s => s is not null)) _children.Add((arch, scores.Select(s => -s!.Value).ToArray())); // minimise
        if (_queue.Count == 0 && _outstanding == 0) Select();
    }

    /// <summary>Environmental selection: the best <c>PopulationSize</c> of parents ∪ children.</summary>
    private void Select()
    {
        var pool = _population.Concat(_children).GroupBy(p => p.Arch).Select(g => g.First()).ToList();
        _children.Clear();
        var costs = pool.Select(p => (IReadOnlyList<double>)p.Costs).ToArray();
        var rank = Pareto.NonDominatedRanks(costs);
        var next = new List<int>();
        foreach (var front in Enumerable.Range(0, pool.Count).GroupBy(i => rank[i]).OrderBy(g => g.Key))
        {
            var members = front.ToArray();
            if (next.Count + members.Length <= PopulationSize) { next.AddRange(members); continue; }
            var crowd = Pareto.CrowdingDistance(members.Select(i => costs[i]).ToArray());
            next.AddRange(members.Select((i, k) => (i, crowd[k])).OrderByDescending(t => t.Item2).ThenBy(t => t.i)
                .Take(PopulationSize - next.Count).Select(t => t.i));
            break;
        }
        _population = next.Select(i => pool[i]).ToList();
        var popCosts = _population.Select(p => (IReadOnlyList<double>)p.Costs).ToArray();
        _rank = Pareto.NonDominatedRanks(popCosts);
        _crowding = new double[_population.Count];
        foreach (var front in Enumerable.Range(0, _population.Count).GroupBy(i => _rank[i]))
        {
            var members = front.ToArray();
            var crowd = Pareto.CrowdingDistance(members.Select(i => popCosts[i]).ToArray());
            for (int k = 0; k < members.Length; k++) _crowding[members[k]] = crowd[k];
        }
    }

    private void Breed()
    {
        if (_children.Count > 0 || _population.Count == 0) Select();
        if (_population.Count == 0) { _queue.Enqueue(_space.Sample(_rng)); return; }
        for (int i = 0; i < PopulationSize; i++)
        {
            var a = Tournament();
            var child = _crossover is not null && _rng.NextDouble() < CrossoverProbability ? _crossover.Crossover(a, Tournament(), _rng) : a;
            _queue.Enqueue(_mutable.Mutate(child, _rng));
        }
    }

    private TArch Tournament()
    {
        int i = _rng.Next(_population.Count), j = _rng.Next(_population.Count);
        bool iBetter = _rank[i] < _rank[j] || (_rank[i] == _rank[j] && _crowding[i] > _crowding[j]);
        return _population[iBetter ? i : j].Arch;
    }
}
