using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// Fisher (Theis et al. 2018; Turner et al. 2020) as a network score (Abdelfattah et al. 2021): for every output
/// channel k of every convolution and linear layer, ½·mean over the batch of (Σ_spatial a ⊙ ∂L/∂a)², summed. It
/// estimates the loss increase from removing each channel.
/// </summary>
public sealed class Fisher : IZeroCostProxy
{
    public string Name => "fisher";
    public string Measures => "Fisher information of the activations: the loss increase expected from removing each channel.";
    public bool UsesData => true;

    public double Score(ProxyInput input)
    {
        using var net = input.Network();
        var activations = new List<Tensor>();
        using (ProxyInput.Observe(ProxyInput.WeightLayers(net), (_, output) => { output.retain_grad(); activations.Add(output); }))
            nn.functional.cross_entropy(net.call(input.Images), input.Labels).backward();
        double total = 0;
        foreach (var a in activations)
        {
            var g = a.grad;
            if (g is null || g.IsInvalid) continue; // an output nothing downstream uses
            var perChannel = a.dim() > 2 ? (a.detach() * g).sum(new long[] { 2, 3 }) : a.detach() * g;
            total += perChannel.pow(2).mean(new long[] { 0 }).mul(0.5).sum().to_type(ScalarType.Float64).item<double>();
        }
        return total;
    }
}
