namespace NasKit.Spaces;

/// <summary>How a decision's options relate: unordered (an op) or ordered (a depth, a width), which changes what a local move is.</summary>
public enum DecisionKind
{
    /// <summary>Unordered options: a mutation picks any other option.</summary>
    Categorical,
    /// <summary>Ordered options: a mutation moves to an adjacent option (one layer more or fewer, the next width).</summary>
    Ordinal,
}

/// <summary>A decision exists only while an earlier decision has one of <see cref="Values"/> (e.g. a layer's type only when the depth reaches it).</summary>
public sealed record Condition(string Decision, IReadOnlyList<string> Values);

/// <summary>
/// One choice of a search space: a name and its options (as text, the way the canonical form prints them), optionally
/// conditional on an earlier decision. A <see cref="DecisionSpace{TArch}"/> derives sampling, mutation, neighbours,
/// crossover, categorical decisions, one-hot encoding and enumeration from a list of them.
/// </summary>
public sealed record Decision
{
    public string Name { get; }
    public IReadOnlyList<string> Options { get; }
    public DecisionKind Kind { get; }
    /// <summary>Null: the decision always exists.</summary>
    public Condition? Condition { get; private init; }

    public int Count => Options.Count;

    private Decision(string name, IReadOnlyList<string> options, DecisionKind kind)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Reserved) >= 0 || name != name.Trim())
            throw new ArgumentException($"Decision name '{name}' must be non-empty, without surrounding spaces, and contain none of {string.Join(" ", Reserved.Select(c => $"'{c}'"))}.");
        if (options.Count == 0) throw new ArgumentException($"Decision '{name}' needs at least one option.");
        foreach (var o in options)
            if (string.IsNullOrWhiteSpace(o) || o.IndexOfAny(Reserved) >= 0 || o != o.Trim())
                throw new ArgumentException($"Decision '{name}': option '{o}' must be non-empty, without surrounding spaces, and contain none of {string.Join(" ", Reserved.Select(c => $"'{c}'"))}.");
        var twice = options.GroupBy(o => o).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"Decision '{name}' lists option '{twice.Key}' twice.");
        (Name, Options, Kind) = (name, options.ToArray(), kind);
    }

    // The canonical text "a=x, b=y" separates with these.
    private static readonly char[] Reserved = [',', '=', '\n'];

    /// <summary>Unordered options, e.g. the op on an edge.</summary>
    public static Decision Categorical(string name, params string[] options) => new(name, options, DecisionKind.Categorical);

    /// <summary>Ordered options, e.g. widths 16, 32, 64.</summary>
    public static Decision Ordinal(string name, params string[] options) => new(name, options, DecisionKind.Ordinal);

    /// <summary>The integers min..max in steps of <paramref name="step"/>, ordered.</summary>
    public static Decision Integer(string name, int min, int max, int step = 1)
    {
        if (step < 1 || max < min) throw new ArgumentException($"Decision '{name}': need min <= max and step >= 1, got {min}..{max} step {step}.");
        var values = new List<string>();
        for (long v = min; v <= max; v += step) values.Add(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new(name, values, DecisionKind.Ordinal);
    }

    /// <summary>
    /// A numeric hyperparameter on [<paramref name="lower"/>, <paramref name="upper"/>] as an ordered grid of
    /// <paramref name="points"/> values, evenly spaced on its scale (logarithmic when <paramref name="log"/>), rounded to
    /// whole numbers when <paramref name="integer"/> (repeats dropped) and to 4 significant digits otherwise, so the text
    /// form is short and reads back exactly. Strategies that move to adjacent options then take small steps on the
    /// hyperparameter's own scale, and a model-based sampler (BOHB) can treat the grid as ordered.
    /// </summary>
    public static Decision Numeric(string name, double lower, double upper, int points, bool log = false, bool integer = false)
    {
        if (!(double.IsFinite(lower) && double.IsFinite(upper) && lower < upper) || points < 2 || (log && lower <= 0))
            throw new ArgumentException($"Decision '{name}': need finite lower < upper (lower > 0 on a log scale) and at least 2 points, got [{lower}, {upper}] with {points}.");
        var values = new List<string>();
        for (int i = 0; i < points; i++)
        {
            double t = (double)i / (points - 1);
            double v = log ? Math.Exp(Math.Log(lower) + t * (Math.Log(upper) - Math.Log(lower))) : lower + t * (upper - lower);
            v = i == 0 ? lower : i == points - 1 ? upper : v; // the ends exactly, not exp(log(x))
            string text = integer ? Math.Round(v).ToString("0", System.Globalization.CultureInfo.InvariantCulture)
                                  : double.Parse(v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)
                                          .ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (values.Count == 0 || values[^1] != text) values.Add(text);
        }
        return new(name, values, DecisionKind.Ordinal);
    }

    /// <summary>This decision, existing only while <paramref name="decision"/> (declared earlier) has one of <paramref name="values"/>.</summary>
    public Decision When(string decision, params string[] values)
    {
        if (values.Length == 0) throw new ArgumentException($"Decision '{Name}': a condition needs at least one value of '{decision}'.");
        return this with { Condition = new Condition(decision, values) };
    }

    /// <summary>The option's position, or -1.</summary>
    public int IndexOf(string option)
    {
        for (int i = 0; i < Options.Count; i++) if (Options[i] == option) return i;
        return -1;
    }

    public override string ToString() =>
        $"{Name} ∈ {{{string.Join(", ", Options)}}}" + (Condition is { } c ? $" when {c.Decision} ∈ {{{string.Join(", ", c.Values)}}}" : "");
}
