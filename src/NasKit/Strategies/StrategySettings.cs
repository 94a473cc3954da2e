using System.Globalization;
using System.Reflection;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// A strategy with settings, written as a descriptor: <c>rea:population=20,sample-size=5</c>. The keys are the
/// factory's public init properties in kebab case (<see cref="RegularizedEvolutionFactory.Population"/> is
/// <c>population</c>), so a factory offers a setting by declaring a property, and nothing else is edited. A setting
/// given is part of the method's name in tables and reports (keys sorted), so two settings of one strategy are two
/// methods.
/// </summary>
public static class StrategySettings
{
    /// <summary>
    /// Strategies from a command line: names separated by commas (<c>random,rea</c>, or <c>all</c>: those
    /// <paramref name="inAll"/> admits), or, when any carries settings, separated by semicolons
    /// (<c>random;rea:population=10,sample-size=3</c>).
    /// </summary>
    public static IReadOnlyList<IStrategyFactory> ParseList(string text, Func<IStrategyFactory, bool>? inAll = null)
    {
        if (!text.Contains(':')) return Catalog<IStrategyFactory>.Parse(text, inAll);
        var list = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Configure).ToArray();
        var twice = list.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? list : throw new ArgumentException($"Strategy '{twice.Key}' is listed twice; name each configuration once.");
    }

    /// <summary>The factory the text names, with its settings applied; a plain name is the catalog's factory.</summary>
    public static IStrategyFactory Configure(string text)
    {
        var d = EvaluatorDescriptor.Parse(text);
        var factory = Catalog<IStrategyFactory>.Get(d.Name);
        if (d.Arguments.Count == 0) return factory;
        var type = factory.GetType();
        var settable = Settable(type);
        var configured = (IStrategyFactory)(Activator.CreateInstance(type)
            ?? throw new ArgumentException($"Strategy '{factory.Name}' takes no settings."));
        foreach (var (key, value) in d.Arguments)
        {
            if (!settable.TryGetValue(key, out var property))
                throw new ArgumentException(settable.Count == 0
                    ? $"Strategy '{factory.Name}' takes no settings; write '{factory.Name}' alone."
                    : $"Strategy '{factory.Name}' has no setting '{key}'; it takes {string.Join(", ", settable.Keys)}.");
            object parsed;
            try { parsed = Parse(value, property.PropertyType); }
            catch (FormatException) { throw new ArgumentException($"Strategy '{factory.Name}': {key}={value} is not a {Kind(property.PropertyType)}."); }
            try { property.SetValue(configured, parsed); }
            catch (TargetInvocationException e) when (e.InnerException is ArgumentException a) { throw new ArgumentException($"Strategy '{factory.Name}': {a.Message}"); }
        }
        return new Configured(configured, $"{factory.Name}:{string.Join(",", d.Arguments.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))}");
    }

    /// <summary>The settings a factory offers: its public settable properties of simple types, by kebab-case name.</summary>
    public static IReadOnlyDictionary<string, PropertyInfo> Settable(Type factory) => factory
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod is { IsPublic: true } && Simple(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType))
        .ToDictionary(p => Kebab(p.Name), p => p, StringComparer.OrdinalIgnoreCase);

    private static bool Simple(Type t) => t == typeof(int) || t == typeof(double) || t == typeof(string) || t == typeof(bool);

    private static object Parse(string value, Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return value;
        if (t == typeof(int)) return int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
        if (t == typeof(double)) return double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return bool.Parse(value);
    }

    private static string Kind(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) => "whole number",
        var t when t == typeof(double) => "number",
        var t when t == typeof(bool) => "true or false",
        _ => "text",
    };

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>A configured factory under its descriptor's name; everything else is the inner factory's.</summary>
    private sealed class Configured(IStrategyFactory inner, string name) : IStrategyFactory
    {
        public string Name => name;
        public string Description => inner.Description;
        public int Order => inner.Order;
        public ObjectiveCount Objectives => inner.Objectives;
        public bool SchedulesFidelities => inner.SchedulesFidelities;

        public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture =>
            inner.Create(space, objectives, seed);

        public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed, FidelityRungs? rungs) where TArch : class, IArchitecture =>
            inner.Create(space, objectives, seed, rungs);
    }
}
