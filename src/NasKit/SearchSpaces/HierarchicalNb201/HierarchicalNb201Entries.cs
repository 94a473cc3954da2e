using NasKit.Experiments;

namespace NasKit.SearchSpaces.HierarchicalNb201;

/// <summary><c>hierarchical-nb201</c> in the space catalog: searched with the training evaluator.</summary>
public sealed class HierarchicalNb201SpaceEntry : ISpaceEntry
{
    public string Name => "hierarchical-nb201";
    public string Description => "Hierarchical NB201 (Schrodi et al. 2023): a context-free grammar over skeleton, cell arrangement and cells; train it.";
    public int Order => 26;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new HierarchicalNb201Space());
}
