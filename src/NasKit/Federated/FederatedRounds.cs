using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Federated;

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

    /// <summary>Runs the remaining rounds; <paramref name="afterRound"/> (a checkpoint) runs before <paramref name="onRound"/> sees the round.</summary>
    protected IReadOnlyList<TRound> RunRemaining(Action<TRound>? onRound, CancellationToken cancellation, Action? afterRound = null)
    {
        while (!Finished)
        {
            var round = RunRound(cancellation); // not inside ?.Invoke: with no callback the argument would never run
            afterRound?.Invoke();
            onRound?.Invoke(round);
        }
        return History;
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
