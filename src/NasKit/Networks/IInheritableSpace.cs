using NasKit.Spaces;

namespace NasKit.Networks;

/// <summary>
/// A buildable space whose networks can take over a related network's trained weights (parameter inheritance, the
/// weight-sharing idea of network morphism and of evolution with inherited weights, Real et al. 2017): given a parent
/// and a child it names which parts of the child are the parent's, unchanged by the edit between them.
/// </summary>
public interface IInheritableSpace<TArch> : IBuildableSpace<TArch> where TArch : class, IArchitecture
{
    /// <summary>
    /// Name-prefix pairs (child, parent) of the two networks built at <paramref name="shape"/>: every child parameter
    /// or buffer named <c>Child + rest</c> takes the parent's <c>Parent + rest</c>. The parts the edit changed are absent.
    /// </summary>
    IReadOnlyList<(string Child, string Parent)> Inherited(TArch parent, TArch child, NetworkShape shape);
}
