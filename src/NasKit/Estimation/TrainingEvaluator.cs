using System.Diagnostics;
using NasKit.Data;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Estimation;

/// <summary>
/// Training hyperparameters. The defaults are NAS-Bench-201's: SGD with Nesterov momentum 0.9, weight decay
/// 5e-4, learning rate 0.1 with a per-step cosine schedule to 0, batch size 256, 200 epochs, random crop with
/// padding 4 and horizontal flips; TrivialAugment on top when <paramref name="TrivialAugment"/> is set (JAHS-Bench-201).
/// </summary>
public sealed record TrainingHyperparameters(int Epochs = 200, int BatchSize = 256, double LearningRate = 0.1,
    double Momentum = 0.9, double WeightDecay = 5e-4, bool Nesterov = true, bool Augment = true, bool TrivialAugment = false)
{
    public static TrainingHyperparameters Default { get; } = new();

    /// <summary>Refuses settings that would train nothing or diverge by construction.</summary>
    public TrainingHyperparameters Validated()
    {
        if (Epochs < 1 || BatchSize < 1) throw new ArgumentException($"Training needs at least 1 epoch and a batch of at least 1; got {Epochs} epochs, batch {BatchSize}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"The learning rate must be a positive number, got {LearningRate}.");
        if (Momentum is < 0 or >= 1 || double.IsNaN(Momentum)) throw new ArgumentException($"The momentum must be in [0, 1), got {Momentum}.");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new ArgumentException($"The weight decay must be 0 or more, got {WeightDecay}.");
        return this;
    }
}

/// <summary>
/// Trains a space's network for real and reports its held-out accuracy. Honours every <see cref="Fidelity"/>
/// knob: epochs, a seeded fraction of the training data, input resolution, channels (C) and cells per stage (N).
/// <para>
/// Metrics: <c>valid_acc</c> (held-out accuracy, %), <c>train_loss</c>, <c>train_acc</c>, <c>params_m</c>,
/// <c>flops_m</c> (for spaces with a cost model) and <c>wall_seconds</c>; per-epoch curves in <see cref="Evaluation.Curves"/>, each
/// epoch reported to the <see cref="TrialContext"/> as it ends (a stopping rule may end the training there).
/// A loss that turns NaN or infinite fails the trial with that reason. Each evaluation runs in a dispose scope, so
/// native memory is released when it returns. Runs on <see cref="TorchRuntime.DefaultDevice"/> unless told.
/// </para>
/// </summary>
public sealed class TrainingEvaluator<TArch> : IEvaluator<TArch> where TArch : class, IArchitecture
{
    private readonly IBuildableSpace<TArch> _space;
    private readonly ImageDataset _train, _heldOut;
    private readonly NetworkShape _shape;
    private readonly int _seed;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<double, ImageDataset> _fractions = new();

    public TrainingHyperparameters Hyperparameters { get; }
    public Device Device { get; }
    /// <summary>When set, each evaluation writes TensorBoard scalars under this folder (one run per architecture).</summary>
    public string? TensorBoardDirectory { get; init; }

    public TrainingEvaluator(IBuildableSpace<TArch> space, ImageDataset train, ImageDataset heldOut, int seed,
                             NetworkShape? shape = null, TrainingHyperparameters? hyperparameters = null, Device? device = null)
    {
        if (train.Channels != heldOut.Channels || train.Classes != heldOut.Classes)
            throw new ArgumentException("The training and held-out sets must have the same channels and classes.");
        (_space, _train, _heldOut, _seed) = (space, train, heldOut, seed);
        _shape = (shape ?? new NetworkShape()) with { Classes = train.Classes, InputChannels = train.Channels };
        Hyperparameters = (hyperparameters ?? TrainingHyperparameters.Default).Validated();
        Device = device ?? TorchRuntime.DefaultDevice;
    }

    /// <summary>When set, each network starts from the unchanged weights of a trained network one edit away, and is kept for later ones.</summary>
    public WeightInheritance<TArch>? Inheritance { get; init; }

    /// <summary>The fraction of the network's parameters inherited from a trained parent (0: trained from scratch); reported with <see cref="Inheritance"/>.</summary>
    public const string InheritedFraction = "inherited_fraction";

    public NetworkShape ShapeFor(Fidelity f) => _shape with
    {
        Channels = f.Channels ?? _shape.Channels,
        CellsPerStage = f.CellsPerStage ?? _shape.CellsPerStage,
    };

    public Evaluation Evaluate(TArch arch, Fidelity fidelity, TrialContext? context = null)
    {
        try { return Train(arch, fidelity, context ?? TrialContext.None); }
        finally { NativeHeap.ReleaseFreedMemory(); } // the scope freed the tensors; give the pages back too
    }

    private Evaluation Train(TArch arch, Fidelity fidelity, TrialContext context)
    {
        var sw = Stopwatch.StartNew();
        var hp = _space is ITrainingRecipeSpace<TArch> recipes ? recipes.Recipe(arch, Hyperparameters).Validated() : Hyperparameters;
        int epochs = fidelity.Epochs ?? hp.Epochs;
        if (epochs <= 0) throw new ArgumentException($"Epochs must be positive, got {epochs}.");
        if (fidelity.DataFraction is <= 0 or > 1) throw new ArgumentException($"The data fraction must be in (0, 1], got {fidelity.DataFraction}.");
        var shape = ShapeFor(fidelity);
        var train = fidelity.DataFraction < 1 ? _fractions.GetOrAdd(fidelity.DataFraction, f => _train.Split(f, _seed).First) : _train;
        int resolution = fidelity.Resolution ?? _train.Height;
        if (train.Count < 2 || _heldOut.Count < 1)
            return Evaluation.Failure($"nothing to train on: {train.Count} training and {_heldOut.Count} held-out images at data fraction {fidelity.DataFraction}");
        var trainLoader = new BatchLoader(train, new BatchOptions(hp.BatchSize, hp.Augment, Resolution: resolution, TrivialAugment: hp.TrivialAugment), Device);
        var testLoader = new BatchLoader(_heldOut, new BatchOptions(Math.Max(hp.BatchSize, 256), false, Resolution: resolution), Device);

        using var scope = NewDisposeScope();
        var net = _space.Build(arch, shape);
        SeededInitialization.Apply(net, _seed);
        var inherited = Inheritance?.Initialise(arch, shape, net);
        net.to(Device);
        long parameters = net.parameters().Sum(p => p.numel());
        // PyTorch's SGD, with constants whose lifetime we own (TorchSharp's can be finalized mid-step: see ExplicitSgd).
        using var optimizer = new ExplicitSgd(net.parameters(), hp.LearningRate, momentum: hp.Momentum, weightDecay: hp.WeightDecay, nesterov: hp.Nesterov);
        var writer = TensorBoardDirectory is null ? null
            : utils.tensorboard.SummaryWriter(Path.Combine(TensorBoardDirectory, Sanitize(arch.ToText()) + "-" + fidelity));
        var curves = new Dictionary<string, List<double>> { ["train_loss"] = new(), ["train_acc"] = new(), ["valid_acc"] = new() };
        int totalSteps = epochs * trainLoader.BatchesPerEpoch, step = 0;
        double trainLoss = double.NaN, trainAcc = double.NaN;
        int? stoppedAt = null;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            net.train();
            double lossSum = 0, correct = 0, seen = 0;
            // A fixed formula, not HashCode.Combine: that one is randomised per process and would break determinism.
            foreach (var (images, labels) in trainLoader.Epoch(unchecked(_seed * 1_000_003 + epoch)))
            {
                context.Cancellation.ThrowIfCancellationRequested();
                double lr = 0.5 * hp.LearningRate * (1 + Math.Cos(Math.PI * step / totalSteps)); // per-step cosine
                optimizer.LearningRate = lr;
                double loss, hits, n = labels.shape[0];
                using (var batchScope = NewDisposeScope())
                {
                    optimizer.ZeroGrad();
                    var (logits, l) = ForwardPass.WithLoss(() => net.forward(images), z => nn.functional.cross_entropy(z, labels));
                    loss = l.item<float>();
                    if (double.IsNaN(loss) || double.IsInfinity(loss))
                    {
                        return Evaluation.Failure($"loss became {(double.IsNaN(loss) ? "NaN" : "infinite")} at epoch {epoch + 1}, step {step + 1}", sw.Elapsed.TotalSeconds);
                    }
                    l.backward();
                    hits = logits.argmax(1).eq(labels).sum().item<long>();
                    images.Dispose();
                    labels.Dispose();
                }
                optimizer.Step(); // outside the batch scope: momentum buffers live across steps
                lossSum += loss * n;
                correct += hits;
                seen += n;
                step++;
            }
            trainLoss = lossSum / seen;
            trainAcc = 100 * correct / seen;
            double validAcc = Accuracy(net, testLoader);
            curves["train_loss"].Add(trainLoss);
            curves["train_acc"].Add(trainAcc);
            curves["valid_acc"].Add(validAcc);
            writer?.add_scalar("loss/train", (float)trainLoss, epoch + 1);
            writer?.add_scalar("accuracy/train", (float)trainAcc, epoch + 1);
            writer?.add_scalar("accuracy/valid", (float)validAcc, epoch + 1);
            var point = new Dictionary<string, double> { [Metrics.TrainLoss] = trainLoss, [Metrics.TrainAccuracy] = trainAcc, [Metrics.ValidAccuracy] = validAcc };
            if (!context.Report(epoch + 1, point) && epoch + 1 < epochs) { stoppedAt = epoch + 1; break; }
        }
        var metrics = new Dictionary<string, double>
        {
            [Metrics.ValidAccuracy] = curves["valid_acc"][^1],
            [Metrics.TrainLoss] = trainLoss,
            [Metrics.TrainAccuracy] = trainAcc,
            [Metrics.Parameters] = parameters / 1e6,
            [Metrics.WallSeconds] = sw.Elapsed.TotalSeconds,
        };
        if (_space is ICostModelSpace<TArch> costs) metrics[Metrics.Flops] = costs.Flops(arch, shape, resolution) / 1e6;
        if (Inheritance is not null)
        {
            metrics[InheritedFraction] = inherited?.Fraction ?? 0;
            if (stoppedAt is null) Inheritance.Remember(arch, shape, net, metrics[Metrics.ValidAccuracy]);
        }
        return new Evaluation(metrics, sw.Elapsed.TotalSeconds)
        {
            Curves = curves.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value.ToArray()),
            StoppedAt = stoppedAt,
        };
    }

    /// <summary>Top-1 accuracy (%) on a loader's data, in evaluation mode.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> net, BatchLoader loader)
    {
        net.eval();
        using var _ = no_grad();
        long correct = 0, total = 0;
        foreach (var (images, labels) in loader.Epoch(0, shuffle: false))
        {
            using var scope = NewDisposeScope();
            correct += net.forward(images).argmax(1).eq(labels).sum().item<long>();
            total += labels.shape[0];
            images.Dispose();
            labels.Dispose();
        }
        return 100.0 * correct / total;
    }

    private static string Sanitize(string s) =>
        new string(s.Select(ch => char.IsLetterOrDigit(ch) || ch is '_' or '-' or '=' or ',' ? ch : '.').ToArray()).Trim('.').Replace("..", ".");
}

/// <summary>
/// <c>train</c>: real training of any buildable space (see <see cref="TrainingEvaluator{TArch}"/>). Arguments: data
/// (cifar10-subset or fashion-mnist; held out: its test split, unless <c>valid-images</c> carves a validation set
/// of that many images out of the training split, seeded), <c>train-images</c> (train on a seeded subset of this
/// many), seed, batch, lr, momentum, wd, augment, C and N (the network shape; a trial's fidelity may override them),
/// inherit (true: parameter inheritance from trained networks one edit away, <see cref="WeightInheritance{TArch}"/>).
/// Epochs are the trial's fidelity.
/// </summary>
public sealed class TrainingEvaluatorFactory : IEvaluatorFactory
{
    public string Name => "train";
    public string Description => "Trains each network for real (NB201's recipe by default): train:data=cifar10-subset,seed=0,batch=256,lr=0.1,C=16,N=5,inherit=false.";
    public int Order => 10;
    public bool TakesNetworkShape => true;

    public IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments a) where TArch : class, IArchitecture
    {
        if (space is not IBuildableSpace<TArch> buildable) return null;
        var (train, heldOut) = DatasetReaders.ByName(a.String("data", "cifar10-subset"));
        int seed = a.Int("seed", 0);
        // Selecting on the test split overstates what a search found: a validation set from the training split avoids it.
        if (a.Int("valid-images", 0, 0) is > 0 and var valid) (heldOut, train) = train.Split(valid, seed);
        if (a.Int("train-images", 0, 0) is > 0 and var count && count < train.Count) train = train.Split(count, seed).First;
        var d = TrainingHyperparameters.Default;
        var hp = new TrainingHyperparameters(d.Epochs, a.Int("batch", d.BatchSize, 1), a.Double("lr", d.LearningRate, 0),
            a.Double("momentum", d.Momentum, 0, 1), a.Double("wd", d.WeightDecay, 0), d.Nesterov, a.Bool("augment", d.Augment));
        var shape = new NetworkShape(a.Int("C", 16, 1), a.Int("N", 5, 1));
        // inherit=true: every network starts from the unchanged weights of a trained one one edit away (WeightInheritance).
        return new TrainingEvaluator<TArch>(buildable, train, heldOut, seed, shape, hp)
        {
            Inheritance = a.Bool("inherit", false) ? new WeightInheritance<TArch>(space) : null,
        };
    }
}
