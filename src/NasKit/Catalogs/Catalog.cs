using System.Reflection;

namespace NasKit.Catalogs;

/// <summary>
/// Every entry of one kind (<typeparamref name="TEntry"/>: strategy factories, predictor factories, zero-cost proxies,
/// spaces, benchmarks, evaluators), found by reflection in NasKit and in every loaded assembly that references it.
/// One catalog for all kinds, so names, listings and errors read the same everywhere.
/// </summary>
public static class Catalog<TEntry> where TEntry : class, ICatalogEntry
{
    private static readonly Lazy<IReadOnlyList<TEntry>> Entries = new(Discover);

    /// <summary>Every entry, by <see cref="ICatalogEntry.Order"/> then name.</summary>
    public static IReadOnlyList<TEntry> All => Entries.Value;

    /// <summary>What this catalog lists, for messages (e.g. "strategy").</summary>
    public static string Kind { get; } = KindOf(typeof(TEntry));

    public static TEntry? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The entry named <paramref name="name"/>; an unknown name fails with the list of known ones.</summary>
    public static TEntry Get(string name) => Find(name)
        ?? throw new ArgumentException($"Unknown {Kind} '{name}'. Known: {Names()}.");

    /// <summary><c>all</c> or a comma-separated list of names (duplicates dropped, order kept).</summary>
    public static IReadOnlyList<TEntry> Parse(string names, Func<TEntry, bool>? inAll = null)
    {
        if (string.Equals(names.Trim(), "all", StringComparison.OrdinalIgnoreCase))
            return All.Where(inAll ?? (_ => true)).ToArray();
        var chosen = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Get).Distinct().ToArray();
        if (chosen.Length == 0) throw new ArgumentException($"No {Kind} named; give one or more of {Names()}, or all.");
        return chosen;
    }

    /// <summary>The names, comma-separated, for messages.</summary>
    public static string Names() => string.Join(", ", All.Select(e => e.Name));

    /// <summary>One line per entry, <c>name: description</c>, for help texts.</summary>
    public static string Listing(string indent = "  ") => string.Join(Environment.NewLine, All.Select(e => $"{indent}{e.Name}: {e.Description}"));

    private static IReadOnlyList<TEntry> Discover()
    {
        var home = typeof(TEntry).Assembly;
        var entries = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && (a == home || a == typeof(ICatalogEntry).Assembly || a.GetReferencedAssemblies().Any(r => r.Name == home.GetName().Name)))
            .SelectMany(Types)
            .Where(t => typeof(TEntry).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false, ContainsGenericParameters: false }
                        && t.GetConstructor(Type.EmptyTypes) is not null)
            .Distinct()
            .Select(t => (TEntry)Activator.CreateInstance(t)!)
            .OrderBy(e => e.Order).ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToArray();
        var clash = entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new InvalidOperationException($"Two {KindOf(typeof(TEntry))} entries are named '{clash.Key}': {string.Join(", ", clash.Select(e => e.GetType().FullName))}.");
        return entries;
    }

    private static IEnumerable<Type> Types(Assembly a)
    {
        try { return a.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); }
    }

    // IStrategyFactory -> "strategy", IZeroCostProxy -> "zero-cost proxy", ISpaceEntry -> "space".
    private static string KindOf(Type t) => t.GetCustomAttribute<CatalogKindAttribute>()?.Kind ?? t.Name.TrimStart('I');
}

/// <summary>How messages name the entries of a catalog interface ("strategy", "predictor").</summary>
[AttributeUsage(AttributeTargets.Interface)]
public sealed class CatalogKindAttribute(string kind) : Attribute
{
    public string Kind { get; } = kind;
}
