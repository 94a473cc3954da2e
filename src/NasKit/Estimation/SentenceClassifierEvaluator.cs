using NasKit.Data;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Estimation;

/// <summary>
/// Trains a sentence-classifier space's network on a <see cref="SentenceTask"/> (<see cref="SentenceClassifierTraining"/>).
/// The signal is the best development accuracy (<c>valid_acc</c>), the outcome that epoch's test accuracy
/// (<c>test_acc</c>); also <c>params_m</c>, <c>train_loss</c>, <c>wall_seconds</c>, the development curve. An
/// architecture with more than <see cref="MaxParameters"/> parameters fails at once without training (a
/// parameter-budget constraint every strategy respects: a failed trial is never the best).
/// </summary>
public sealed class SentenceClassifierEvaluator<TArch>(ISentenceClassifierSpace<TArch> space, SentenceTask task, SentenceClassifierRecipe recipe, int seed,
                                                       long? maxParameters = null, Device? device = null) : IEvaluator<TArch>, ISignalEvaluator where TArch : class, IArchitecture
{
    public SentenceClassifierRecipe Recipe { get; } = recipe.Validated();
    public long? MaxParameters { get; } = maxParameters;
    public Device Device { get; } = device ?? TorchRuntime.DefaultDevice;
    public Objective Signal { get; } = Objective.Max(Metrics.ValidAccuracy);
    public string? Outcome => Metrics.TestAccuracy;

    public Evaluation Evaluate(TArch arch, Fidelity fidelity, TrialContext? context = null)
    {
        context ??= TrialContext.None;
        long parameters = space.Parameters(arch, task.VocabularySize, task.Classes);
        if (MaxParameters is { } max && parameters > max)
            return Evaluation.Failure($"{parameters:N0} parameters exceed the budget of {max:N0}");
        var recipe = Recipe with { Epochs = fidelity.Epochs ?? Recipe.Epochs };
        var result = DevSelectedRuns.TrainOnce(() => space.Build(arch, task.VocabularySize, task.Classes, seed),
            (model, onEpoch) => SentenceClassifierTraining.Train(model, task, recipe, seed, Device, onEpoch, context.Cancellation), context);
        return result.ToEvaluation(recipe.Epochs);
    }
}

/// <summary>
/// <c>textcls</c>: trains each sentence classifier for real, Kim's recipe (<see cref="SentenceClassifierRecipe"/>).
/// Arguments: data (trec or sst2), seed, batch, lr, max-params (a parameter budget: larger architectures fail untrained).
/// </summary>
public sealed class SentenceClassifierEvaluatorFactory : IEvaluatorFactory
{
    public string Name => "textcls";
    public string Description => "Trains each sentence classifier for real (Kim's CNN recipe: Adadelta, batch 50; --epochs): textcls:data=trec|sst2,seed=0,batch=50,lr=1,max-params=N.";
    public int Order => 21;

    public IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments a) where TArch : class, IArchitecture
    {
        if (space is not ISentenceClassifierSpace<TArch> classifiers) return null;
        var task = SentenceTask.Named(a.String("data", "trec"));
        var d = SentenceClassifierRecipe.Kim;
        var recipe = d with { BatchSize = a.Int("batch", d.BatchSize, 1), LearningRate = a.Double("lr", d.LearningRate, 1e-8, 100) };
        long? max = a.String("max-params") is null ? null : a.Int("max-params", 0, 1);
        return new SentenceClassifierEvaluator<TArch>(classifiers, task, recipe, a.Int("seed", 0), max);
    }
}
