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
public sealed class FederatedDarts<TArch> : IDisposable where TArch : class, IArchitecture
{
    private readonly IDifferentiableSpace<TArch> _space;
    private readonly DartsSearch<TArch>[] _clients;
    private readonly Tensor[] _global;
    private readonly double[] _weights;
    private readonly PrivacySettings? _privacy;
    private readonly Generator _noise;
    private readonly int _rounds;
    private readonly List<FederatedSearchRound<TArch>> _history = [];

    public IReadOnlyList<FederatedSearchRound<TArch>> History => _history;
    public int Clients => _clients.Length;
    public bool Finished => _history.Count >= _rounds;

    /// <param name="shards">One data set per client (<see cref="ClientShards.Split"/>); one shard is centralised search.</param>
    public FederatedDarts(IDifferentiableSpace<TArch> space, IReadOnlyList<ImageDataset> shards, NetworkShape shape, int rounds, int seed,
                          DartsSettings? settings = null, PrivacySettings? privacy = null, Device? device = null)
    {
        if (shards.Count == 0) throw new ArgumentException("A federated search needs at least one client shard.");
        if (rounds < 1) throw new ArgumentException($"Rounds must be at least 1, got {rounds}.");
        (_space, _rounds, _privacy) = (space, rounds, privacy?.Validated());
        // Distinct seeds per client: their batch orders, half splits and Gumbel noise are independent draws.
        _clients = shards.Select((s, k) => new DartsSearch<TArch>(space, s, shape, rounds, unchecked(seed * 1009 + k), settings, device)).ToArray();
        _weights = shards.Select(s => (double)s.Count).ToArray();
        // The global model starts as client 0's initialisation; every client receives it before its first round.
        using (no_grad())
            _global = Shared(_clients[0]).Select(t => t.detach().clone().DetachFromDisposeScope()).ToArray();
        _noise = new Generator((ulong)(uint)unchecked(seed * 7919 + 101));
    }

    /// <summary>What a client sends and receives: the supernet's parameters, its floating-point buffers unless in DP mode, and α.</summary>
    private IReadOnlyList<Tensor> Shared(DartsSearch<TArch> client)
    {
        var module = client.Network.Module;
        IEnumerable<Tensor> buffers = _privacy is null ? module.buffers().Where(b => b.is_floating_point()) : [];
        return [.. module.parameters(), .. buffers, .. client.Alphas];
    }

    public long MessageBytes => FederatedAveraging.Bytes(_global);

    /// <summary>Runs one round: broadcast, one local epoch per client, aggregation.</summary>
    public FederatedSearchRound<TArch> RunRound(CancellationToken cancellation = default)
    {
        if (Finished) throw new InvalidOperationException($"All {_rounds} rounds have run.");
        var clock = Stopwatch.StartNew();
        var epochs = new List<DartsEpoch<TArch>>();
        foreach (var client in _clients)
        {
            using (no_grad())
            {
                var mine = Shared(client);
                for (int i = 0; i < mine.Count; i++) mine[i].copy_(_global[i]);
            }
            epochs.Add(client.RunEpoch(cancellation));
        }
        var norms = FederatedAveraging.Aggregate(_global, _clients.Select(Shared).ToArray(), _weights, _privacy, _noise);
        double total = _weights.Sum();
        double Mean(Func<DartsEpoch<TArch>, double> f) => epochs.Select((e, k) => f(e) * _weights[k]).Sum() / total;
        var probabilities = Probabilities();
        long bytes = MessageBytes;
        var round = new FederatedSearchRound<TArch>(_history.Count + 1, Mean(e => e.TrainLoss), Mean(e => e.TrainAccuracy), Mean(e => e.ValidAccuracy),
            _space.Derive(probabilities), probabilities, bytes, bytes, norms.Average(), clock.Elapsed.TotalSeconds);
        if (!double.IsFinite(round.TrainLoss)) throw new ArithmeticException($"The federated search's training loss became {round.TrainLoss} in round {round.Round}; lower the learning rate or the noise.");
        _history.Add(round);
        return round;
    }

    /// <summary>Softmax of the global α per cell type and edge.</summary>
    public IReadOnlyList<double[][]> Probabilities() => DartsSearch<TArch>.ProbabilitiesOf(_global.Skip(_global.Length - _clients[0].Alphas.Count));

    private const string Magic = "naskit-fednas-checkpoint-v1";

    /// <summary>What a checkpoint must match to be resumed: shards, rounds, privacy and every client's settings.</summary>
    private string Fingerprint() => $"clients={_clients.Length}|shards={string.Join("/", _weights)}|rounds={_rounds}|privacy={_privacy}";

    /// <summary>
    /// Writes the whole federation after a round: every client's search state (<see cref="DartsSearch{TArch}.Save"/>),
    /// the global tensors, the noise generator and the history, into a folder for that round; then points
    /// <c>latest</c> at it by an atomic rename, so a kill at any moment leaves the previous round's checkpoint whole.
    /// </summary>
    public void Save(string directory)
    {
        var round = Path.Combine(directory, $"round-{_history.Count:D4}");
        Directory.CreateDirectory(round);
        for (int k = 0; k < _clients.Length; k++) _clients[k].Save(Path.Combine(round, $"client-{k}.bin"));
        using (var stream = File.Create(Path.Combine(round, "global.bin")))
        using (var w = new BinaryWriter(stream))
        {
            w.Write(Magic);
            w.Write(Fingerprint());
            w.Write(System.Text.Json.JsonSerializer.Serialize(_history.Select(h => new RoundRecord(h.Round, h.TrainLoss, h.TrainAccuracy, h.SearchValidAccuracy,
                h.Probabilities.Select(m => m.Select(r => r.ToArray()).ToArray()).ToArray(), h.UploadBytesPerClient, h.DownloadBytesPerClient, h.MeanUpdateNorm, h.Seconds)).ToArray()));
            using (no_grad())
            {
                foreach (var t in _global) { using var c = t.cpu(); c.Save(w); }
                using var state = _noise.get_state();
                state.Save(w);
            }
        }
        var pointer = Path.Combine(directory, "latest");
        File.WriteAllText(pointer + ".tmp", Path.GetFileName(round));
        File.Move(pointer + ".tmp", pointer, overwrite: true);
        foreach (var old in Directory.EnumerateDirectories(directory, "round-*").Where(d => Path.GetFileName(d) != Path.GetFileName(round)))
            Directory.Delete(old, recursive: true);
    }

    /// <summary>True when <paramref name="directory"/> holds a checkpoint <see cref="Save"/> finished.</summary>
    public static bool HasCheckpoint(string directory) => File.Exists(Path.Combine(directory, "latest"));

    /// <summary>Restores the checkpoint <see cref="Save"/> wrote last, refusing one from a different federation.</summary>
    public void Load(string directory)
    {
        var round = Path.Combine(directory, File.ReadAllText(Path.Combine(directory, "latest")).Trim());
        try
        {
            using var stream = File.OpenRead(Path.Combine(round, "global.bin"));
            using var r = new BinaryReader(stream);
            if (r.ReadString() != Magic) throw new InvalidDataException("not a NasKit FedNAS checkpoint");
            var saved = r.ReadString();
            if (saved != Fingerprint())
                throw new InvalidDataException($"it was written by a different federation ({saved} → {Fingerprint()}); use the same options to resume, or another checkpoint folder");
            var records = System.Text.Json.JsonSerializer.Deserialize<RoundRecord[]>(r.ReadString())!;
            using (no_grad())
            {
                foreach (var t in _global) { using var s = TensorExtensionMethods.Load(r); t.copy_(s); }
                using var state = TensorExtensionMethods.Load(r);
                _noise.set_state(state);
            }
            for (int k = 0; k < _clients.Length; k++) _clients[k].Load(Path.Combine(round, $"client-{k}.bin"));
            _history.Clear();
            foreach (var h in records)
                _history.Add(new FederatedSearchRound<TArch>(h.Round, h.TrainLoss, h.TrainAccuracy, h.SearchValidAccuracy, _space.Derive(h.Probabilities), h.Probabilities,
                    h.UploadBytes, h.DownloadBytes, h.MeanUpdateNorm, h.Seconds));
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"The FedNAS checkpoint in {directory} cannot be resumed: {e.Message}. Delete the folder to start afresh.", e);
        }
    }

    private sealed record RoundRecord(int Round, double TrainLoss, double TrainAccuracy, double SearchValidAccuracy, double[][][] Probabilities,
                                      long UploadBytes, long DownloadBytes, double MeanUpdateNorm, double Seconds);

    /// <summary>
    /// Runs the remaining rounds. With a checkpoint folder, first resumes from it when it holds a checkpoint, and saves
    /// after every round, so a killed search loses at most the round in progress.
    /// </summary>
    public IReadOnlyList<FederatedSearchRound<TArch>> Run(Action<FederatedSearchRound<TArch>>? onRound = null, CancellationToken cancellation = default, string? checkpoint = null)
    {
        if (checkpoint is not null && _history.Count == 0 && HasCheckpoint(checkpoint)) Load(checkpoint);
        while (!Finished)
        {
            var round = RunRound(cancellation); // not inside ?.Invoke: with no callback the argument would never run
            if (checkpoint is not null) Save(checkpoint);
            onRound?.Invoke(round);
        }
        return History;
    }

    public void Dispose()
    {
        foreach (var c in _clients) c.Dispose();
        foreach (var t in _global) t.Dispose();
        _noise.Dispose();
    }
}
