using static TorchSharp.torch;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// NASWOT (Mellor et al., ICML 2021): every ReLU's input gives each image a binary code (which units are active).
/// K[i,j] sums, over all ReLUs, the number of units where images i and j agree, and the score is log|K|. Networks
/// that give different images different activation patterns score higher. Forward pass only.
/// </summary>
public sealed class Naswot : IZeroCostProxy
{
    public string Name => "naswot";
    public int Order => 70;
    public string Description => "How differently the ReLUs carve up a minibatch: log-determinant of the activation-pattern kernel.";
    public bool UsesData => true;

    public double Score(ProxyInput input)
    {
        using var net = input.Network();
        long n = input.Images.shape[0];
        var k = zeros(new long[] { n, n }, ScalarType.Float32, input.Device);
        using (no_grad())
        {
            var relus = net.modules().Where(m => m is TorchSharp.Modules.ReLU);
            using (ProxyInput.Observe(relus, (_, x, _) =>
                   {
                       var codes = x.reshape(n, -1).gt(0).to_type(ScalarType.Float32);
                       var off = 1 - codes; // Hamming agreement = active in both + inactive in both
                       k.add_(codes.mm(codes.t())).add_(off.mm(off.t()));
                   }))
                net.call(input.Images);
        }
        var (_, logDet) = linalg.slogdet(k.to_type(ScalarType.Float64));
        return logDet.item<double>();
    }
}
