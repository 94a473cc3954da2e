using System.Diagnostics;
using NasKit.Data;
using NasKit.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Estimation;

/// <summary>
/// How a character-level language model trains. The defaults are nanoGPT's <c>config/train_shakespeare_char.py</c>
/// with the README's CPU overrides: AdamW (β = 0.9, 0.99; weight decay 0.1 on matrices and embeddings only), learning
/// rate 1e-3 warmed up linearly over 100 iterations then cosine-decayed to 1e-4 at the last one, gradients clipped at
/// norm 1, batch 12, context 64, 2,000 iterations, the losses estimated every 250 iterations over 20 batches.
/// </summary>
public sealed record LanguageModelRecipe(int Iterations = 2000, int BatchSize = 12, int Context = 64, double LearningRate = 1e-3,
    double MinLearningRate = 1e-4, int WarmupIterations = 100, double WeightDecay = 0.1, double Beta1 = 0.9, double Beta2 = 0.99,
    double GradientClip = 1.0, int EvalInterval = 250, int EvalIterations = 20, int FinalEvalIterations = 200)
{
    public static LanguageModelRecipe NanoGptShakespeareCpu { get; } = new();

    public LanguageModelRecipe Validated()
    {
        if (Iterations < 1 || BatchSize < 1 || Context < 1) throw new ArgumentException($"Training needs at least 1 iteration, batch 1 and context 1; got {Iterations}, {BatchSize}, {Context}.");
        if (!(LearningRate > 0) || !(MinLearningRate >= 0) || MinLearningRate > LearningRate || double.IsInfinity(LearningRate))
            throw new ArgumentException($"Need 0 <= min learning rate ({MinLearningRate}) <= learning rate ({LearningRate}), the latter positive.");
        if (WarmupIterations < 0) throw new ArgumentException($"Warm-up iterations must be 0 or more, got {WarmupIterations}.");
        if (!(WeightDecay >= 0) || Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) throw new ArgumentException($"Need weight decay >= 0 and betas in [0, 1); got {WeightDecay}, {Beta1}, {Beta2}.");
        if (!(GradientClip > 0)) throw new ArgumentException($"The gradient clipping norm must be positive, got {GradientClip}.");
        if (EvalInterval < 1 || EvalIterations < 1 || FinalEvalIterations < 1) throw new ArgumentException("Evaluation interval and batches must be at least 1.");
        return this;
    }

    /// <summary>nanoGPT's <c>get_lr</c>: linear warm-up (it+1)/(warmup+1), cosine from the warm-up's end to <see cref="Iterations"/>, then the minimum.</summary>
    public double LearningRateAt(int iteration)
    {
        if (iteration < WarmupIterations) return LearningRate * (iteration + 1) / (WarmupIterations + 1);
        if (iteration > Iterations || Iterations <= WarmupIterations) return MinLearningRate;
        double ratio = (double)(iteration - WarmupIterations) / (Iterations - WarmupIterations);
        return MinLearningRate + 0.5 * (1 + Math.Cos(Math.PI * ratio)) * (LearningRate - MinLearningRate);
    }
}

/// <summary>One point of a language model's learning curve: losses in nats per token, estimated after <see cref="Iteration"/> steps.</summary>
public sealed record LanguageModelPoint(int Iteration, double TrainLoss, double ValidLoss, double Seconds);

/// <summary>What a language-model training run measured. <see cref="Failure"/> is set when the loss diverged.</summary>
public sealed record LanguageModelResult(IReadOnlyList<LanguageModelPoint> Curve, double TrainLoss, double ValidLoss, double TrainSeconds,
    double Seconds, int Iterations, long Parameters, string? Failure = null);

/// <summary>
/// Trains any network from token ids to next-token logits on a <see cref="CharCorpus"/>, as nanoGPT's
/// <c>train.py</c> does (see <see cref="LanguageModelRecipe"/>): random windows of the training text, cross-entropy,
/// the losses of both splits estimated on random windows at every evaluation interval and after the last iteration
/// (with <see cref="LanguageModelRecipe.FinalEvalIterations"/> batches, so the final figure is steadier than
/// nanoGPT's 20-batch estimate). Batches come from a generator seeded by the seed, evaluation windows from another, so
/// the training stream does not depend on how often it is evaluated. Each step runs in its own dispose scope.
/// </summary>
public static class LanguageModelTraining
{
    /// <param name="onEvaluation">Called at each estimate; returning false stops the training there.</param>
    public static LanguageModelResult Train(nn.Module<Tensor, Tensor> model, CharCorpus corpus, LanguageModelRecipe recipe, int seed, Device device,
        Func<LanguageModelPoint, bool>? onEvaluation = null, CancellationToken cancellation = default)
    {
        recipe = recipe.Validated();
        var total = Stopwatch.StartNew();
        var trainTime = new Stopwatch();
        var batches = new Random(seed);
        var evalRng = new Random(unchecked(seed * 7919 + 17));
        manual_seed(seed); // dropout masks
        var parameters = model.parameters().ToArray();
        long parameterCount = parameters.Sum(p => p.numel());
        // nanoGPT: every tensor of two or more dimensions (matrices, embeddings) decays; norms and biases do not.
        using var optimizer = new ExplicitAdam(parameters, recipe.LearningRate, recipe.Beta1, recipe.Beta2, recipe.WeightDecay,
                                               decoupledWeightDecay: true, decays: p => p.dim() >= 2);
        var curve = new List<LanguageModelPoint>();
        double lastTrain = double.NaN;
        int done = 0;
        string? failure = null;
        bool Estimate(int iteration, int batchesPerSplit)
        {
            double train = Loss(model, corpus, valid: false, recipe.BatchSize, recipe.Context, batchesPerSplit, evalRng, device);
            double valid = Loss(model, corpus, valid: true, recipe.BatchSize, recipe.Context, batchesPerSplit, evalRng, device);
            var point = new LanguageModelPoint(iteration, train, valid, total.Elapsed.TotalSeconds);
            curve.Add(point);
            return onEvaluation?.Invoke(point) ?? true;
        }

        model.to(device).train();
        for (int it = 0; it < recipe.Iterations; it++)
        {
            cancellation.ThrowIfCancellationRequested();
            if (it % recipe.EvalInterval == 0 && !Estimate(it, recipe.EvalIterations)) break;
            trainTime.Start();
            using (var scope = NewDisposeScope())
            {
                optimizer.LearningRate = recipe.LearningRateAt(it);
                var (x, y) = corpus.Batch(valid: false, recipe.BatchSize, recipe.Context, batches, device);
                var (_, loss) = ForwardPass.WithLoss(() => model.forward(x), logits => CrossEntropy(logits, y));
                optimizer.ZeroGrad();
                loss.backward();
                double norm = GradientClipping.ClipNorm(parameters, recipe.GradientClip);
                lastTrain = loss.item<float>();
                if (!double.IsFinite(lastTrain) || !double.IsFinite(norm))
                {
                    failure = $"the training loss became {(double.IsFinite(lastTrain) ? "finite but the gradient norm " + norm : lastTrain.ToString())} at iteration {it} (lower the learning rate?)";
                    trainTime.Stop();
                    break;
                }
                optimizer.Step();
            }
            trainTime.Stop();
            done = it + 1;
        }
        // A run stopped at an estimate ends with that estimate; one that ran out its iterations gets the final, larger one.
        if (failure is null && (curve.Count == 0 || curve[^1].Iteration != done)) Estimate(done, recipe.FinalEvalIterations);
        var last = curve.Count > 0 ? curve[^1] : null;
        return new LanguageModelResult(curve, last?.TrainLoss ?? lastTrain, failure is null ? last!.ValidLoss : double.NaN,
            trainTime.Elapsed.TotalSeconds, total.Elapsed.TotalSeconds, done, parameterCount, failure);
    }

    private static Tensor CrossEntropy(Tensor logits, Tensor targets) =>
        nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), targets.view(-1));

    /// <summary>Mean cross-entropy (nats per token) over <paramref name="batches"/> random windows of a split, in evaluation mode.</summary>
    public static double Loss(nn.Module<Tensor, Tensor> model, CharCorpus corpus, bool valid, int batchSize, int context, int batches, Random rng, Device device)
    {
        bool wasTraining = model.training;
        model.eval();
        double sum = 0;
        using (no_grad())
            for (int i = 0; i < batches; i++)
            {
                using var scope = NewDisposeScope();
                var (x, y) = corpus.Batch(valid, batchSize, context, rng, device);
                sum += CrossEntropy(model.forward(x), y).item<float>();
            }
        model.train(wasTraining);
        return sum / batches;
    }
}
