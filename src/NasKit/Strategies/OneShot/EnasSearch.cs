using NasKit.Data;
using NasKit.Estimation;
using NasKit.Networks;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Strategies.OneShot;

/// <summary>What one ENAS epoch did: the shared weights' training and the controller's rewards.</summary>
public sealed record EnasEpoch<TArch>(int Epoch, double TrainLoss, double TrainAccuracy, double MeanReward, TArch Sampled, double Seconds) where TArch : class, IArchitecture;

/// <summary>
/// ENAS-style weight sharing (Pham et al., ICML 2018) on any weight-sharing space with categorical decisions. Each epoch alternates two phases: the
/// shared weights train one step per batch on a path the LSTM controller samples; then the controller takes
/// <c>controllerSteps</c> REINFORCE steps, each rewarded by its sample's inherited-weight accuracy on one validation
/// batch. <see cref="Derive"/> samples candidates from the trained controller and keeps the best on the whole
/// validation half, as ENAS derives its final architecture.
/// </summary>
public sealed class EnasSearch<TArch> : IDisposable where TArch : class, IArchitecture
{
    private readonly BatchLoader _valid;
    private readonly LstmController<TArch> _controller;
    private readonly int _seed, _controllerSteps;
    private readonly List<EnasEpoch<TArch>> _history = [];

    public SinglePathTraining<TArch> Shared { get; }
    public IReadOnlyList<EnasEpoch<TArch>> History => _history;
    public bool Finished => Shared.Finished;

    public EnasSearch(IWeightSharingSpace<TArch> space, ImageDataset train, NetworkShape shape, int epochs, int seed, int controllerSteps = 50, int batchSize = 64, Device? device = null)
    {
        if (controllerSteps <= 0) throw new ArgumentException($"The controller needs at least one step per epoch, got {controllerSteps}.");
        (_seed, _controllerSteps) = (seed, controllerSteps);
        var (a, b) = train.Split(0.5, seed);
        Shared = new SinglePathTraining<TArch>(space, a, shape, epochs, seed, batchSize, device: device);
        _valid = new BatchLoader(b, new BatchOptions(batchSize), Shared.Device);
        _controller = new LstmController<TArch>(space, Objective.Max(Metrics.ValidAccuracy), seed);
    }

    public EnasEpoch<TArch> RunEpoch(CancellationToken cancellationToken = default)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var shared = Shared.RunEpoch(cancellationToken, () => _controller.Ask()!.Architecture);
        int epoch = shared.Epoch;
        double rewards = 0;
        TArch last = null!;
        using var batches = Batches(epoch).GetEnumerator();
        for (int s = 0; s < _controllerSteps; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batches.MoveNext();
            var (x, y) = batches.Current;
            var proposal = _controller.Ask()!;
            last = proposal.Architecture;
            double acc = Shared.InheritedAccuracy(last, x, y);
            _controller.Tell(proposal, new Evaluation(new Dictionary<string, double> { [Metrics.ValidAccuracy] = acc }, 0));
            rewards += acc;
            x.Dispose();
            y.Dispose();
        }
        var result = new EnasEpoch<TArch>(epoch, shared.TrainLoss, shared.TrainAccuracy, rewards / _controllerSteps, last, sw.Elapsed.TotalSeconds);
        _history.Add(result);
        return result;
    }

    // Validation batches in a seeded order, cycling as long as the controller asks.
    private IEnumerable<(Tensor, Tensor)> Batches(int epoch)
    {
        for (int pass = 0; ; pass++)
            foreach (var batch in _valid.Epoch(unchecked(_seed * 7919 + epoch * 131 + pass))) yield return batch;
    }

    /// <summary>Samples <paramref name="candidates"/> cells from the controller and returns the best by inherited accuracy on the validation half.</summary>
    public (TArch Cell, double InheritedAccuracy) Derive(int candidates = 20)
    {
        var sampled = Enumerable.Range(0, candidates).Select(_ => _controller.Ask()!.Architecture).Distinct().ToArray();
        return sampled.Select(c => (c, Shared.InheritedAccuracy(c, _valid))).MaxBy(t => t.Item2);
    }

    public void Dispose()
    {
        _controller.Dispose();
        Shared.Dispose();
    }
}
