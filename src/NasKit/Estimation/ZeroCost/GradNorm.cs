using static TorchSharp.torch;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// grad_norm (Abdelfattah et al. 2021): the sum over layers of the Euclidean norm of the cross-entropy gradient of
/// each convolution and linear weight, from one minibatch.
/// </summary>
public sealed class GradNorm : IZeroCostProxy
{
    public string Name => "grad_norm";
    public int Order => 10;
    public string Description => "How strongly the loss of one minibatch pulls on the weights (sum of per-layer gradient norms).";
    public bool UsesData => true;

    public double Score(ProxyInput input)
    {
        using var net = input.Network();
        nn.functional.cross_entropy(net.call(input.Images), input.Labels).backward();
        return ProxyInput.SumOverWeights(net, (_, g) => g.norm());
    }
}
