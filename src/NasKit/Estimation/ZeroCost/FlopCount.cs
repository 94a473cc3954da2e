using NasKit.Hardware;
using NasKit.Spaces.Nb201;

namespace NasKit.Estimation.ZeroCost;

/// <summary>Multiply-accumulate count of one forward pass, in millions (NB201's FLOPs convention): a baseline.</summary>
public sealed class FlopCount : IZeroCostProxy
{
    public string Name => "flops";
    public string Measures => "Compute of one forward pass in MFLOPs (a baseline).";
    public bool UsesData => false;

    public double Score(ProxyInput input) => input.Architecture switch
    {
        Nb201Cell cell => Nb201CostModel.Flops(cell, input.Shape, (int)input.Images.shape[^1]) / 1e6,
        var a => throw new NotSupportedException($"The flops proxy has a cost model for NB201 cells only, not {a.GetType().Name}."),
    };
}
