using static TorchSharp.torch;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// jacob_cov (Mellor et al., arXiv 2006.04647 v1; Abdelfattah et al. 2021): the Jacobians of the summed outputs with
/// respect to each input image, their correlation matrix Σ over the batch, and the score −Σᵢ(log(λᵢ + k) + 1/(λᵢ + k))
/// over its eigenvalues λ, k = 1e-5. Networks that tell images apart have less correlated Jacobians. A network whose
/// output does not depend on its input has no correlation matrix and scores NaN, as in the reference.
/// </summary>
public sealed class JacobCov : IZeroCostProxy
{
    public string Name => "jacob_cov";
    public int Order => 50;
    public string Description => "How uncorrelated the input Jacobians of different images are (eigenvalues of their correlation matrix).";
    public bool UsesData => true;

    public double Score(ProxyInput input)
    {
        using var net = input.Network();
        var x = input.Images.detach().clone().requires_grad_(true);
        var y = net.call(x);
        y.backward([ones_like(y)]);
        if (x.grad is not { } grad) return double.NaN; // the output does not depend on the input at all
        var jacobians = grad.reshape(x.shape[0], -1).to_type(ScalarType.Float64).cpu();
        return Score(jacobians);
    }

    /// <summary>The score of a matrix of per-sample Jacobians (one row each).</summary>
    public static double Score(Tensor jacobians)
    {
        var corr = jacobians.corrcoef();
        if (corr.isnan().any().item<bool>()) return double.NaN;
        var eigenvalues = linalg.eigvalsh(corr);
        const double k = 1e-5;
        return -(eigenvalues.add(k).log() + eigenvalues.add(k).reciprocal()).sum().item<double>();
    }
}
