namespace NasKit.Spaces;

/// <summary>A space that can recombine two parents (genetic algorithms such as NSGA-II).</summary>
public interface ICrossoverSpace<TArch> where TArch : class, IArchitecture
{
    TArch Crossover(TArch a, TArch b, Random rng);
}
