using System.Diagnostics;
using NasKit.Data;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces.Nb201;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Strategies.OneShot;

/// <summary>What one epoch of supernet training did.</summary>
public sealed record SupernetEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double Seconds);

/// <summary>
/// Trains the NB201 supernet one path at a time: every step draws a cell uniformly at random (seeded) and takes an SGD
/// step on that path's weights only (SPOS, Guo et al., ECCV 2020). The trained supernet then scores any cell by its
/// inherited weights (<see cref="InheritedAccuracy"/>), which a search strategy can use as its evaluator.
/// Hyperparameters follow NB201's recipe (SGD, Nesterov momentum 0.9, weight decay 5e-4, cosine from 0.025).
/// </summary>
public sealed class SinglePathTraining : IDisposable
{
    private readonly BatchLoader _train;
    private readonly optim.Optimizer _optimizer;
    private readonly Random _paths;
    private readonly int _seed, _epochs;
    private readonly double _learningRate;
    private int _epoch;

    public Nb201SuperNetwork Network { get; }
    public Device Device { get; }

    public SinglePathTraining(ImageDataset train, NetworkShape shape, int epochs, int seed, int batchSize = 64, double learningRate = 0.025, Device? device = null)
    {
        if (epochs <= 0) throw new ArgumentException($"Epochs must be positive, got {epochs}.");
        TorchRuntime.EnsureLoaded();
        (_seed, _epochs, _learningRate) = (seed, epochs, learningRate);
        Device = device ?? TorchRuntime.DefaultDevice;
        _train = new BatchLoader(train, new BatchOptions(batchSize, Augment: true), Device);
        Network = new Nb201SuperNetwork(shape with { Classes = train.Classes, InputChannels = train.Channels });
        SeededInitialization.Apply(Network, seed);
        Network.to(Device);
        _optimizer = optim.SGD(Network.parameters(), learningRate, momentum: 0.9, weight_decay: 5e-4, nesterov: true);
        _paths = new Random(seed);
    }

    public SupernetEpoch RunEpoch(CancellationToken cancellationToken = default)
    {
        var sw = Stopwatch.StartNew();
        int epoch = _epoch++;
        int steps = _epochs * _train.BatchesPerEpoch, step = epoch * _train.BatchesPerEpoch;
        Network.train();
        var space = new Nb201Space();
        double lossSum = 0, hits = 0, seen = 0;
        foreach (var (x, y) in _train.Epoch(unchecked(_seed * 1_000_003 + epoch)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var g in _optimizer.ParamGroups) g.LearningRate = 0.5 * _learningRate * (1 + Math.Cos(Math.PI * step / steps));
            var path = space.Sample(_paths);
            using (NewDisposeScope())
            {
                _optimizer.zero_grad();
                var logits = Network.Forward(x, path);
                var loss = nn.functional.cross_entropy(logits, y);
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
        return new SupernetEpoch(epoch + 1, lossSum / seen, 100 * hits / seen, sw.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Top-1 accuracy (%) of <paramref name="cell"/> with the supernet's weights on <paramref name="data"/>. BN uses
    /// batch statistics (training mode): the running statistics mix every path and describe none of them.
    /// </summary>
    public double InheritedAccuracy(Nb201Cell cell, BatchLoader data)
    {
        using var _ = no_grad();
        Network.train();
        long correct = 0, total = 0;
        foreach (var (x, y) in data.Epoch(0, shuffle: false))
        {
            using var scope = NewDisposeScope();
            correct += Network.Forward(x, cell).argmax(1).eq(y).sum().item<long>();
            total += y.shape[0];
            x.Dispose();
            y.Dispose();
        }
        return 100.0 * correct / total;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        Network.Dispose();
    }
}
