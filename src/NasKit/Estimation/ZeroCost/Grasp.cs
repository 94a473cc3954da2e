using static TorchSharp.torch;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// GraSP (Wang et al. 2020) as a network score, as the reference (Abdelfattah et al. 2021) computes it: g = ∂L/∂θ,
/// the Hessian-gradient product Hg by differentiating gᵀ·stop_gradient(g), and the score Σ −θ ⊙ Hg. The sign
/// follows the reference, whose authors found accuracy negatively correlated with Σ θ ⊙ Hg. The reference makes two
/// identical forward passes (one for the constant g, one for the differentiable g); in training mode both see the same
/// weights, batch and batch statistics, so one pass with a graph gives the same numbers at two thirds of the cost.
/// </summary>
public sealed class Grasp : IZeroCostProxy
{
    public string Name => "grasp";
    public int Order => 30;
    public string Description => "Gradient signal preservation: how removing weights would change the gradient flow, Σ −θ·Hg.";
    public bool UsesData => true;

    public double Score(ProxyInput input)
    {
        using var net = input.Network();
        var weights = ProxyInput.WeightLayers(net).Select(ProxyInput.Weight).OfType<Tensor>().ToArray();
        var loss = nn.functional.cross_entropy(net.call(input.Images), input.Labels);
        // TorchSharp does not default retain_graph to create_graph as PyTorch does.
        var g = autograd.grad([loss], weights, retain_graph: true, create_graph: true, allow_unused: true);
        Tensor? z = null;
        for (int i = 0; i < weights.Length; i++)
        {
            if (g[i] is null || g[i].IsInvalid) continue; // weights the output does not depend on
            var term = (g[i].detach() * g[i]).sum();
            z = z is null ? term : z + term;
        }
        if (z is null) return 0;
        z.backward();
        return ProxyInput.SumOverWeights(net, (w, hg) => -(w.detach() * hg));
    }
}
