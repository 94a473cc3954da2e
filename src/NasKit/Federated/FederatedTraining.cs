using System.Diagnostics;
using TorchSharp;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Networks;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Federated;

/// <summary>One FedAvg round: the global model's test accuracy after it, the clients' mean training loss, and the traffic.</summary>
public sealed record FederatedTrainingRound(int Round, double TrainLoss, double TestAccuracy, long UploadBytesPerClient, long DownloadBytesPerClient, double MeanUpdateNorm, double Seconds);

/// <summary>
/// FedAvg (McMahan et al., 2017) for one fixed architecture of any buildable space: every round each client starts
/// from the global weights, trains <c>localEpochs</c> epochs of SGD on its shard, and the server averages the models
/// weighted by shard size (or takes the DP-FedAvg step). The learning rate follows a cosine over all rounds; a
/// client's SGD momentum starts afresh each round, as in FedML. With one shard it is ordinary centralised training
/// with the same number of steps.
/// </summary>
public sealed class FederatedTraining<TArch> : FederatedRounds<FederatedTrainingRound> where TArch : class, IArchitecture
{
    private readonly nn.Module<Tensor, Tensor>[] _clients;
    private readonly BatchLoader[] _loaders;
    private readonly BatchLoader _test;
    private readonly TrainingHyperparameters _hp;
    private readonly int _localEpochs, _seed;

    public Device Device { get; }
    public override int Clients => _clients.Length;

    public FederatedTraining(IBuildableSpace<TArch> space, TArch arch, IReadOnlyList<ImageDataset> shards, ImageDataset test, NetworkShape shape, int rounds, int localEpochs,
                             int seed, TrainingHyperparameters hp, PrivacySettings? privacy = null, Device? device = null)
        : base(shards.Select(s => (double)s.Count).ToArray(), rounds, privacy, (ulong)(uint)unchecked(seed * 7919 + 103))
    {
        if (localEpochs < 1) throw new ArgumentException($"Local epochs must be at least 1, got {localEpochs}.");
        (_localEpochs, _seed, _hp) = (localEpochs, seed, hp.Validated());
        Device = device ?? Runtime.TorchRuntime.DefaultDevice;
        shape = shape with { Classes = test.Classes, InputChannels = test.Channels };
        _clients = shards.Select(_ =>
        {
            var net = space.Build(arch, shape);
            SeededInitialization.Apply(net, seed); // every client starts from the same global model
            net.to(Device);
            return net;
        }).ToArray();
        _loaders = shards.Select(s => new BatchLoader(s, new BatchOptions(hp.BatchSize, hp.Augment), Device)).ToArray();
        _test = new BatchLoader(test, new BatchOptions(256), Device);
        StartGlobalFromClient0();
    }

    /// <summary>A client's parameters and, unless in DP mode, its floating-point buffers (batch-norm statistics).</summary>
    protected override IReadOnlyList<Tensor> Shared(int client) =>
        [.. _clients[client].parameters(), .. Privacy is null ? _clients[client].buffers().Where(b => b.is_floating_point()) : []];

    protected override FederatedTrainingRound PlayRound(int round, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var losses = new double[_clients.Length];
        for (int k = 0; k < _clients.Length; k++)
        {
            var net = _clients[k];
            Broadcast(k);
            net.train();
            using var sgd = new ExplicitSgd(net.parameters(), _hp.LearningRate, _hp.Momentum, _hp.WeightDecay, _hp.Nesterov);
            double lossSum = 0, seen = 0;
            for (int e = 0; e < _localEpochs; e++)
            {
                // Cosine over all rounds' local epochs, per epoch.
                sgd.LearningRate = 0.5 * _hp.LearningRate * (1 + Math.Cos(Math.PI * (round * _localEpochs + e) / (Rounds * _localEpochs)));
                foreach (var (x, y) in _loaders[k].Epoch(unchecked(_seed * 1_000_003 + (round * _localEpochs + e) * 31 + k)))
                {
                    cancellation.ThrowIfCancellationRequested();
                    using (var scope = NewDisposeScope())
                    {
                        sgd.ZeroGrad();
                        var (_, loss) = ForwardPass.WithLoss(() => net.forward(x), z => nn.functional.cross_entropy(z, y));
                        double value = loss.item<float>();
                        if (!double.IsFinite(value)) throw new ArithmeticException($"Client {k + 1}'s training loss became {value} in round {round + 1}; lower the learning rate.");
                        loss.backward();
                        lossSum += value * y.shape[0];
                        seen += y.shape[0];
                    }
                    sgd.Step();
                    x.Dispose();
                    y.Dispose();
                }
            }
            losses[k] = lossSum / Math.Max(1, seen);
        }
        var norms = Aggregate();
        // The global model is tested in client 0's module (in DP mode with client 0's own batch-norm statistics).
        Broadcast(0);
        double accuracy = TrainingEvaluator<TArch>.Accuracy(_clients[0], _test);
        long bytes = MessageBytes;
        return new FederatedTrainingRound(round + 1, losses.Select((l, k) => l * Weights[k]).Sum() / Weights.Sum(), accuracy, bytes, bytes, norms.Average(), clock.Elapsed.TotalSeconds);
    }

    protected override string CheckpointKind => "naskit-fedavg-checkpoint-v1";

    // Without DP every tensor a client holds is overwritten by the next broadcast; with DP each keeps its own
    // batch-norm statistics, which a resumed run must restore.
    protected override void SaveClients(string folder)
    {
        if (Privacy is null) return;
        using var _ = no_grad();
        for (int k = 0; k < _clients.Length; k++)
        {
            using var w = new BinaryWriter(File.Create(Path.Combine(folder, $"client-{k}.bin")));
            foreach (var b in _clients[k].buffers()) { using var c = b.cpu(); c.Save(w); }
        }
    }

    protected override void LoadClients(string folder)
    {
        if (Privacy is null) return;
        using var _ = no_grad();
        for (int k = 0; k < _clients.Length; k++)
        {
            using var r = new BinaryReader(File.OpenRead(Path.Combine(folder, $"client-{k}.bin")));
            foreach (var b in _clients[k].buffers()) { using var t = TensorExtensionMethods.Load(r); b.copy_(t); }
        }
    }

    protected override void DisposeClients()
    {
        foreach (var c in _clients) c.Dispose();
    }
}
