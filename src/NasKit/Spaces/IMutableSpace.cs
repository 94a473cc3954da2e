namespace NasKit.Spaces;

/// <summary>A space with a neighbourhood: evolution mutates, local search walks the neighbours.</summary>
public interface IMutableSpace<TArch> where TArch : class, IArchitecture
{
    /// <summary>A random neighbour (one local change); never returns <paramref name="arch"/> itself.</summary>
    TArch Mutate(TArch arch, Random rng);

    /// <summary>Every architecture one local change away, in a fixed order.</summary>
    IReadOnlyList<TArch> Neighbours(TArch arch);
}
