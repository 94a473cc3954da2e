using System.Diagnostics;
using NasKit.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Estimation;

/// <summary>Inputs (first dimension: samples) and class labels, held on the CPU.</summary>
public sealed record LabelledTensors(Tensor X, Tensor Y)
{
    public long Count => Y.shape[0];
}

/// <summary>Adam on shuffled mini-batches for a fixed number of epochs; the epoch of best development accuracy is kept.</summary>
public sealed record ClassifierRecipe(int Epochs = 15, int BatchSize = 64, double LearningRate = 1e-3, int EvalBatchSize = 1000)
{
    public ClassifierRecipe Validated()
    {
        if (Epochs < 1 || BatchSize < 1 || EvalBatchSize < 1) throw new ArgumentException($"Training needs at least 1 epoch and batches of at least 1; got {Epochs}, {BatchSize}, {EvalBatchSize}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"The learning rate must be positive and finite, got {LearningRate}.");
        return this;
    }
}

/// <summary>A classifier's run: development accuracy per epoch and the best epoch. <see cref="Failure"/> is set when the loss diverged.</summary>
public sealed record ClassifierResult(IReadOnlyList<double> DevCurve, int BestEpoch, double DevAccuracy, double Seconds, string? Failure = null);

/// <summary>
/// Trains any classifier of one input tensor (images, feature maps, feature vectors): cross-entropy, Adam, the
/// batch order from the seed. At the end the model holds the weights of its best development epoch, so what is
/// measured afterwards (test data, a corrupted input) is measured on the selected model.
/// </summary>
public static class ClassifierTraining
{
    public static ClassifierResult Train(nn.Module<Tensor, Tensor> model, LabelledTensors train, LabelledTensors dev, ClassifierRecipe recipe, int seed, Device device,
                                         CancellationToken cancellation = default)
    {
        recipe = recipe.Validated();
        var clock = Stopwatch.StartNew();
        var order = new Random(unchecked(seed * 7919 + 23));
        var parameters = model.parameters().ToArray();
        model.to(device);
        using var optimizer = new ExplicitAdam(parameters, recipe.LearningRate);
        var curve = new List<double>();
        Dictionary<string, Tensor>? best = null;
        int bestEpoch = 0;
        var indices = Enumerable.Range(0, (int)train.Count).ToArray();
        try
        {
            for (int epoch = 1; epoch <= recipe.Epochs; epoch++)
            {
                order.Shuffle(indices);
                model.train();
                for (int start = 0; start < indices.Length; start += recipe.BatchSize)
                {
                    cancellation.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    using var rows = tensor(indices.AsSpan(start, Math.Min(recipe.BatchSize, indices.Length - start)).ToArray().Select(i => (long)i).ToArray());
                    var x = train.X.index_select(0, rows).to(device);
                    var y = train.Y.index_select(0, rows).to(device);
                    var (_, loss) = ForwardPass.WithLoss(() => model.forward(x), z => nn.functional.cross_entropy(z, y));
                    optimizer.ZeroGrad();
                    loss.backward();
                    double l = loss.item<float>();
                    if (!double.IsFinite(l)) return new ClassifierResult(curve, bestEpoch, double.NaN, clock.Elapsed.TotalSeconds, $"the training loss became {l} in epoch {epoch} (lower the learning rate?)");
                    optimizer.Step();
                }
                double acc = Accuracy(model, dev, recipe.EvalBatchSize, device);
                curve.Add(acc);
                if (bestEpoch == 0 || acc > curve[bestEpoch - 1])
                {
                    bestEpoch = epoch;
                    if (best is not null) foreach (var t in best.Values) t.Dispose();
                    best = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
                }
            }
            model.load_state_dict(best!);
        }
        finally
        {
            if (best is not null) foreach (var t in best.Values) t.Dispose();
        }
        return new ClassifierResult(curve, bestEpoch, curve[bestEpoch - 1], clock.Elapsed.TotalSeconds);
    }

    /// <summary>Accuracy in percent in evaluation mode.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, LabelledTensors data, int batch, Device device)
    {
        using var scope = NewDisposeScope();
        using var p = Probabilities(model, data.X, batch, device);
        return 100.0 * p.argmax(1).eq(data.Y).sum().item<long>() / data.Count;
    }

    /// <summary>Class probabilities (softmax of the logits) on the CPU, in evaluation mode.</summary>
    public static Tensor Probabilities(nn.Module<Tensor, Tensor> model, Tensor x, int batch, Device device)
    {
        bool wasTraining = model.training;
        model.eval();
        var parts = new List<Tensor>();
        using (no_grad())
            for (long start = 0; start < x.shape[0]; start += batch)
            {
                using var scope = NewDisposeScope();
                var p = nn.functional.softmax(model.forward(x.narrow(0, start, Math.Min(batch, x.shape[0] - start)).to(device)), 1).cpu();
                parts.Add(p.MoveToOuterDisposeScope());
            }
        model.train(wasTraining);
        var all = cat(parts, 0);
        foreach (var t in parts) t.Dispose();
        return all;
    }
}
