using NasKit.Data;
using NasKit.Hardware;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Estimation;

/// <summary>
/// Trains a sequence-model space's network on a character corpus (<see cref="LanguageModelTraining"/>) and reports
/// its validation loss. An "epoch" here is <see cref="StepsPerEpoch"/> iterations (nanoGPT's evaluation interval), so
/// <see cref="Fidelity.Epochs"/> and the multi-fidelity schedulers' rungs count in those; the learning-rate schedule
/// spans the trial's own iterations. Only the epochs knob applies. Metrics: <c>valid_loss</c> (nats per character:
/// the search signal), <c>valid_perplexity</c>, <c>train_loss</c>, <c>params_m</c>, <c>cpu_latency</c> (one generated
/// token at batch 1, median of <see cref="LatencyRepeats"/> passes after training; <c>cuda_latency</c> on a GPU), <c>wall_seconds</c>; the
/// validation curve per epoch, each point reported to the <see cref="TrialContext"/>.
/// </summary>
public sealed class LanguageModelEvaluator<TArch>(ISequenceModelSpace<TArch> space, CharCorpus corpus, LanguageModelRecipe recipe, int seed,
                                                  int stepsPerEpoch = 250, Device? device = null) : IEvaluator<TArch>, ISignalEvaluator where TArch : class, IArchitecture
{
    public LanguageModelRecipe Recipe { get; } = recipe.Validated();
    public int StepsPerEpoch { get; } = stepsPerEpoch >= 1 ? stepsPerEpoch : throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), "An epoch needs at least 1 iteration.");
    public Device Device { get; } = device ?? TorchRuntime.DefaultDevice;
    public Objective Signal { get; } = Objective.Min(Metrics.ValidLoss);
    public const int LatencyRepeats = 20;

    public Evaluation Evaluate(TArch arch, Fidelity fidelity, TrialContext? context = null)
    {
        context ??= TrialContext.None;
        int epochs = fidelity.Epochs ?? Math.Max(1, Recipe.Iterations / StepsPerEpoch);
        var recipe = Recipe with { Iterations = epochs * StepsPerEpoch, EvalInterval = StepsPerEpoch };
        using var scope = NewDisposeScope();
        var model = space.Build(arch, corpus.VocabularySize, recipe.Context, seed);
        LanguageModelResult result;
        double latency = double.NaN;
        try
        {
            result = LanguageModelTraining.Train(model, corpus, recipe, seed, Device,
                p => p.Iteration == 0 || context.Report(p.Iteration / StepsPerEpoch, new Dictionary<string, double> { [Metrics.ValidLoss] = p.ValidLoss, [Metrics.TrainLoss] = p.TrainLoss }),
                context.Cancellation);
            // A device cost for multi-objective search: one generated token (batch 1, the context window recomputed).
            if (result.Failure is null)
                latency = LatencyMeter.MeasureTokens(model, 1, recipe.Context, corpus.VocabularySize, repeats: LatencyRepeats, device: Device, seed: seed).MedianMs;
        }
        finally
        {
            model.Dispose();
            NativeHeap.ReleaseFreedMemory(); // as the training evaluator: freed native memory goes back to the system
        }
        if (result.Failure is { } reason) return Evaluation.Failure(reason, result.Seconds);
        var curve = result.Curve.Where(p => p.Iteration > 0).ToArray();
        return new Evaluation(new Dictionary<string, double>
        {
            [Metrics.ValidLoss] = result.ValidLoss,
            [Metrics.ValidPerplexity] = Math.Exp(result.ValidLoss),
            [Metrics.TrainLoss] = result.TrainLoss,
            [Metrics.Parameters] = result.Parameters / 1e6,
            [Metrics.LatencyOn(Device.type)] = latency,
            [Metrics.WallSeconds] = result.Seconds,
        }, result.Seconds)
        {
            Curves = new Dictionary<string, IReadOnlyList<double>> { [Metrics.ValidLoss] = curve.Select(p => p.ValidLoss).ToArray() },
            StoppedAt = result.Iterations < recipe.Iterations ? result.Iterations / StepsPerEpoch : null,
        };
    }
}

/// <summary>
/// <c>lm</c>: trains each language model for real on a character corpus, nanoGPT's shakespeare_char recipe by default
/// (<see cref="LanguageModelRecipe"/>). Arguments: data (tiny-shakespeare), seed, batch, context, lr, min-lr, warmup,
/// wd, steps-per-epoch (250; a trial's epochs count in these). Evaluates any <see cref="ISequenceModelSpace{TArch}"/>.
/// </summary>
public sealed class LanguageModelEvaluatorFactory : IEvaluatorFactory
{
    public string Name => "lm";
    public string Description => "Trains each language model for real (nanoGPT's shakespeare_char CPU recipe): lm:data=tiny-shakespeare,seed=0,batch=12,context=64,lr=0.001,steps-per-epoch=250.";
    public int Order => 20;

    public IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments a) where TArch : class, IArchitecture
    {
        if (space is not ISequenceModelSpace<TArch> sequence) return null;
        string data = a.String("data", "tiny-shakespeare");
        var corpus = data == "tiny-shakespeare" ? CharCorpus.TinyShakespeare()
            : throw new FormatException($"Evaluator 'lm': data={data} is not a corpus NasKit knows; use data=tiny-shakespeare.");
        var d = LanguageModelRecipe.NanoGptShakespeareCpu;
        var recipe = d with
        {
            BatchSize = a.Int("batch", d.BatchSize, 1),
            Context = a.Int("context", d.Context, 1, 4096),
            LearningRate = a.Double("lr", d.LearningRate, 1e-8, 10),
            MinLearningRate = a.Double("min-lr", d.MinLearningRate, 0, 10),
            WarmupIterations = a.Int("warmup", d.WarmupIterations, 0),
            WeightDecay = a.Double("wd", d.WeightDecay, 0, 10),
        };
        return new LanguageModelEvaluator<TArch>(sequence, corpus, recipe, a.Int("seed", 0), a.Int("steps-per-epoch", 250, 1));
    }
}
