namespace NasKit.Spaces;

/// <summary>
/// An architecture is a value: immutable, equatable, hashable, with one canonical text form that
/// <see cref="ISearchSpace{TArch}.Parse"/> reads back.
/// </summary>
public interface IArchitecture : IEquatable<IArchitecture>
{
    /// <summary>The canonical text form (e.g. the official NB201 cell string).</summary>
    string ToText();
}
