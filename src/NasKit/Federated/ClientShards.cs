using MathNet.Numerics.Distributions;
using NasKit.Data;

namespace NasKit.Federated;

/// <summary>
/// How a data set is split across federated clients. Label-skewed shards follow Hsu et al. (2019) as FedML and
/// FedNAS do: for every class, the share of its images each client gets is drawn from Dirichlet(α, …, α), so a small
/// α gives each client a few dominant classes and α → ∞ approaches IID. Without α the split is IID: a seeded
/// shuffle cut into equal parts. Like FedML, a draw that leaves a client with fewer than <c>minSize</c> images is
/// redrawn.
/// </summary>
public static class ClientShards
{
    public static IReadOnlyList<ImageDataset> Split(ImageDataset data, int clients, double? alpha, int seed, int minSize = 10)
    {
        if (clients < 1) throw new ArgumentException($"A federation needs at least one client, got {clients}.");
        if (alpha is { } a && !(a > 0 && double.IsFinite(a))) throw new ArgumentException($"The Dirichlet concentration α must be positive and finite, got {a}; omit it for IID shards.");
        if ((long)clients * minSize > data.Count)
            throw new ArgumentException($"{data.Count} images cannot give {clients} clients at least {minSize} each; use fewer clients or more images.");
        var rng = new Random(seed);
        if (alpha is null)
        {
            var order = Enumerable.Range(0, data.Count).ToArray();
            rng.Shuffle(order);
            return Enumerable.Range(0, clients).Select(k => data.Subset(order.Where((_, i) => i % clients == k).Order().ToArray(), $"{data.Name} client {k + 1}/{clients} IID")).ToArray();
        }
        var byClass = Enumerable.Range(0, data.Classes).Select(c => Enumerable.Range(0, data.Count).Where(i => data.Labels[i] == c).ToArray()).ToArray();
        var dirichlet = new Dirichlet(Enumerable.Repeat(alpha.Value, clients).ToArray(), rng);
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            var shards = Enumerable.Range(0, clients).Select(_ => new List<int>()).ToArray();
            foreach (var members in byClass)
            {
                var shuffled = members.ToArray();
                rng.Shuffle(shuffled);
                var p = dirichlet.Sample();
                // Cut points at the cumulative shares, as numpy's split at (cumsum(p) * n) does in FedML.
                int start = 0;
                double cumulative = 0;
                for (int k = 0; k < clients; k++)
                {
                    cumulative += p[k];
                    int end = k == clients - 1 ? shuffled.Length : (int)(cumulative * shuffled.Length);
                    end = Math.Clamp(end, start, shuffled.Length);
                    shards[k].AddRange(shuffled[start..end]);
                    start = end;
                }
            }
            if (shards.All(s => s.Count >= minSize))
                return shards.Select((s, k) => data.Subset(s.Order().ToArray(), $"{data.Name} client {k + 1}/{clients} Dir({alpha.Value:0.###})")).ToArray();
        }
        throw new ArgumentException($"1000 Dirichlet({alpha.Value}) draws all left a client with fewer than {minSize} of the {data.Count} images; use fewer clients, more images or a larger α.");
    }

    /// <summary>Images of each class per client: [client][class].</summary>
    public static int[][] LabelCounts(IReadOnlyList<ImageDataset> shards) =>
        shards.Select(s => Enumerable.Range(0, s.Classes).Select(c => s.Labels.Count(l => l == c)).ToArray()).ToArray();
}
