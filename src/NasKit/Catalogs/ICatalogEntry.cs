namespace NasKit.Catalogs;

/// <summary>
/// Something users pick by name: a strategy, a predictor, a zero-cost proxy, a space, a benchmark, an evaluator.
/// A class with a parameterless constructor that implements a catalog's interface is found by
/// <see cref="Catalog{TEntry}"/>; adding one is adding a file, never editing a list.
/// </summary>
public interface ICatalogEntry
{
    /// <summary>The name on the command line and in descriptors, e.g. <c>rea</c> or <c>nb201</c>.</summary>
    string Name { get; }

    /// <summary>One sentence for listings and help.</summary>
    string Description { get; }

    /// <summary>Position in listings and in <c>all</c>.</summary>
    int Order => 100;
}
