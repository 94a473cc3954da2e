using System.Diagnostics;
using NasKit.Data;
using NasKit.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Estimation;

/// <summary>
/// How a sentence classifier trains: Kim (2014) and its harvardnlp reproduction, Adadelta (ρ = 0.95, ε = 1e-6,
/// rate 1) on mini-batches of 50, 25 epochs, sentences padded by 4 on each side; the network's own weight
/// constraints (<see cref="IWeightConstraints"/>) restored after each step; the epoch with the best development
/// accuracy is the result, and its test accuracy is reported (harvardnlp keeps that epoch's model and tests it).
/// </summary>
public sealed record SentenceClassifierRecipe(int Epochs = 25, int BatchSize = 50, double LearningRate = 1.0, double Rho = 0.95, double Eps = 1e-6,
                                              int Padding = 4, int EvalBatchSize = 500)
{
    public static SentenceClassifierRecipe Kim { get; } = new();

    public SentenceClassifierRecipe Validated()
    {
        if (Epochs < 1 || BatchSize < 1 || EvalBatchSize < 1) throw new ArgumentException($"Training needs at least 1 epoch and batches of at least 1; got {Epochs}, {BatchSize}, {EvalBatchSize}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate) || Rho is < 0 or >= 1 || !(Eps > 0)) throw new ArgumentException($"Adadelta needs lr > 0, rho in [0, 1) and eps > 0; got {LearningRate}, {Rho}, {Eps}.");
        if (Padding < 0) throw new ArgumentException($"Padding must be 0 or more, got {Padding}.");
        return this;
    }
}

/// <summary>One epoch of a sentence classifier's training: mean training loss and accuracies in percent.</summary>
public sealed record SentenceEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double DevAccuracy, double TestAccuracy, double Seconds) : IClassifierEpoch;

/// <summary>What a sentence-classifier run measured: the best-development epoch's accuracies. <see cref="Failure"/> is set when the loss diverged.</summary>
public sealed record SentenceClassifierResult(IReadOnlyList<SentenceEpoch> Curve, int BestEpoch, double DevAccuracy, double TestAccuracy, double Seconds,
                                              long Parameters, string? Failure = null) : IDevSelectedRun
{
    IReadOnlyList<IClassifierEpoch> IDevSelectedRun.Epochs => Curve;
}

public static class SentenceClassifierTraining
{
    /// <param name="onEpoch">Called after each epoch; returning false stops the training there.</param>
    public static SentenceClassifierResult Train(nn.Module<Tensor, Tensor> model, SentenceTask task, SentenceClassifierRecipe recipe, int seed, Device device,
        Func<SentenceEpoch, bool>? onEpoch = null, CancellationToken cancellation = default)
    {
        recipe = recipe.Validated();
        var clock = Stopwatch.StartNew();
        var (train, dev) = task.Split(seed, recipe.BatchSize);
        var order = new Random(unchecked(seed * 7919 + 3));
        manual_seed(seed); // dropout masks
        var parameters = model.parameters().ToArray();
        long parameterCount = parameters.Sum(p => p.numel());
        using var optimizer = new ExplicitAdadelta(parameters, recipe.LearningRate, recipe.Rho, recipe.Eps);
        var constraints = model as IWeightConstraints;
        constraints?.ApplyConstraints();
        model.to(device);
        var curve = new List<SentenceEpoch>();
        int best = -1;
        var indices = Enumerable.Range(0, train.Count).ToArray();
        for (int epoch = 1; epoch <= recipe.Epochs; epoch++)
        {
            model.train();
            order.Shuffle(indices);
            double lossSum = 0;
            long correct = 0;
            for (int start = 0; start < indices.Length; start += recipe.BatchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var (x, y) = SentenceTask.Batch(train, indices.AsSpan(start, Math.Min(recipe.BatchSize, indices.Length - start)), recipe.Padding, device);
                var (logits, loss) = ForwardPass.WithLoss(() => model.forward(x), z => nn.functional.cross_entropy(z, y));
                optimizer.ZeroGrad();
                loss.backward();
                double l = loss.item<float>();
                if (!double.IsFinite(l))
                    return new SentenceClassifierResult(curve, best < 0 ? 0 : curve[best].Epoch, double.NaN, double.NaN, clock.Elapsed.TotalSeconds, parameterCount,
                        $"the training loss became {l} in epoch {epoch} (lower the learning rate?)");
                optimizer.Step();
                constraints?.ApplyConstraints();
                lossSum += l * x.shape[0];
                correct += logits.argmax(1).eq(y).sum().item<long>();
            }
            var point = new SentenceEpoch(epoch, lossSum / train.Count, 100.0 * correct / train.Count,
                Accuracy(model, dev, recipe, device), Accuracy(model, task.Test, recipe, device), clock.Elapsed.TotalSeconds);
            curve.Add(point);
            if (best < 0 || point.DevAccuracy > curve[best].DevAccuracy) best = curve.Count - 1; // the first of equal epochs, as harvardnlp
            if (onEpoch?.Invoke(point) == false) break;
        }
        var chosen = curve[best];
        return new SentenceClassifierResult(curve, chosen.Epoch, chosen.DevAccuracy, chosen.TestAccuracy, clock.Elapsed.TotalSeconds, parameterCount);
    }

    /// <summary>Accuracy in percent over the sentences, in evaluation mode.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, LabelledSentences sentences, SentenceClassifierRecipe recipe, Device device)
    {
        bool wasTraining = model.training;
        model.eval();
        long correct = 0;
        var all = Enumerable.Range(0, sentences.Count).ToArray();
        using (no_grad())
            for (int start = 0; start < all.Length; start += recipe.EvalBatchSize)
            {
                using var scope = NewDisposeScope();
                var (x, y) = SentenceTask.Batch(sentences, all.AsSpan(start, Math.Min(recipe.EvalBatchSize, all.Length - start)), recipe.Padding, device);
                correct += model.forward(x).argmax(1).eq(y).sum().item<long>();
            }
        model.train(wasTraining);
        return 100.0 * correct / sentences.Count;
    }
}
