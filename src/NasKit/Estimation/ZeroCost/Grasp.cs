using static TorchSharp.torch;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// GraSP (Wang et al. 2020) as a network score, computed as the reference does: g = ∂L/∂θ from one pass, then the
/// Hessian-gradient product Hg by differentiating gᵀ(∂L/∂θ) in a second pass, and the score Σ −θ ⊙ Hg. The sign
/// follows the reference, whose authors found accuracy negatively correlated with Σ θ ⊙ Hg.
/// </summary>
public sealed class Grasp : IZeroCostProxy
{
    public string Name => "grasp";
    public string Measures => "Gradient signal preservation: how removing weights would change the gradient flow, Σ −θ·Hg.";
    public bool UsesData => true;

    public double Score(ProxyInput input)
    {
        using var net = input.Network();
        var weights = ProxyInput.WeightLayers(net).Select(ProxyInput.Weight).OfType<Tensor>().ToArray();
        var first = autograd.grad([nn.functional.cross_entropy(net.call(input.Images), input.Labels)], weights, allow_unused: true);
        var loss = nn.functional.cross_entropy(net.call(input.Images), input.Labels);
        var second = autograd.grad([loss], weights, retain_graph: true, create_graph: true, allow_unused: true); // TorchSharp does not default retain_graph to create_graph
        Tensor? z = null;
        for (int i = 0; i < weights.Length; i++)
        {
            if (!Defined(first[i]) || !Defined(second[i])) continue; // weights the output does not depend on
            var term = (first[i].detach() * second[i]).sum();
            z = z is null ? term : z + term;
        }
        if (z is null) return 0;
        z.backward();
        return ProxyInput.SumOverWeights(net, (w, hg) => -(w.detach() * hg));
    }

    private static bool Defined(Tensor? t) => t is not null && !t.IsInvalid;
}
