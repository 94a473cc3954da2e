using NasKit.Spaces;

namespace NasKit.Networks;

/// <summary>
/// A space a differentiable search (DARTS, GDAS, PC-DARTS) can run on: it builds a relaxed supernet and turns the
/// softmax of the architecture weights back into a discrete architecture.
/// </summary>
public interface IDifferentiableSpace<TArch> where TArch : class, IArchitecture
{
    string Name { get; }

    /// <summary>Op names in the order of a weight matrix's columns.</summary>
    IReadOnlyList<string> OpNames { get; }

    IRelaxedSupernet CreateSupernet(NetworkShape shape, SupernetOptions options);

    /// <summary>The discrete architecture of per-cell-type [edge][op] probabilities, as the method's reference derives it.</summary>
    TArch Derive(IReadOnlyList<double[][]> probabilities);

    /// <summary>Skip connections in the architecture's normal cell: the count that grows when DARTS collapses.</summary>
    int SkipConnections(TArch arch);
}
