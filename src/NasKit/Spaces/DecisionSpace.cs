using System.Text;

namespace NasKit.Spaces;

/// <summary>
/// A space described by a list of <see cref="Decision"/>s. From the list alone it samples, mutates, lists
/// neighbours, crosses over, exposes categorical decisions (REINFORCE, the LSTM controller), encodes one-hot
/// (predictors) and enumerates; a subclass only says how an architecture maps to option indices and back.
/// <para>
/// Values are option indices, one per decision. A decision whose condition does not hold is inactive: its value
/// is 0 in the canonical form and it is ignored by equality, mutation and encoding. When a move activates a
/// decision, sampling and mutation draw it from the random generator; neighbours and crossover take option 0 or a
/// parent's value.
/// </para>
/// </summary>
public abstract class DecisionSpace<TArch> : ISearchSpace<TArch>, IEnumerableSpace<TArch>, IMutableSpace<TArch>, ICrossoverSpace<TArch>,
    ICategoricalSpace<TArch>, IEncodableSpace<TArch> where TArch : class, IArchitecture
{
    private readonly Decision[] _decisions;
    private readonly int[] _parent;          // decision index of each decision's condition, -1 when unconditional
    private readonly bool[]?[] _allowed;     // for conditional decisions: which parent options activate it
    private readonly int[] _choices;
    private readonly int _oneHotLength;

    public string Name { get; }
    public IReadOnlyList<Decision> Decisions => _decisions;
    public bool HasConditions { get; }

    protected DecisionSpace(string name, IReadOnlyList<Decision> decisions)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A space needs a name.");
        if (decisions.Count == 0) throw new ArgumentException($"Space '{name}' needs at least one decision.");
        Name = name;
        _decisions = decisions.ToArray();
        var index = new Dictionary<string, int>();
        _parent = new int[_decisions.Length];
        _allowed = new bool[]?[_decisions.Length];
        for (int d = 0; d < _decisions.Length; d++)
        {
            var decision = _decisions[d];
            if (!index.TryAdd(decision.Name, d)) throw new ArgumentException($"Space '{name}' declares decision '{decision.Name}' twice.");
            _parent[d] = -1;
            if (decision.Condition is not { } c) continue;
            if (!index.TryGetValue(c.Decision, out int p))
                throw new ArgumentException($"Space '{name}': decision '{decision.Name}' depends on '{c.Decision}', which is not declared before it.");
            var allowed = new bool[_decisions[p].Count];
            foreach (var v in c.Values)
            {
                int i = _decisions[p].IndexOf(v);
                if (i < 0) throw new ArgumentException($"Space '{name}': decision '{decision.Name}' depends on '{c.Decision}' = '{v}', which is not one of its options ({string.Join(", ", _decisions[p].Options)}).");
                allowed[i] = true;
            }
            (_parent[d], _allowed[d]) = (p, allowed);
            HasConditions = true;
        }
        _choices = _decisions.Select(x => x.Count).ToArray();
        _oneHotLength = _choices.Sum();
    }

    /// <summary>The architecture of canonical values (one option index per decision, inactive ones 0).</summary>
    protected abstract TArch FromValues(int[] values);

    /// <summary>The option index of every decision (inactive ones 0).</summary>
    protected abstract int[] ValuesOf(TArch arch);

    /// <summary>The architecture of these option indices; inactive decisions are set to 0, out-of-range indices refused.</summary>
    public TArch Create(IReadOnlyList<int> values) => FromValues(Canonical(values));

    /// <summary>The architecture with these options by decision name (inactive decisions may be left out).</summary>
    public TArch Create(IReadOnlyDictionary<string, string> options)
    {
        var values = new int[_decisions.Length];
        foreach (var (key, option) in options)
        {
            int d = Array.FindIndex(_decisions, x => x.Name == key);
            if (d < 0) throw new ArgumentException($"Space '{Name}' has no decision '{key}'. Decisions: {string.Join(", ", _decisions.Select(x => x.Name))}.");
            int v = _decisions[d].IndexOf(option);
            values[d] = v >= 0 ? v : throw new ArgumentException($"Decision '{key}' has no option '{option}'. Options: {string.Join(", ", _decisions[d].Options)}.");
        }
        return Create(values);
    }

    /// <summary>The options of an architecture's active decisions, by name.</summary>
    public IReadOnlyDictionary<string, string> Describe(TArch arch)
    {
        var values = ValuesOf(arch);
        var result = new Dictionary<string, string>();
        for (int d = 0; d < _decisions.Length; d++) if (IsActive(values, d)) result[_decisions[d].Name] = _decisions[d].Options[values[d]];
        return result;
    }

    /// <summary>True when decision <paramref name="d"/> exists given the earlier values.</summary>
    public bool IsActive(IReadOnlyList<int> values, int d)
    {
        for (int p = _parent[d]; p >= 0; d = p, p = _parent[d])
            if (!_allowed[d]![values[p]]) return false;
        return true;
    }

    /// <summary>Checks ranges and sets inactive decisions to 0.</summary>
    public int[] Canonical(IReadOnlyList<int> values)
    {
        if (values.Count != _decisions.Length) throw new ArgumentException($"Space '{Name}' has {_decisions.Length} decisions, got {values.Count} values.");
        var v = new int[values.Count];
        for (int d = 0; d < v.Length; d++)
        {
            if ((uint)values[d] >= (uint)_choices[d])
                throw new ArgumentOutOfRangeException(nameof(values), $"Decision '{_decisions[d].Name}' has options 0..{_choices[d] - 1}, got {values[d]}.");
            v[d] = values[d];
        }
        if (HasConditions) for (int d = 0; d < v.Length; d++) if (!IsActive(v, d)) v[d] = 0;
        return v;
    }

    public TArch Sample(Random rng)
    {
        var values = new int[_decisions.Length];
        for (int d = 0; d < values.Length; d++) values[d] = !HasConditions || IsActive(values, d) ? rng.Next(_choices[d]) : 0;
        return FromValues(values);
    }

    /// <summary>One decision, drawn among the active ones with an alternative, takes another option (the adjacent one when ordinal).</summary>
    public TArch Mutate(TArch arch, Random rng)
    {
        var values = ValuesOf(arch);
        var movable = Movable(values);
        if (movable.Count == 0) throw new InvalidOperationException($"{arch.ToText()} has no neighbour in space '{Name}': every active decision has one option.");
        int d = movable[rng.Next(movable.Count)];
        bool[]? activeBefore = HasConditions ? ActiveFlags(values) : null;
        int current = values[d];
        if (_decisions[d].Kind == DecisionKind.Ordinal)
            values[d] = current == 0 ? 1 : current == _choices[d] - 1 ? current - 1 : current + (rng.Next(2) == 0 ? -1 : 1);
        else
        {
            int v = rng.Next(_choices[d] - 1);
            values[d] = v >= current ? v + 1 : v;
        }
        if (activeBefore is not null)
            for (int k = 0; k < values.Length; k++)
            {
                bool active = IsActive(values, k);
                if (!active) values[k] = 0;
                else if (!activeBefore[k]) values[k] = rng.Next(_choices[k]); // a decision the move brought into existence
            }
        return FromValues(values);
    }

    /// <summary>Every architecture one move away: each active decision's other options (adjacent ones when ordinal), in decision order.</summary>
    public IReadOnlyList<TArch> Neighbours(TArch arch)
    {
        var values = ValuesOf(arch);
        var result = new List<TArch>();
        foreach (int d in Movable(values))
        {
            IEnumerable<int> options = _decisions[d].Kind == DecisionKind.Ordinal
                ? new[] { values[d] - 1, values[d] + 1 }.Where(v => v >= 0 && v < _choices[d])
                : Enumerable.Range(0, _choices[d]).Where(v => v != values[d]);
            foreach (int v in options)
            {
                var n = (int[])values.Clone();
                n[d] = v;
                result.Add(FromValues(HasConditions ? Canonical(n) : n));
            }
        }
        return result;
    }

    /// <summary>Uniform crossover: each decision's option from either parent with probability 1/2.</summary>
    public TArch Crossover(TArch a, TArch b, Random rng)
    {
        var (va, vb) = (ValuesOf(a), ValuesOf(b));
        var child = new int[va.Length];
        for (int d = 0; d < child.Length; d++) child[d] = rng.Next(2) == 0 ? va[d] : vb[d];
        return FromValues(HasConditions ? Canonical(child) : child);
    }

    private List<int> Movable(int[] values)
    {
        var list = new List<int>(values.Length);
        for (int d = 0; d < values.Length; d++) if (_choices[d] > 1 && (!HasConditions || IsActive(values, d))) list.Add(d);
        return list;
    }

    private bool[] ActiveFlags(int[] values)
    {
        var flags = new bool[values.Length];
        for (int d = 0; d < values.Length; d++) flags[d] = IsActive(values, d);
        return flags;
    }

    // ICategoricalSpace: the decisions as they are.
    public IReadOnlyList<int> Choices => _choices;
    public int[] ToDecisions(TArch arch) => ValuesOf(arch);
    public TArch FromDecisions(IReadOnlyList<int> decisions) => Create(decisions);
    public IReadOnlyList<bool> Ordered => _decisions.Select(d => d.Kind == DecisionKind.Ordinal).ToArray();
    public IReadOnlyList<bool> Active(IReadOnlyList<int> decisions) => HasConditions ? ActiveFlags(decisions.ToArray()) : Enumerable.Repeat(true, decisions.Count).ToArray();

    // IEncodableSpace: one block of one-hot indicators per decision, all zeros while inactive.
    public virtual IReadOnlyList<ArchitectureEncoding> Encodings { get; } = [ArchitectureEncoding.OneHot];

    public virtual int EncodingLength(ArchitectureEncoding kind) => kind == ArchitectureEncoding.OneHot ? _oneHotLength
        : throw new NotSupportedException($"Space '{Name}' has no {kind} encoding; it has {string.Join(", ", Encodings)}.");

    public virtual float[] Encode(TArch arch, ArchitectureEncoding kind)
    {
        var v = new float[EncodingLength(kind)];
        var values = ValuesOf(arch);
        for (int d = 0, offset = 0; d < values.Length; offset += _choices[d], d++)
            if (!HasConditions || IsActive(values, d)) v[offset + values[d]] = 1;
        return v;
    }

    /// <summary>The number of distinct architectures (saturates at <see cref="long.MaxValue"/>).</summary>
    public virtual long Count => CountFrom(0, new int[_decisions.Length]);

    // Branches only on decisions that a later condition reads; the others multiply.
    private long CountFrom(int d, int[] values)
    {
        if (d == _decisions.Length) return 1;
        if (HasConditions && !IsActive(values, d)) { values[d] = 0; return CountFrom(d + 1, values); }
        if (!Array.Exists(_parent, p => p == d)) return Multiply(_choices[d], CountFrom(d + 1, values));
        long total = 0;
        for (int v = 0; v < _choices[d]; v++)
        {
            values[d] = v;
            total = Add(total, CountFrom(d + 1, values));
        }
        values[d] = 0;
        return total;
    }

    private static long Multiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;
    private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <summary>Every architecture, in lexicographic order of the values (the first decision most significant).</summary>
    public virtual IEnumerable<TArch> All()
    {
        var values = new int[_decisions.Length];
        return Enumerate(0, values);
    }

    private IEnumerable<TArch> Enumerate(int d, int[] values)
    {
        if (d == values.Length) { yield return FromValues((int[])values.Clone()); yield break; }
        int options = !HasConditions || IsActive(values, d) ? _choices[d] : 1;
        for (int v = 0; v < options; v++)
        {
            values[d] = v;
            foreach (var a in Enumerate(d + 1, values)) yield return a;
        }
        values[d] = 0;
    }

    /// <summary>The generic text form <c>name=option, name=option</c> of the active decisions.</summary>
    public string Format(IReadOnlyList<int> values)
    {
        var sb = new StringBuilder();
        for (int d = 0; d < _decisions.Length; d++)
        {
            if (HasConditions && !IsActive(values, d)) continue;
            if (sb.Length > 0) sb.Append(", ");
            sb.Append(_decisions[d].Name).Append('=').Append(_decisions[d].Options[values[d]]);
        }
        return sb.ToString();
    }

    /// <summary>Reads <see cref="Format"/>'s text form; spaces with an official string form override this.</summary>
    public virtual TArch Parse(string text) => FromValues(ParseValues(text));

    protected int[] ParseValues(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string form = $"'{string.Join(", ", _decisions.Take(3).Select(d => $"{d.Name}={d.Options[0]}"))}{(_decisions.Length > 3 ? ", ..." : "")}'";
        ArchitectureFormatException Fail(string problem) => new(text, problem, form);
        var values = new int[_decisions.Length];
        var given = new bool[_decisions.Length];
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0) throw Fail("it has an empty item between commas");
            int eq = part.IndexOf('=');
            if (eq <= 0) throw Fail($"'{part}' is not name=option");
            string name = part[..eq].Trim(), option = part[(eq + 1)..].Trim();
            int d = Array.FindIndex(_decisions, x => x.Name == name);
            if (d < 0) throw Fail($"space '{Name}' has no decision '{name}' (decisions: {string.Join(", ", _decisions.Select(x => x.Name))})");
            if (given[d]) throw Fail($"decision '{name}' is given twice");
            int v = _decisions[d].IndexOf(option);
            if (v < 0) throw Fail($"decision '{name}' has no option '{option}' (options: {string.Join(", ", _decisions[d].Options)})");
            (values[d], given[d]) = (v, true);
        }
        for (int d = 0; d < values.Length; d++)
        {
            bool active = IsActive(values, d);
            if (active && !given[d]) throw Fail($"decision '{_decisions[d].Name}' is missing");
            if (!active && given[d]) throw Fail($"decision '{_decisions[d].Name}' does not exist here ({_decisions[d].Condition!.Decision} is {_decisions[_parent[d]].Options[values[_parent[d]]]})");
        }
        return values;
    }
}
