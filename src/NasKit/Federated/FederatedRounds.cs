using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Federated;

/// <summary>What any federation's checkpoint folder tells without knowing the federation.</summary>
public static class FederatedRounds
{
    /// <summary>True when <paramref name="directory"/> holds a finished checkpoint (its <c>latest</c> pointer).</summary>
    public static bool HasCheckpoint(string directory) => File.Exists(Path.Combine(directory, "latest"));
}

/// <summary>
/// The server's side of any federated loop: the global tensors, the clients' weights (shard sizes), the DP-FedAvg
/// noise, the round history and the loop itself. A subclass says what a client shares (<see cref="Shared"/>) and
/// what one round does (<see cref="PlayRound"/>), using <see cref="Broadcast"/> before a client's local work and
/// <see cref="Aggregate"/> after all of them. FedAvg of a fixed network and FedNAS are the two here.
/// </summary>
public abstract class FederatedRounds<TRound> : IDisposable
{
    private readonly List<TRound> _history = [];
    private Tensor[] _global = [];

    /// <summary>Each client's weight in the average: its shard's size.</summary>
    protected double[] Weights { get; }
    protected PrivacySettings? Privacy { get; }
    /// <summary>The DP-FedAvg noise generator, seeded by the federation.</summary>
    protected Generator Noise { get; }
    public int Rounds { get; }
    public abstract int Clients { get; }

    public IReadOnlyList<TRound> History => _history;
    public bool Finished => _history.Count >= Rounds;
    /// <summary>The global tensors: what the server sends and each client returns.</summary>
    protected IReadOnlyList<Tensor> Global => _global;
    /// <summary>Bytes of one message (the same each way): every shared tensor once.</summary>
    public long MessageBytes => FederatedAveraging.Bytes(_global);

    protected FederatedRounds(IReadOnlyList<double> weights, int rounds, PrivacySettings? privacy, ulong noiseSeed)
    {
        if (weights.Count == 0) throw new ArgumentException("A federation needs at least one client shard.");
        if (rounds < 1) throw new ArgumentException($"Rounds must be at least 1, got {rounds}.");
        (Weights, Rounds, Privacy, Noise) = (weights.ToArray(), rounds, privacy?.Validated(), new Generator(noiseSeed));
    }

    /// <summary>What client <paramref name="client"/> sends and receives, in a fixed order.</summary>
    protected abstract IReadOnlyList<Tensor> Shared(int client);

    /// <summary>One round's local work and aggregation; <paramref name="round"/> counts from 0.</summary>
    protected abstract TRound PlayRound(int round, CancellationToken cancellation);

    /// <summary>The global model starts as client 0's initialisation; call once the clients exist.</summary>
    protected void StartGlobalFromClient0()
    {
        using (no_grad())
            _global = Shared(0).Select(t => t.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Copies the global tensors into a client (what it receives at the start of a round).</summary>
    protected void Broadcast(int client)
    {
        using (no_grad())
        {
            var mine = Shared(client);
            for (int i = 0; i < mine.Count; i++) mine[i].copy_(_global[i]);
        }
    }

    /// <summary>The server's step over every client's tensors (weighted average or DP-FedAvg); returns each client's update norm.</summary>
    protected double[] Aggregate() =>
        FederatedAveraging.Aggregate(_global, Enumerable.Range(0, Clients).Select(Shared).ToArray(), Weights, Privacy, Noise);

    /// <summary>Replaces the history (a resumed checkpoint's rounds).</summary>
    protected void RestoreHistory(IEnumerable<TRound> rounds)
    {
        _history.Clear();
        _history.AddRange(rounds);
    }

    public TRound RunRound(CancellationToken cancellation = default)
    {
        if (Finished) throw new InvalidOperationException($"All {Rounds} rounds have run.");
        var result = PlayRound(_history.Count, cancellation);
        _history.Add(result);
        return result;
    }

    /// <summary>
    /// Runs the remaining rounds. With a checkpoint folder, first resumes from it when it holds a checkpoint, and saves
    /// after every round (before <paramref name="onRound"/> sees it), so a killed run loses at most the round in progress.
    /// </summary>
    public IReadOnlyList<TRound> Run(Action<TRound>? onRound = null, CancellationToken cancellation = default, string? checkpoint = null)
    {
        if (checkpoint is not null && History.Count == 0 && HasCheckpoint(checkpoint)) Load(checkpoint);
        while (!Finished)
        {
            var round = RunRound(cancellation); // not inside ?.Invoke: with no callback the argument would never run
            if (checkpoint is not null) Save(checkpoint);
            onRound?.Invoke(round);
        }
        return History;
    }

    /// <summary>Names the kind of checkpoint (a class and format version), so one kind is never loaded as another.</summary>
    protected abstract string CheckpointKind { get; }

    /// <summary>What a checkpoint must match to be resumed: shards, rounds, privacy and anything the subclass adds.</summary>
    protected virtual string Fingerprint() => $"clients={Clients}|shards={string.Join("/", Weights)}|rounds={Rounds}|privacy={Privacy}";

    /// <summary>Client state that outlives a round (FedNAS: each client's optimisers and generators); FedAvg's clients keep none.</summary>
    protected virtual void SaveClients(string folder) { }
    protected virtual void LoadClients(string folder) { }

    /// <summary>The history as JSON; rounds that hold more than plain data (an architecture) override both.</summary>
    protected virtual string SerializeHistory() => System.Text.Json.JsonSerializer.Serialize(History);
    protected virtual IEnumerable<TRound> DeserializeHistory(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<TRound[]>(json) ?? throw new InvalidDataException("the round history is empty");

    /// <summary>
    /// Writes the whole federation after a round: the clients' state (<see cref="SaveClients"/>), the global tensors,
    /// the noise generator and the history, into a folder for that round; then points <c>latest</c> at it by an atomic
    /// rename, so a kill at any moment leaves the previous round's checkpoint whole.
    /// </summary>
    public void Save(string directory)
    {
        var round = Path.Combine(directory, $"round-{History.Count:D4}");
        Directory.CreateDirectory(round);
        SaveClients(round);
        using (var stream = File.Create(Path.Combine(round, "global.bin")))
        using (var w = new BinaryWriter(stream))
        {
            w.Write(CheckpointKind);
            w.Write(Fingerprint());
            w.Write(SerializeHistory());
            using (no_grad())
            {
                foreach (var t in _global) { using var c = t.cpu(); c.Save(w); }
                using var state = Noise.get_state();
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
    public static bool HasCheckpoint(string directory) => FederatedRounds.HasCheckpoint(directory);

    /// <summary>Restores the checkpoint <see cref="Save"/> wrote last, refusing one from a different federation.</summary>
    public void Load(string directory)
    {
        try
        {
            var round = Path.Combine(directory, File.ReadAllText(Path.Combine(directory, "latest")).Trim());
            using var stream = File.OpenRead(Path.Combine(round, "global.bin"));
            using var r = new BinaryReader(stream);
            var kind = r.ReadString();
            if (kind != CheckpointKind) throw new InvalidDataException($"it holds '{kind}', not '{CheckpointKind}'");
            var saved = r.ReadString();
            if (saved != Fingerprint())
                throw new InvalidDataException($"it was written by a different federation ({saved} → {Fingerprint()}); use the same options to resume, or another checkpoint folder");
            var history = DeserializeHistory(r.ReadString()).ToArray();
            using (no_grad())
            {
                foreach (var t in _global) { using var s = TensorExtensionMethods.Load(r); t.copy_(s); }
                using var state = TensorExtensionMethods.Load(r);
                Noise.set_state(state);
            }
            LoadClients(round);
            RestoreHistory(history);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new InvalidDataException($"The checkpoint in {directory} cannot be resumed: {e.Message}. Delete the folder to start afresh.", e);
        }
    }

    protected abstract void DisposeClients();

    public void Dispose()
    {
        DisposeClients();
        foreach (var t in _global) t.Dispose();
        Noise.Dispose();
        GC.SuppressFinalize(this);
    }
}
