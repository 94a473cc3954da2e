using System.Diagnostics;
using NasKit.Data;
using NasKit.Networks;
using NasKit.Spaces;
using NasKit.Strategies.OneShot;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Federated;

/// <summary>What one round of a federated search did: the clients' mean losses and accuracies (weighted by shard), the architecture the global α derive, and the traffic.</summary>
public sealed record FederatedSearchRound<TArch>(int Round, double TrainLoss, double TrainAccuracy, double SearchValidAccuracy, TArch Derived,
    IReadOnlyList<double[][]> Probabilities, long UploadBytesPerClient, long DownloadBytesPerClient, double MeanUpdateNorm, double Seconds)
    where TArch : class, IArchitecture;

/// <summary>
/// FedNAS (He et al., 2020): federated DARTS. Every client holds a copy of the relaxed supernet and of the
/// architecture weights α and searches on its own shard (one local epoch of DARTS' alternating steps per round: α on
/// one half of the shard, weights on the other); the server then averages both, weighted by shard size, and sends the
/// average back. Only weights and α travel, never images. The same loop with <see cref="DartsSettings.Gdas"/> is
/// federated GDAS: each client step runs one sampled op per edge, so a client's compute falls by about the number of
/// ops while the traffic stays the same. With one client holding all the data it is centralised DARTS (GDAS) with the
/// same steps. Optimiser state (momentum, Adam's moments) stays on each client; in DP mode the batch-norm statistics
/// do too (they are not covered by the clipping), and the DP-FedAvg step of <see cref="FederatedAveraging"/> replaces
/// the weighted average.
/// </summary>
public sealed class FederatedDarts<TArch> : FederatedRounds<FederatedSearchRound<TArch>> where TArch : class, IArchitecture
{
    private readonly IDifferentiableSpace<TArch> _space;
    private readonly DartsSearch<TArch>[] _clients;

    public override int Clients => _clients.Length;

    /// <param name="shards">One data set per client (<see cref="ClientShards.Split"/>); one shard is centralised search.</param>
    public FederatedDarts(IDifferentiableSpace<TArch> space, IReadOnlyList<ImageDataset> shards, NetworkShape shape, int rounds, int seed,
                          DartsSettings? settings = null, PrivacySettings? privacy = null, Device? device = null)
        : base(shards.Select(s => (double)s.Count).ToArray(), rounds, privacy, (ulong)(uint)unchecked(seed * 7919 + 101))
    {
        _space = space;
        // Distinct seeds per client: their batch orders, half splits and Gumbel noise are independent draws.
        _clients = shards.Select((s, k) => new DartsSearch<TArch>(space, s, shape, rounds, unchecked(seed * 1009 + k), settings, device)).ToArray();
        StartGlobalFromClient0(); // every client receives it before its first round
    }

    /// <summary>What a client sends and receives: the supernet's parameters, its floating-point buffers unless in DP mode, and α.</summary>
    protected override IReadOnlyList<Tensor> Shared(int client)
    {
        var module = _clients[client].Network.Module;
        IEnumerable<Tensor> buffers = Privacy is null ? module.buffers().Where(b => b.is_floating_point()) : [];
        return [.. module.parameters(), .. buffers, .. _clients[client].Alphas];
    }

    /// <summary>One round: broadcast, one local epoch per client, aggregation.</summary>
    protected override FederatedSearchRound<TArch> PlayRound(int round, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var epochs = new List<DartsEpoch<TArch>>();
        for (int k = 0; k < _clients.Length; k++)
        {
            Broadcast(k);
            epochs.Add(_clients[k].RunEpoch(cancellation));
        }
        var norms = Aggregate();
        double total = Weights.Sum();
        double Mean(Func<DartsEpoch<TArch>, double> f) => epochs.Select((e, k) => f(e) * Weights[k]).Sum() / total;
        var probabilities = Probabilities();
        long bytes = MessageBytes;
        var result = new FederatedSearchRound<TArch>(round + 1, Mean(e => e.TrainLoss), Mean(e => e.TrainAccuracy), Mean(e => e.ValidAccuracy),
            _space.Derive(probabilities), probabilities, bytes, bytes, norms.Average(), clock.Elapsed.TotalSeconds);
        if (!double.IsFinite(result.TrainLoss)) throw new ArithmeticException($"The federated search's training loss became {result.TrainLoss} in round {result.Round}; lower the learning rate or the noise.");
        return result;
    }

    /// <summary>Softmax of the global α per cell type and edge.</summary>
    public IReadOnlyList<double[][]> Probabilities() => DartsSearch<TArch>.ProbabilitiesOf(Global.Skip(Global.Count - _clients[0].Alphas.Count));

    protected override string CheckpointKind => "naskit-fednas-checkpoint-v1";

    protected override void SaveClients(string folder)
    {
        for (int k = 0; k < _clients.Length; k++) _clients[k].Save(Path.Combine(folder, $"client-{k}.bin"));
    }

    protected override void LoadClients(string folder)
    {
        for (int k = 0; k < _clients.Length; k++) _clients[k].Load(Path.Combine(folder, $"client-{k}.bin"));
    }

    // A round's derived architecture is rebuilt from its probabilities, so the history stores plain numbers.
    protected override string SerializeHistory() => System.Text.Json.JsonSerializer.Serialize(History.Select(h => new RoundRecord(h.Round, h.TrainLoss, h.TrainAccuracy,
        h.SearchValidAccuracy, h.Probabilities.Select(m => m.Select(r => r.ToArray()).ToArray()).ToArray(), h.UploadBytesPerClient, h.DownloadBytesPerClient, h.MeanUpdateNorm, h.Seconds)).ToArray());

    protected override IEnumerable<FederatedSearchRound<TArch>> DeserializeHistory(string json) =>
        (System.Text.Json.JsonSerializer.Deserialize<RoundRecord[]>(json) ?? throw new InvalidDataException("the round history is empty"))
        .Select(h => new FederatedSearchRound<TArch>(h.Round, h.TrainLoss, h.TrainAccuracy, h.SearchValidAccuracy, _space.Derive(h.Probabilities), h.Probabilities,
            h.UploadBytes, h.DownloadBytes, h.MeanUpdateNorm, h.Seconds));

    private sealed record RoundRecord(int Round, double TrainLoss, double TrainAccuracy, double SearchValidAccuracy, double[][][] Probabilities,
                                      long UploadBytes, long DownloadBytes, double MeanUpdateNorm, double Seconds);

    protected override void DisposeClients()
    {
        foreach (var c in _clients) c.Dispose();
    }
}
