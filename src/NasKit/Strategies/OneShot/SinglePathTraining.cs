using System.Diagnostics;
using NasKit.Data;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Strategies.OneShot;

/// <summary>What one epoch of supernet training did.</summary>
public sealed record SupernetEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double Seconds);

/// <summary>
/// Trains a weight-sharing supernet one path at a time: every step draws an architecture and takes an SGD step on
/// that path's weights only. Drawn uniformly at random (seeded) this is SPOS (Guo et al., ECCV 2020); drawn by a
/// controller it is ENAS' shared-weight phase (<see cref="EnasSearch{TArch}"/>). The trained supernet then scores any
/// architecture by its inherited weights (<see cref="InheritedAccuracy(TArch, BatchLoader)"/>), which a search
/// strategy can use as its evaluator. Works on any <see cref="IWeightSharingSpace{TArch}"/>. Hyperparameters follow
/// NB201's recipe (SGD, Nesterov momentum 0.9, weight decay 5e-4, cosine from 0.025). <see cref="Save"/> and
/// <see cref="Load"/> checkpoint between epochs.
/// </summary>
public sealed class SinglePathTraining<TArch> : IDisposable where TArch : class, IArchitecture
{
    private const string CheckpointMagic = "naskit-supernet-checkpoint-v1";
    private readonly BatchLoader _train;
    private readonly TorchSharp.Modules.SGD _optimizer;
    private readonly int _seed, _epochs, _batchSize;
    private readonly double _learningRate;
    private readonly List<SupernetEpoch> _history = [];

    private readonly IWeightSharingSpace<TArch> _space;

    public IWeightSharingSupernet<TArch> Network { get; }
    public Device Device { get; }
    public IReadOnlyList<SupernetEpoch> History => _history;
    public int Epochs => _epochs;
    public bool Finished => _history.Count >= _epochs;

    public SinglePathTraining(IWeightSharingSpace<TArch> space, ImageDataset train, NetworkShape shape, int epochs, int seed, int batchSize = 64,
                              double learningRate = 0.025, Device? device = null)
    {
        _space = space;
        if (epochs <= 0) throw new ArgumentException($"Epochs must be positive, got {epochs}.");
        if (batchSize < 1 || train.Count < batchSize)
            throw new ArgumentException($"Supernet training needs at least one batch of {batchSize} images; it has {train.Count}. Use more images or a smaller batch.");
        TorchRuntime.EnsureLoaded();
        (_seed, _epochs, _learningRate, _batchSize) = (seed, epochs, learningRate, batchSize);
        Device = device ?? TorchRuntime.DefaultDevice;
        _train = new BatchLoader(train, new BatchOptions(batchSize, Augment: true), Device);
        Network = space.CreateWeightSharingSupernet(shape with { Classes = train.Classes, InputChannels = train.Channels });
        SeededInitialization.Apply(Network.Module, seed);
        Network.Module.to(Device);
        _optimizer = optim.SGD(Network.Module.parameters(), learningRate, momentum: 0.9, weight_decay: 5e-4, nesterov: true);
    }

    /// <summary>Trains one epoch; each step's path comes from <paramref name="sampler"/>, or uniformly at random (SPOS).</summary>
    public SupernetEpoch RunEpoch(CancellationToken cancellationToken = default, Func<TArch>? sampler = null)
    {
        if (Finished) throw new InvalidOperationException($"All {_epochs} epochs have run.");
        var sw = Stopwatch.StartNew();
        int epoch = _history.Count;
        int steps = _epochs * _train.BatchesPerEpoch, step = epoch * _train.BatchesPerEpoch;
        // Uniform paths come from a generator seeded per epoch, so a resumed run draws the same paths.
        var uniform = new Random(unchecked(_seed * 31 + epoch));
        sampler ??= () => _space.Sample(uniform);
        Network.Module.train();
        double lossSum = 0, hits = 0, seen = 0;
        foreach (var (x, y) in _train.Epoch(unchecked(_seed * 1_000_003 + epoch)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var g in _optimizer.ParamGroups) g.LearningRate = 0.5 * _learningRate * (1 + Math.Cos(Math.PI * step / steps));
            var path = sampler();
            using (NewDisposeScope())
            {
                _optimizer.zero_grad();
                var (logits, loss) = ForwardPass.WithLoss(() => Network.Forward(x, path), z => nn.functional.cross_entropy(z, y));
                double value = loss.item<float>();
                if (!double.IsFinite(value)) throw new ArithmeticException($"Supernet loss became {value} at epoch {epoch + 1} on {path}; lower the learning rate.");
                loss.backward();
                lossSum += value * y.shape[0];
                hits += logits.argmax(1).eq(y).sum().item<long>();
                seen += y.shape[0];
            }
            _optimizer.step(); // outside the step scope: momentum buffers live across steps
            x.Dispose();
            y.Dispose();
            step++;
        }
        NativeHeap.ReleaseFreedMemory();
        var result = new SupernetEpoch(epoch + 1, lossSum / seen, 100 * hits / seen, sw.Elapsed.TotalSeconds);
        _history.Add(result);
        return result;
    }

    /// <summary>Runs the remaining epochs, resuming from and saving to <paramref name="checkpoint"/> (after every epoch) when given.</summary>
    public IReadOnlyList<SupernetEpoch> Run(string? checkpoint = null, Action<SupernetEpoch>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        if (checkpoint is not null && File.Exists(checkpoint) && _history.Count == 0) Load(checkpoint);
        while (!Finished)
        {
            var epoch = RunEpoch(cancellationToken);
            if (checkpoint is not null) Save(checkpoint);
            onEpoch?.Invoke(epoch);
        }
        return History;
    }

    /// <summary>
    /// Top-1 accuracy (%) of <paramref name="cell"/> with the supernet's weights on <paramref name="data"/>. BN uses
    /// batch statistics (training mode): the running statistics mix every path and describe none of them.
    /// </summary>
    public double InheritedAccuracy(TArch cell, BatchLoader data)
    {
        long correct = 0, total = 0;
        foreach (var (x, y) in data.Epoch(0, shuffle: false))
        {
            correct += Correct(cell, x, y);
            total += y.shape[0];
            x.Dispose();
            y.Dispose();
        }
        return 100.0 * correct / total;
    }

    /// <summary>Top-1 accuracy (%) of <paramref name="cell"/> with inherited weights on one batch (ENAS' controller reward).</summary>
    public double InheritedAccuracy(TArch cell, Tensor images, Tensor labels) => 100.0 * Correct(cell, images, labels) / labels.shape[0];

    private long Correct(TArch cell, Tensor x, Tensor y)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Network.Module.train();
        return Network.Forward(x, cell).argmax(1).eq(y).sum().item<long>();
    }

    private string Fingerprint() => $"{Network.Shape}|epochs={_epochs}|seed={_seed}|batch={_batchSize}|lr={_learningRate}|data={_train.Data.Name}:{_train.Data.Count}";

    /// <summary>Writes the supernet, the optimiser's momentum and the epoch history atomically (temporary file, then rename).</summary>
    public void Save(string path, Action<BinaryWriter>? extra = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = path + ".tmp";
        using (var stream = File.Create(tmp))
        using (var w = new BinaryWriter(stream))
        {
            w.Write(CheckpointMagic);
            w.Write(Fingerprint());
            w.Write(System.Text.Json.JsonSerializer.Serialize(_history));
            Network.Module.save(w);
            _optimizer.save_state_dict(w);
            extra?.Invoke(w);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Restores a checkpoint of a training built with the same shape, data, epochs and seed.</summary>
    public void Load(string path, Action<BinaryReader>? extra = null)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream);
        try
        {
            if (r.ReadString() != CheckpointMagic) throw new InvalidDataException($"{path} is not a NasKit supernet checkpoint.");
            var saved = r.ReadString();
            if (saved != Fingerprint())
                throw new InvalidDataException($"The checkpoint {path} was written by a different training: {Checkpoints.Difference(saved, Fingerprint())}. " +
                                                "Use the same options to resume, or another output directory.");
            var history = System.Text.Json.JsonSerializer.Deserialize<SupernetEpoch[]>(r.ReadString())!;
            Network.Module.load(r);
            _optimizer.load_state_dict(r);
            extra?.Invoke(r);
            _history.Clear();
            _history.AddRange(history);
        }
        catch (Exception e) when (e is EndOfStreamException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new InvalidDataException($"The checkpoint {path} is corrupt ({e.Message}); delete it to start afresh.", e);
        }
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        Network.Dispose();
    }
}
