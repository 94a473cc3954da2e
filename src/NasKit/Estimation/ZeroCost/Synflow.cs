using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// SynFlow (Tanaka et al. 2020) as a network score, computed as the reference (Abdelfattah et al. 2021) does: the
/// network without batch norm, in float64, with the absolute value of every weight, fed one all-ones input;
/// R = Σ output, and the score Σ |θ ⊙ ∂R/∂θ| over convolution and linear weights. It needs no data and no labels.
/// </summary>
public sealed class Synflow : IZeroCostProxy
{
    public string Name => "synflow";
    public int Order => 60;
    public string Description => "Synaptic flow: how much each weight carries of a data-free signal through the linearised network, Σ|θ·∂R/∂θ|.";
    public bool UsesData => false;

    public double Score(ProxyInput input)
    {
        using var net = input.Network(batchNorm: false);
        net.to(ScalarType.Float64);
        using (no_grad())
            foreach (var p in net.parameters()) p.abs_();
        var shape = input.Images.shape.ToArray();
        shape[0] = 1;
        var x = ones(shape, ScalarType.Float64, input.Device);
        net.call(x).sum().backward();
        return ProxyInput.SumOverWeights(net, (w, g) => (w * g).abs());
    }
}
