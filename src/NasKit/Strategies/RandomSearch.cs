using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// Uniform random search without repeats. In an enumerable space it draws a random permutation lazily
/// (a Fisher-Yates shuffle one step per ask), so it never repeats and ends exactly when the space is exhausted.
/// In other spaces it samples and skips what it has already proposed.
/// </summary>
public sealed class RandomSearch<TArch> : ArchitectureStrategy<TArch> where TArch : class, IArchitecture
{
    private readonly ISearchSpace<TArch> _space;
    private readonly Random _rng;
    private readonly TArch[]? _pool;
    private int _next;
    private readonly HashSet<TArch> _seen = new();

    public RandomSearch(ISearchSpace<TArch> space, int seed)
    {
        _space = space;
        _rng = new Random(seed);
        if (space is IEnumerableSpace<TArch> finite && finite.Count <= 10_000_000) _pool = finite.All().ToArray();
    }

    protected override TArch? Propose()
    {
        if (_pool is not null)
        {
            if (_next >= _pool.Length) return null;
            int j = _rng.Next(_next, _pool.Length);
            (_pool[_next], _pool[j]) = (_pool[j], _pool[_next]);
            return _pool[_next++];
        }
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            var a = _space.Sample(_rng);
            if (_seen.Add(a)) return a;
        }
        return null;
    }

    protected override void Observe(TArch arch, Evaluation evaluation) { }
}
