using NasKit.Analysis;
using NasKit.Networks;
using NasKit.Spaces;

namespace NasKit.Hardware;

/// <summary>An audio classifier with its accuracy and its device costs: analytic parameters and multiply-accumulates, measured batch-1 latency.</summary>
public sealed record CostedClassifier<TArch>(TArch Architecture, double Accuracy, long Parameters, long MultiplyAccumulates, double LatencyMs)
    where TArch : class, IArchitecture;

/// <summary>
/// Device costs of audio classifiers and their Pareto front of accuracy (maximised) against parameters and measured
/// latency (minimised). Latencies of one comparison are measured in one process, one after another, so they share
/// the machine's state; each is the median of <see cref="Repeats"/> batch-1 forward passes.
/// </summary>
public static class AudioClassifierCosts
{
    public const int Repeats = 50;

    public static CostedClassifier<TArch> Measure<TArch>(IAudioClassifierSpace<TArch> space, TArch arch, double accuracy, FeatureMapShape input, int classes)
        where TArch : class, IArchitecture
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var model = space.Build(arch, input, classes, seed: 0);
        double latency = LatencyMs(model, input);
        return new CostedClassifier<TArch>(arch, accuracy, space.Parameters(arch, input, classes), space.MultiplyAccumulates(arch, input, classes), latency);
    }

    /// <summary>Batch-1 latency of a built audio classifier: the median of <paramref name="repeats"/> forward passes of one feature map, in ms.</summary>
    public static double LatencyMs(TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> model, FeatureMapShape input, int repeats = Repeats,
                                   TorchSharp.torch.Device? device = null) =>
        LatencyMeter.MeasureShape(model, [1, 1, input.Frames, input.Features], repeats: repeats, device: device).MedianMs;

    /// <summary>The non-dominated classifiers: no other is at least as accurate, as small and as fast, and better in one.</summary>
    public static IReadOnlyList<CostedClassifier<TArch>> Front<TArch>(IReadOnlyList<CostedClassifier<TArch>> classifiers) where TArch : class, IArchitecture =>
        Pareto.Front(classifiers.Select(c => (IReadOnlyList<double>)[-c.Accuracy, c.Parameters, c.LatencyMs]).ToArray())
            .Select(i => classifiers[i]).OrderBy(c => c.Parameters).ToArray();
}
