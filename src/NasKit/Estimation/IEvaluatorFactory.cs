using System.Globalization;
using NasKit.Catalogs;
using NasKit.Spaces;

namespace NasKit.Estimation;

/// <summary>
/// Makes an evaluator from a descriptor, so that a study can record how it evaluates and a worker on another machine
/// rebuilds the same evaluator (<c>train:data=cifar10-subset,seed=0</c>, <c>nb201:dataset=cifar10</c>). A new
/// evaluator is one class with a parameterless constructor; <see cref="Catalog{TEntry}"/> finds it.
/// </summary>
[CatalogKind("evaluator")]
public interface IEvaluatorFactory : ICatalogEntry
{
    /// <summary>The evaluator for <paramref name="space"/>, or null when it cannot evaluate that space.</summary>
    IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments arguments) where TArch : class, IArchitecture;

    /// <summary>True when it trains image networks of a shape (C, N), so a search can default it to a proxy network.</summary>
    bool TakesNetworkShape => false;
}

/// <summary>An evaluator's catalog name and arguments, with one canonical text form (keys sorted).</summary>
public sealed record EvaluatorDescriptor(string Name, IReadOnlyDictionary<string, string> Arguments)
{
    public override string ToString() => Arguments.Count == 0 ? Name
        : $"{Name}:{string.Join(",", Arguments.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))}";

    /// <summary>Reads <c>name</c> or <c>name:key=value,key=value</c>.</summary>
    public static EvaluatorDescriptor Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':', 2);
        string name = parts[0].Trim();
        if (name.Length == 0) throw new FormatException($"Evaluator '{text}' has no name; write name or name:key=value,...");
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parts.Length == 2)
            foreach (var kv in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var pair = kv.Split('=', 2, StringSplitOptions.TrimEntries);
                if (pair.Length != 2 || pair[0].Length == 0) throw new FormatException($"Evaluator '{text}': '{kv}' is not key=value.");
                if (!args.TryAdd(pair[0], pair[1])) throw new FormatException($"Evaluator '{text}': '{pair[0]}' is given twice.");
            }
        return new EvaluatorDescriptor(name, args);
    }

    /// <summary>The evaluator this describes, for <paramref name="space"/>, from the catalog.</summary>
    public IEvaluator<TArch> Create<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture
    {
        var factory = Catalog<IEvaluatorFactory>.Get(Name);
        var arguments = new EvaluatorArguments(this);
        var evaluator = factory.Create(space, arguments)
            ?? throw new ArgumentException($"Evaluator '{Name}' cannot evaluate space '{space.Name}'.");
        arguments.CheckAllUsed();
        return evaluator;
    }
}

/// <summary>Typed reads of a descriptor's arguments; an argument nobody read, or one that does not parse, is an error naming it.</summary>
public sealed class EvaluatorArguments(EvaluatorDescriptor descriptor)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public EvaluatorDescriptor Descriptor { get; } = descriptor;

    public string String(string key, string fallback) { _read.Add(key); return Descriptor.Arguments.TryGetValue(key, out var v) ? v : fallback; }
    public string? String(string key) { _read.Add(key); return Descriptor.Arguments.GetValueOrDefault(key); }

    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var s = String(key);
        if (s is null) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v
            : throw new FormatException($"Evaluator '{Descriptor.Name}': {key}={s} must be a whole number in {min}..{max}.");
    }

    public double Double(string key, double fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var s = String(key);
        if (s is null) return fallback;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= min && v <= max ? v
            : throw new FormatException($"Evaluator '{Descriptor.Name}': {key}={s} must be a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}].");
    }

    public bool Bool(string key, bool fallback)
    {
        var s = String(key);
        if (s is null) return fallback;
        return s.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new FormatException($"Evaluator '{Descriptor.Name}': {key}={s} must be true or false."),
        };
    }

    /// <summary>Refuses arguments nobody read (a misspelt key, an option the evaluator does not take).</summary>
    public void CheckAllUsed()
    {
        var unknown = Descriptor.Arguments.Keys.Where(k => !_read.Contains(k)).ToArray();
        if (unknown.Length > 0)
            throw new FormatException($"Evaluator '{Descriptor.Name}' has no argument(s) {string.Join(", ", unknown)}; it reads {string.Join(", ", _read.Order())}.");
    }
}
