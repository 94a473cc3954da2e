using System.Reflection;
using NasKit.Spaces;

namespace NasKit.Estimation.Predictors;

/// <summary>
/// Makes a predictor by name for any space with the capabilities it needs. Found by reflection
/// (<see cref="PredictorCatalog"/>): a new predictor is one file holding it and its factory.
/// </summary>
public interface IPredictorFactory
{
    /// <summary>The name used on the command line, e.g. <c>gcn</c>.</summary>
    string Name { get; }
    string Description { get; }
    int Order => 100;

    /// <summary>
    /// The predictor for <paramref name="space"/>, with <paramref name="zeroCost"/> features added when given; null
    /// when the space lacks a capability the predictor needs (e.g. a graph encoding).
    /// </summary>
    IPredictor<TArch>? Create<TArch>(ISearchSpace<TArch> space, int seed, IFeaturizer<TArch>? zeroCost = null) where TArch : class, IArchitecture;

    /// <summary>The space's encoding, followed by the zero-cost features when given.</summary>
    protected static IFeaturizer<TArch>? Features<TArch>(ISearchSpace<TArch> space, ArchitectureEncoding encoding, IFeaturizer<TArch>? zeroCost)
        where TArch : class, IArchitecture
    {
        if (space is not IEncodableSpace<TArch> encodable) return null;
        IFeaturizer<TArch> features = new EncodingFeaturizer<TArch>(encodable, encoding);
        return zeroCost is null ? features : new ConcatenatedFeaturizer<TArch>(features, zeroCost);
    }
}

public static class PredictorCatalog
{
    private static readonly Lazy<IReadOnlyList<IPredictorFactory>> Factories = new(() =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a == typeof(IPredictorFactory).Assembly || a.GetReferencedAssemblies().Any(r => r.Name == typeof(IPredictorFactory).Assembly.GetName().Name))
            .SelectMany(a => { try { return a.GetTypes(); } catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); } })
            .Where(t => typeof(IPredictorFactory).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IPredictorFactory)Activator.CreateInstance(t)!)
            .OrderBy(f => f.Order).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToArray());

    public static IReadOnlyList<IPredictorFactory> All => Factories.Value;

    public static IPredictorFactory Get(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown predictor '{name}'. Available: {string.Join(", ", All.Select(f => f.Name))}, or 'all'.");

    /// <summary>"all" or a comma-separated list of names.</summary>
    public static IReadOnlyList<IPredictorFactory> Parse(string names) =>
        string.Equals(names.Trim(), "all", StringComparison.OrdinalIgnoreCase)
            ? All
            : names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Get).Distinct().ToArray();
}
