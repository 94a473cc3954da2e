namespace NasKit.Estimation.ZeroCost;

/// <summary>Multiply-accumulate count of one forward pass, in millions (NB201's FLOPs convention): a baseline.</summary>
public sealed class FlopCount : IZeroCostProxy
{
    public string Name => "flops";
    public int Order => 90;
    public string Description => "Compute of one forward pass in MFLOPs (a baseline).";
    public bool UsesData => false;

    public double Score(ProxyInput input) => input.CountFlops is { } count
        ? count(input.Shape, (int)input.Images.shape[^1]) / 1e6
        : throw new NotSupportedException($"The flops proxy needs a space with a cost model; {input.Architecture.GetType().Name}'s space has none.");
}
