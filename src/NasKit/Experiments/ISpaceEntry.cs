using NasKit.Catalogs;
using NasKit.Spaces;

namespace NasKit.Experiments;

/// <summary>
/// A search space users pick by name (<c>--space nb201</c>). A space family registers one by adding a class that
/// implements this; generic code (the CLI, protocols) reaches the space through <see cref="Accept"/> without naming
/// its architecture type.
/// </summary>
[CatalogKind("space")]
public interface ISpaceEntry : ICatalogEntry
{
    TResult Accept<TResult>(ISpaceVisitor<TResult> visitor);
}

/// <summary>Code that works on any space: called back with the space's architecture type.</summary>
public interface ISpaceVisitor<out TResult>
{
    TResult Visit<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture;
}
