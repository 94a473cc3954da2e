using NasKit.Experiments;

namespace NasKit.SearchSpaces.MultimodalFusion;

/// <summary><c>fusion</c> in the space catalog: MFAS-style fusion architectures over frozen image and audio networks (naskit fusion compare searches it).</summary>
public sealed class FusionSpaceEntry : ISpaceEntry
{
    public string Name => "fusion";
    public string Description => "MFAS-style fusion of frozen image and audio networks: 1-4 fusion layers, each reading one hidden layer per modality, width 16-128, ReLU/sigmoid/leaky ReLU; naskit fusion compare.";
    public int Order => 63;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new FusionSpace());
}
