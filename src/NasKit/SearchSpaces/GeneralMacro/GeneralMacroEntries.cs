using NasKit.Experiments;

namespace NasKit.SearchSpaces.GeneralMacro;

/// <summary><c>macro</c> in the space catalog: searched with the training evaluator.</summary>
public sealed class GeneralMacroSpaceEntry : ISpaceEntry
{
    public string Name => "macro";
    public string Description => "General macro space: 3 stages of 1-4 layers (depth, width, per-layer type of 8 and residual skip; conditional on depth); train it.";
    public int Order => 45;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new GeneralMacroSpace());
}
