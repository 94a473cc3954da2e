using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Federated;

/// <summary>
/// DP-FedAvg's client-side protection (McMahan et al., ICLR 2018): each client's update (its model minus the global
/// model it started from) is clipped to L2 norm <see cref="ClipNorm"/>, and the server adds Gaussian noise of standard
/// deviation <see cref="NoiseMultiplier"/> × <see cref="ClipNorm"/> to the sum of the clipped updates before averaging
/// them with equal weights (shard-size weights would let one client's data move the average by more than the clip).
/// </summary>
public sealed record PrivacySettings(double ClipNorm, double NoiseMultiplier)
{
    public PrivacySettings Validated()
    {
        if (!(ClipNorm > 0) || double.IsInfinity(ClipNorm)) throw new ArgumentException($"The clipping norm must be positive and finite, got {ClipNorm}.");
        if (!(NoiseMultiplier >= 0) || double.IsInfinity(NoiseMultiplier)) throw new ArgumentException($"The noise multiplier must be finite and >= 0, got {NoiseMultiplier}.");
        return this;
    }
}

/// <summary>
/// The server's step of federated averaging over lists of tensors that the clients and the server hold in the same
/// order (a model's parameters and floating-point buffers, a search's architecture weights).
/// </summary>
public static class FederatedAveraging
{
    // Owned, never collected: TorchSharp's implicit scalars can be finalized while libtorch still reads them.
    private static readonly Scalar MinusOne = (-1.0).ToScalar();

    /// <summary>Bytes a list of tensors takes on the wire as raw values (what a client uploads or downloads).</summary>
    public static long Bytes(IEnumerable<Tensor> tensors) => tensors.Sum(t => t.numel() * t.ElementSize);

    /// <summary>
    /// Writes into <paramref name="global"/> the average of the clients' tensors weighted by <paramref name="weights"/>
    /// (shard sizes: FedAvg), or with <paramref name="privacy"/> the DP-FedAvg step: global + (Σ clip(client − global) + noise) / K.
    /// Returns the clients' update norms before clipping.
    /// </summary>
    public static double[] Aggregate(IReadOnlyList<Tensor> global, IReadOnlyList<IReadOnlyList<Tensor>> clients, IReadOnlyList<double> weights,
                                     PrivacySettings? privacy = null, Generator? noise = null)
    {
        if (clients.Count == 0 || clients.Count != weights.Count) throw new ArgumentException($"Aggregation needs one weight per client; got {clients.Count} clients and {weights.Count} weights.");
        if (clients.Any(c => c.Count != global.Count)) throw new ArgumentException("Every client must send the same tensors as the global model holds.");
        double total = weights.Sum();
        if (!(total > 0) || weights.Any(w => w < 0)) throw new ArgumentException("Client weights must be non-negative with a positive sum.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var norms = new double[clients.Count];
        for (int k = 0; k < clients.Count; k++)
            norms[k] = Math.Sqrt(Enumerable.Range(0, global.Count).Sum(i => clients[k][i].add(global[i], MinusOne).to_type(ScalarType.Float64).square().sum().item<double>()));
        if (privacy is null)
        {
            for (int i = 0; i < global.Count; i++)
            {
                var sum = zeros_like(global[i]);
                for (int k = 0; k < clients.Count; k++)
                {
                    // Owned scalars: TorchSharp's implicit ones can be finalized while libtorch still reads them.
                    using var share = (weights[k] / total).ToScalar();
                    sum.add_(clients[k][i], share);
                }
                global[i].copy_(sum);
            }
            return norms;
        }
        privacy = privacy.Validated();
        if (noise is null && privacy.NoiseMultiplier > 0) throw new ArgumentException("DP noise needs a seeded generator.");
        var scales = norms.Select(n => Math.Min(1, privacy.ClipNorm / Math.Max(n, 1e-12))).ToArray();
        for (int i = 0; i < global.Count; i++)
        {
            var sum = zeros_like(global[i]);
            for (int k = 0; k < clients.Count; k++)
            {
                using var scale = scales[k].ToScalar();
                sum.add_(clients[k][i].add(global[i], MinusOne), scale);
            }
            if (privacy.NoiseMultiplier > 0)
            {
                using var std = (privacy.NoiseMultiplier * privacy.ClipNorm).ToScalar();
                sum.add_(randn(global[i].shape, generator: noise).to(global[i].device), std);
            }
            using var mean = (1.0 / clients.Count).ToScalar();
            global[i].add_(sum, mean);
        }
        return norms;
    }
}
