using NasKit.Runtime;
using static TorchSharp.torch;

namespace NasKit.Estimation;

/// <summary>One epoch of a classifier trained on a training split, selected on a development split and tested on a test split.</summary>
public interface IClassifierEpoch
{
    int Epoch { get; }
    double TrainLoss { get; }
    double TrainAccuracy { get; }
    double DevAccuracy { get; }
    double TestAccuracy { get; }
}

/// <summary>A classifier's run that keeps its best-development epoch (keyword spotting, sentence classification). <see cref="Failure"/> is set when the loss diverged.</summary>
public interface IDevSelectedRun
{
    IReadOnlyList<IClassifierEpoch> Epochs { get; }
    double DevAccuracy { get; }
    double TestAccuracy { get; }
    double Seconds { get; }
    long Parameters { get; }
    string? Failure { get; }
}

/// <summary>What the trained-classifier evaluators share: one training per trial in its own dispose scope, and one metric vocabulary for the result.</summary>
public static class DevSelectedRuns
{
    /// <summary>
    /// Builds a model, trains it and frees it (native memory included) whatever happens: the evaluator's body. Each
    /// epoch's development accuracy and training loss go to <paramref name="context"/> (stopping rules, progress).
    /// </summary>
    public static TRun TrainOnce<TModel, TRun>(Func<TModel> build, Func<TModel, Func<IClassifierEpoch, bool>, TRun> train, TrialContext context)
        where TModel : IDisposable
    {
        using var scope = NewDisposeScope();
        var model = build();
        try
        {
            return train(model, e => context.Report(e.Epoch, new Dictionary<string, double> { [Metrics.ValidAccuracy] = e.DevAccuracy, [Metrics.TrainLoss] = e.TrainLoss }));
        }
        finally
        {
            model.Dispose();
            NativeHeap.ReleaseFreedMemory();
        }
    }

    /// <summary>
    /// The evaluation: signal <c>valid_acc</c> (the best development accuracy), outcome that epoch's <c>test_acc</c>, the
    /// last epoch's <c>train_loss</c> and <c>train_acc</c>, <c>params_m</c>, <c>wall_seconds</c>, the development curve, and
    /// where a stopping rule ended the run before <paramref name="plannedEpochs"/>; <paramref name="costs"/> adds what the
    /// evaluator measured itself (FLOPs, latency).
    /// </summary>
    public static Evaluation ToEvaluation(this IDevSelectedRun run, int plannedEpochs, IEnumerable<KeyValuePair<string, double>>? costs = null)
    {
        if (run.Failure is { } reason) return Evaluation.Failure(reason, run.Seconds);
        var last = run.Epochs[^1];
        var metrics = new Dictionary<string, double>
        {
            [Metrics.ValidAccuracy] = run.DevAccuracy,
            [Metrics.TestAccuracy] = run.TestAccuracy,
            [Metrics.TrainLoss] = last.TrainLoss,
            [Metrics.TrainAccuracy] = last.TrainAccuracy,
            [Metrics.Parameters] = run.Parameters / 1e6,
            [Metrics.WallSeconds] = run.Seconds,
        };
        foreach (var (metric, value) in costs ?? []) metrics[metric] = value;
        return new Evaluation(metrics, run.Seconds)
        {
            Curves = new Dictionary<string, IReadOnlyList<double>> { [Metrics.ValidAccuracy] = run.Epochs.Select(e => e.DevAccuracy).ToArray() },
            StoppedAt = run.Epochs.Count < plannedEpochs ? run.Epochs.Count : null,
        };
    }
}
