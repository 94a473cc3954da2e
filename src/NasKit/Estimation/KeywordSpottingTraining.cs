using System.Diagnostics;
using NasKit.Data;
using NasKit.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Estimation;

/// <summary>
/// How a keyword spotter trains, after Hello Edge (ARM-software/ML-KWS-for-MCU, <c>train.py</c>): Adam on
/// mini-batches of 100, a piecewise-constant learning rate in three equal stages, training clips augmented afresh
/// every epoch (<see cref="AudioAugmentation"/>); the epoch with the best development accuracy is the result, and its
/// test accuracy is reported. Hello Edge's rates (5e-4, 1e-4, 2e-5) serve 30,000 steps; FSDD's 2,400 training
/// clips give 24 steps an epoch, and at those rates DS-CNN-S reaches 82% development accuracy after 9 epochs. The
/// default rates (3e-3, 1e-3, 3e-4) were chosen on development accuracy (99% after 4 epochs) and 20 epochs.
/// </summary>
public sealed record KeywordSpottingRecipe(int Epochs = 20, int BatchSize = 100, IReadOnlyList<double>? LearningRates = null,
                                           AudioAugmentation? Augmentation = null, int EvalBatchSize = 500)
{
    public static KeywordSpottingRecipe HelloEdge { get; } = new();

    public IReadOnlyList<double> Rates => LearningRates ?? [3e-3, 1e-3, 3e-4];
    public AudioAugmentation Augment => Augmentation ?? new AudioAugmentation();

    /// <summary>The learning rate of a 1-based epoch: the schedule's stages split the epochs evenly.</summary>
    public double RateAt(int epoch) => Rates[Math.Min(Rates.Count - 1, (epoch - 1) * Rates.Count / Epochs)];

    public KeywordSpottingRecipe Validated()
    {
        if (Epochs < 1 || BatchSize < 1 || EvalBatchSize < 1) throw new ArgumentException($"Training needs at least 1 epoch and batches of at least 1; got {Epochs}, {BatchSize}, {EvalBatchSize}.");
        if (Rates.Count == 0 || Rates.Any(r => !(r > 0) || double.IsInfinity(r))) throw new ArgumentException("The learning-rate schedule needs at least one positive, finite rate.");
        Augment.Validated();
        return this;
    }
}

/// <summary>One epoch: mean training loss, accuracies in percent, the rate used.</summary>
public sealed record KwsEpoch(int Epoch, double LearningRate, double TrainLoss, double TrainAccuracy, double DevAccuracy, double TestAccuracy, double Seconds) : IClassifierEpoch;

/// <summary>What a keyword-spotting run measured at its best-development epoch, with the test accuracy per speaker. <see cref="Failure"/> is set when the loss diverged.</summary>
public sealed record KwsResult(IReadOnlyList<KwsEpoch> Curve, int BestEpoch, double DevAccuracy, double TestAccuracy, IReadOnlyDictionary<string, double> TestBySpeaker,
                               double Seconds, long Parameters, string? Failure = null) : IDevSelectedRun
{
    IReadOnlyList<IClassifierEpoch> IDevSelectedRun.Epochs => Curve;
}

public static class KeywordSpottingTraining
{
    /// <param name="onEpoch">Called after each epoch; returning false stops the training there.</param>
    public static KwsResult Train(nn.Module<Tensor, Tensor> model, SpokenDigitTask task, KeywordSpottingRecipe recipe, int seed, Device device,
        Func<KwsEpoch, bool>? onEpoch = null, CancellationToken cancellation = default)
    {
        recipe = recipe.Validated();
        var clock = Stopwatch.StartNew();
        var order = new Random(unchecked(seed * 104729 + 5));
        var parameters = model.parameters().ToArray();
        long parameterCount = parameters.Sum(p => p.numel());
        model.to(device);
        using var optimizer = new ExplicitAdam(parameters, recipe.Rates[0]);
        var curve = new List<KwsEpoch>();
        var bySpeaker = new List<IReadOnlyDictionary<string, double>>();
        int best = -1;
        for (int epoch = 1; epoch <= recipe.Epochs; epoch++)
        {
            var train = task.TrainFeatures(recipe.Augment, seed, epoch);
            var indices = Enumerable.Range(0, train.Count).ToArray();
            order.Shuffle(indices);
            optimizer.LearningRate = recipe.RateAt(epoch);
            model.train();
            double lossSum = 0;
            long correct = 0;
            for (int start = 0; start < indices.Length; start += recipe.BatchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var (x, y) = train.Batch(indices.AsSpan(start, Math.Min(recipe.BatchSize, indices.Length - start)), device);
                var (logits, loss) = ForwardPass.WithLoss(() => model.forward(x), z => nn.functional.cross_entropy(z, y));
                optimizer.ZeroGrad();
                loss.backward();
                double l = loss.item<float>();
                if (!double.IsFinite(l))
                    return new KwsResult(curve, best < 0 ? 0 : curve[best].Epoch, double.NaN, double.NaN, new Dictionary<string, double>(), clock.Elapsed.TotalSeconds,
                        parameterCount, $"the training loss became {l} in epoch {epoch} (lower the learning rate?)");
                optimizer.Step();
                lossSum += l * x.shape[0];
                correct += logits.argmax(1).eq(y).sum().item<long>();
            }
            var (dev, _) = Accuracy(model, task.Dev, recipe, device);
            var (test, speakers) = Accuracy(model, task.Test, recipe, device);
            var point = new KwsEpoch(epoch, optimizer.LearningRate, lossSum / train.Count, 100.0 * correct / train.Count, dev, test, clock.Elapsed.TotalSeconds);
            curve.Add(point);
            bySpeaker.Add(speakers);
            if (best < 0 || point.DevAccuracy > curve[best].DevAccuracy) best = curve.Count - 1;
            if (onEpoch?.Invoke(point) == false) break;
        }
        var chosen = curve[best];
        return new KwsResult(curve, chosen.Epoch, chosen.DevAccuracy, chosen.TestAccuracy, bySpeaker[best], clock.Elapsed.TotalSeconds, parameterCount);
    }

    /// <summary>Accuracy in percent over a feature set in evaluation mode, overall and per speaker.</summary>
    public static (double Overall, IReadOnlyDictionary<string, double> BySpeaker) Accuracy(nn.Module<Tensor, Tensor> model, FeatureSet set, KeywordSpottingRecipe recipe, Device device)
    {
        bool wasTraining = model.training;
        model.eval();
        var hit = new bool[set.Count];
        var all = Enumerable.Range(0, set.Count).ToArray();
        using (no_grad())
            for (int start = 0; start < all.Length; start += recipe.EvalBatchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(recipe.EvalBatchSize, all.Length - start);
                var (x, y) = set.Batch(all.AsSpan(start, n), device);
                var ok = model.forward(x).argmax(1).eq(y).cpu().data<bool>().ToArray();
                ok.CopyTo(hit, start);
            }
        model.train(wasTraining);
        var bySpeaker = set.Speakers.Select((s, i) => (s, i)).GroupBy(p => p.s, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => 100.0 * g.Count(p => hit[p.i]) / g.Count(), StringComparer.Ordinal);
        return (100.0 * hit.Count(h => h) / set.Count, bySpeaker);
    }
}
