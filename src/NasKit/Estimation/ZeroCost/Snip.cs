using static TorchSharp.torch;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// SNIP (Lee et al. 2019) as a network score (Abdelfattah et al. 2021): Σ |θ ⊙ ∂L/∂θ| over convolution and linear
/// weights, the first-order estimate of how much the loss changes when each weight is removed.
/// </summary>
public sealed class Snip : IZeroCostProxy
{
    public string Name => "snip";
    public int Order => 20;
    public string Description => "Connection sensitivity: how much the loss would change if each weight were pruned, Σ|θ·∂L/∂θ|.";
    public bool UsesData => true;

    public double Score(ProxyInput input)
    {
        using var net = input.Network();
        nn.functional.cross_entropy(net.call(input.Images), input.Labels).backward();
        return ProxyInput.SumOverWeights(net, (w, g) => (w * g).abs());
    }
}
