namespace NasKit.Spaces;

/// <summary>
/// The architectures of a larger space that a benchmark sample actually covers (TransNAS-Bench-101's released subset,
/// for instance): sampling draws among them, mutation and neighbours keep to them, and the encoding is the full
/// space's, so strategies and predictors work unchanged and never spend a query on an architecture without a value.
/// Strategies that build architectures decision by decision (REINFORCE) cannot be confined to a subset, so this
/// space offers no categorical decisions.
/// </summary>
public sealed class SubsetSpace<TArch> : ISearchSpace<TArch>, IEnumerableSpace<TArch>, IMutableSpace<TArch>, ICrossoverSpace<TArch>,
    IEncodableSpace<TArch> where TArch : class, IArchitecture
{
    private readonly DecisionSpace<TArch> _full;
    private readonly TArch[] _members;
    private readonly HashSet<TArch> _set;

    /// <param name="full">The space the members come from; it parses, encodes and defines the neighbourhood.</param>
    /// <param name="members">The covered architectures, in the order <see cref="All"/> lists them; duplicates are refused.</param>
    public SubsetSpace(DecisionSpace<TArch> full, IEnumerable<TArch> members)
    {
        _full = full;
        _members = members.ToArray();
        _set = new HashSet<TArch>(_members);
        if (_set.Count != _members.Length) throw new ArgumentException($"A subset of '{full.Name}' lists an architecture twice.");
        if (_members.Length < 2) throw new ArgumentException($"A subset of '{full.Name}' needs at least two architectures to search, got {_members.Length}.");
    }

    public string Name => _full.Name;
    public DecisionSpace<TArch> Full => _full;
    public long Count => _members.Length;
    public IEnumerable<TArch> All() => _members;
    public bool Contains(TArch arch) => _set.Contains(arch);

    public TArch Sample(Random rng) => _members[rng.Next(_members.Length)];

    public TArch Parse(string text)
    {
        var arch = _full.Parse(text);
        return _set.Contains(arch) ? arch
            : throw new ArchitectureFormatException(text, $"it is an architecture of '{Name}' but not one of the {_members.Length} the benchmark covers",
                                                   $"one of them, e.g. {_members[0].ToText()}");
    }

    /// <summary>A covered neighbour; when none of its neighbours is covered, a jump to another covered architecture.</summary>
    public TArch Mutate(TArch arch, Random rng)
    {
        var near = Neighbours(arch);
        if (near.Count > 0) return near[rng.Next(near.Count)];
        var other = Sample(rng);
        while (other.Equals(arch)) other = Sample(rng);
        return other;
    }

    public IReadOnlyList<TArch> Neighbours(TArch arch) => _full.Neighbours(arch).Where(_set.Contains).ToArray();

    /// <summary>The full space's crossover, redrawn up to 20 times until the child is covered; otherwise one parent.</summary>
    public TArch Crossover(TArch a, TArch b, Random rng)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var child = _full.Crossover(a, b, rng);
            if (_set.Contains(child)) return child;
        }
        return rng.Next(2) == 0 ? a : b;
    }

    public IReadOnlyList<ArchitectureEncoding> Encodings => _full.Encodings;
    public int EncodingLength(ArchitectureEncoding kind) => _full.EncodingLength(kind);
    public float[] Encode(TArch arch, ArchitectureEncoding kind) => _full.Encode(arch, kind);
}
