namespace NasKit.Spaces;

/// <summary>
/// The smallest contract of a search space: it can name itself, sample and parse. What else a space can do
/// comes from capability interfaces (<see cref="IEnumerableSpace{TArch}"/>, <see cref="IMutableSpace{TArch}"/>,
/// <see cref="IEncodableSpace{TArch}"/>, <c>Networks.IBuildableSpace</c>), as in Archai: a strategy asks for the
/// capabilities it needs and works with any space that has them.
/// </summary>
public interface ISearchSpace<TArch> where TArch : class, IArchitecture
{
    string Name { get; }

    /// <summary>Draws an architecture; all randomness comes from <paramref name="rng"/>.</summary>
    TArch Sample(Random rng);

    /// <summary>Reads the canonical text form; throws <see cref="ArchitectureFormatException"/> naming the problem.</summary>
    TArch Parse(string text);
}
