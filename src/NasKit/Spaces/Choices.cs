namespace NasKit.Spaces;

/// <summary>An architecture of a <see cref="DecisionSpace"/>: the option chosen for every decision.</summary>
public sealed class Choices : IArchitecture
{
    private readonly int[] _values;
    private readonly int _hash;

    public DecisionSpace Space { get; }
    /// <summary>The option index of each decision (0 for inactive ones).</summary>
    public IReadOnlyList<int> Values => _values;

    internal Choices(DecisionSpace space, int[] values)
    {
        (Space, _values) = (space, values);
        var h = new HashCode();
        foreach (var v in values) h.Add(v);
        _hash = h.ToHashCode();
    }

    /// <summary>The chosen option of a decision, or null while it is inactive.</summary>
    public string? this[string decision]
    {
        get
        {
            int d = Index(decision);
            return Space.IsActive(_values, d) ? Space.Decisions[d].Options[_values[d]] : null;
        }
    }

    /// <summary>The chosen option of a decision as a number (for integer and numeric ordinal decisions).</summary>
    public double Number(string decision) => this[decision] is { } s
        ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)
        : throw new InvalidOperationException($"Decision '{decision}' is inactive in {ToText()}.");

    private int Index(string decision)
    {
        for (int d = 0; d < Space.Decisions.Count; d++) if (Space.Decisions[d].Name == decision) return d;
        throw new KeyNotFoundException($"Space '{Space.Name}' has no decision '{decision}'.");
    }

    public string ToText() => Space.Format(_values);
    public override string ToString() => ToText();

    public bool Equals(IArchitecture? other) => other is Choices c && ReferenceEquals(c.Space, Space) && c._values.AsSpan().SequenceEqual(_values);
    public override bool Equals(object? obj) => obj is Choices c && Equals(c);
    public override int GetHashCode() => _hash;
}

/// <summary>
/// A search space written as a list of decisions, for spaces that need no architecture class of their own:
/// <c>new DecisionSpace("mlp", Decision.Integer("layers", 1, 4), Decision.Categorical("act", "relu", "gelu"))</c>.
/// Its architectures are <see cref="Choices"/>, with the text form <c>layers=2, act=relu</c>.
/// </summary>
public class DecisionSpace(string name, IReadOnlyList<Decision> decisions) : DecisionSpace<Choices>(name, decisions)
{
    public DecisionSpace(string name, params Decision[] decisions) : this(name, (IReadOnlyList<Decision>)decisions) { }

    protected override Choices FromValues(int[] values) => new(this, values);

    protected override int[] ValuesOf(Choices arch) => ReferenceEquals(arch.Space, this) ? arch.Values.ToArray()
        : throw new ArgumentException($"{arch.ToText()} belongs to space '{arch.Space.Name}', not to this '{Name}'.");
}
