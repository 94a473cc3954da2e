using NasKit.Experiments;

namespace NasKit.SearchSpaces.NasNet;

/// <summary><c>nasnet</c> in the space catalog: searched with the training evaluator.</summary>
public sealed class NasNetSpaceEntry : ISpaceEntry
{
    public string Name => "nasnet";
    public string Description => "NASNet: normal and reduction cells of 5 combinations over 13 ops (~5e33 genotypes), TF-slim's CIFAR network; train it.";
    public int Order => 25;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new NasNetSpace());
}
