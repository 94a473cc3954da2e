using NasKit.Data;
using NasKit.Hardware;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Estimation;

/// <summary>
/// Trains a keyword-spotting space's network on a <see cref="SpokenDigitTask"/> (<see cref="KeywordSpottingTraining"/>).
/// The signal is the best development accuracy (<c>valid_acc</c>), the outcome that epoch's test accuracy
/// (<c>test_acc</c>); also <c>params_m</c>, <c>flops_m</c> (multiply-accumulates), <c>cpu_latency</c> (median
/// batch-1 inference in ms on this machine, measured before training; <c>cuda_latency</c> on a GPU), <c>train_loss</c>, <c>wall_seconds</c>. An
/// architecture over <see cref="MaxParameters"/> or <see cref="MaxLatencyMs"/> fails at once without training (a
/// device budget every strategy respects: a failed trial is never the best).
/// </summary>
public sealed class KeywordSpottingEvaluator<TArch>(IAudioClassifierSpace<TArch> space, SpokenDigitTask task, KeywordSpottingRecipe recipe, int seed,
                                                     long? maxParameters = null, double? maxLatencyMs = null, Device? device = null) : IEvaluator<TArch>, ISignalEvaluator, IAdmission<TArch>
    where TArch : class, IArchitecture
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TArch, double> _latency = new();

    public const int LatencyRepeats = 30;

    public KeywordSpottingRecipe Recipe { get; } = recipe.Validated();
    public long? MaxParameters { get; } = maxParameters;
    public double? MaxLatencyMs { get; } = maxLatencyMs;
    public Device Device { get; } = device ?? TorchRuntime.DefaultDevice;
    public Objective Signal { get; } = Objective.Max(Metrics.ValidAccuracy);
    public string? Outcome => Metrics.TestAccuracy;
    public FeatureMapShape Input => new(task.Settings.Frames, task.Settings.FeaturesPerFrame);

    /// <summary>Refuses over the parameter budget (analytic) or the latency budget (measured once per architecture, batch 1, median of <see cref="LatencyRepeats"/>).</summary>
    public string? Refusal(TArch arch)
    {
        long parameters = space.Parameters(arch, Input, task.Classes);
        if (MaxParameters is { } max && parameters > max) return $"{parameters:N0} parameters exceed the budget of {max:N0}";
        double latency = _latency.GetOrAdd(arch, a =>
        {
            using var scope = NewDisposeScope();
            using var model = space.Build(a, Input, task.Classes, seed);
            return AudioClassifierCosts.LatencyMs(model, Input, LatencyRepeats, Device);
        });
        return MaxLatencyMs is { } cap && latency > cap ? $"a measured latency of {latency:0.###} ms exceeds the budget of {cap:0.###} ms" : null;
    }

    public Evaluation Evaluate(TArch arch, Fidelity fidelity, TrialContext? context = null)
    {
        context ??= TrialContext.None;
        if (Refusal(arch) is { } refused) return Evaluation.Failure(refused);
        double latency = _latency[arch];
        var recipe = Recipe with { Epochs = fidelity.Epochs ?? Recipe.Epochs };
        var result = DevSelectedRuns.TrainOnce(() => space.Build(arch, Input, task.Classes, seed),
            (model, onEpoch) => KeywordSpottingTraining.Train(model, task, recipe, seed, Device, onEpoch, context.Cancellation), context);
        return result.ToEvaluation(recipe.Epochs, new Dictionary<string, double>
        {
            [Metrics.Flops] = space.MultiplyAccumulates(arch, Input, task.Classes) / 1e6,
            [Metrics.LatencyOn(Device.type)] = latency,
        });
    }
}

/// <summary>
/// <c>kws</c>: trains each keyword spotter for real on FSDD, Hello Edge's recipe (<see cref="KeywordSpottingRecipe"/>).
/// Arguments: split (official, speaker:NAME, or speaker:TEST/DEV to select on a second unseen speaker), features (mfcc or logmel), seed, batch, max-params, max-latency (ms).
/// </summary>
public sealed class KeywordSpottingEvaluatorFactory : IEvaluatorFactory
{
    public string Name => "kws";
    public string Description => "Trains each keyword spotter for real on FSDD spoken digits (Hello Edge's recipe: Adam, batch 100, augmentation; --epochs): " +
                                 "kws:split=official|speaker:NAME|speaker:TEST/DEV,features=mfcc|logmel,seed=0,batch=100,max-params=N,max-latency=MS.";
    public int Order => 22;

    public IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments a) where TArch : class, IArchitecture
    {
        if (space is not IAudioClassifierSpace<TArch> audio) return null;
        var settings = AudioFeatureSettings.HelloEdge with { Kind = ParseKind(a.String("features", "mfcc")!) };
        var task = SpokenDigitTasks.Load(SpokenDigitSplit.Parse(a.String("split", "official")!), settings);
        var recipe = KeywordSpottingRecipe.HelloEdge with { BatchSize = a.Int("batch", KeywordSpottingRecipe.HelloEdge.BatchSize, 1) };
        long? maxParams = a.String("max-params") is null ? null : a.Int("max-params", 0, 1);
        double? maxLatency = a.String("max-latency") is null ? null : a.Double("max-latency", 0, 1e-6, 1e6);
        return new KeywordSpottingEvaluator<TArch>(audio, task, recipe, a.Int("seed", 0), maxParams, maxLatency);
    }

    public static AudioFeatureKind ParseKind(string text) => text.Trim().ToLowerInvariant() switch
    {
        "mfcc" => AudioFeatureKind.Mfcc,
        "logmel" => AudioFeatureKind.LogMel,
        _ => throw new ArgumentException($"Unknown features '{text}': use mfcc or logmel."),
    };
}
