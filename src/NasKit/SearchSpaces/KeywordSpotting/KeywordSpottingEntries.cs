using NasKit.Experiments;

namespace NasKit.SearchSpaces.KeywordSpotting;

/// <summary><c>kws</c> in the space catalog: keyword-spotting CNNs (Hello Edge's DS-CNN among them), searched with the <c>kws</c> evaluator.</summary>
public sealed class KeywordSpottingSpaceEntry : ISpaceEntry
{
    public string Name => "kws";
    public string Description => "Keyword-spotting CNNs: stem kernel/stride/width, 1-6 standard or depthwise-separable layers (kernel, stride, width, max pooling); Hello Edge's DS-CNN-S is one; train with kws.";
    public int Order => 62;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new KwsSpace());
}
