using NasKit.Data;
using NasKit.Estimation;
using NasKit.Runtime;
using NasKit.Spaces;
using NasKit.Strategies;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.MultimodalFusion;

/// <summary>The hidden features of the frozen unimodal networks (image ⧺ audio) for every set a fusion network meets.</summary>
public sealed record FusionFeatures(LabelledTensors Train, LabelledTensors Dev, LabelledTensors Test, LabelledTensors TestImageNoise, LabelledTensors TestAudioNoise);

/// <summary>
/// Trains a fusion architecture on stored hidden features (<see cref="ClassifierTraining"/>). Signal: development
/// accuracy (<c>valid_acc</c>); outcome: test accuracy at the best development epoch (<c>test_acc</c>); also the test
/// accuracy with the image or the audio replaced by noise (<c>image_noise_acc</c>, <c>audio_noise_acc</c>) and the
/// fusion network's parameters.
/// </summary>
public sealed class FusionEvaluator(FusionSpace space, FusionFeatures features, ClassifierRecipe recipe, int seed, Device? device = null) : IEvaluator<Choices>, ISignalEvaluator
{
    public const string ImageNoiseAccuracy = "image_noise_acc", AudioNoiseAccuracy = "audio_noise_acc";

    public Objective Signal { get; } = Objective.Max(Metrics.ValidAccuracy);
    public string? Outcome => Metrics.TestAccuracy;
    public Device Device { get; } = device ?? TorchRuntime.DefaultDevice;

    public Evaluation Evaluate(Choices arch, Fidelity fidelity, TrialContext? context = null)
    {
        using var scope = NewDisposeScope();
        using var model = new FusionNetwork(space.Layers(arch), HandwrittenDigits.Classes, seed);
        var run = ClassifierTraining.Train(model, features.Train, features.Dev, recipe with { Epochs = fidelity.Epochs ?? recipe.Epochs }, seed, Device,
            (context ?? TrialContext.None).Cancellation);
        if (run.Failure is { } reason) return Evaluation.Failure(reason, run.Seconds);
        double Acc(LabelledTensors d) => ClassifierTraining.Accuracy(model, d, recipe.EvalBatchSize, Device);
        return new Evaluation(new Dictionary<string, double>
        {
            [Metrics.ValidAccuracy] = run.DevAccuracy, [Metrics.TestAccuracy] = Acc(features.Test),
            [ImageNoiseAccuracy] = Acc(features.TestImageNoise), [AudioNoiseAccuracy] = Acc(features.TestAudioNoise),
            [Metrics.Parameters] = space.Parameters(arch, HandwrittenDigits.Classes) / 1e6, [Metrics.WallSeconds] = run.Seconds,
        }, run.Seconds) { Curves = new Dictionary<string, IReadOnlyList<double>> { [Metrics.ValidAccuracy] = run.DevCurve } };
    }
}

/// <summary>One model of the comparison on one seed: test accuracy clean and with either modality replaced by noise.</summary>
public sealed record FusionComparisonRow(int Seed, string Model, double TestAccuracy, double ImageNoiseAccuracy, double AudioNoiseAccuracy, long Parameters, string Architecture = "");

/// <summary>Sizes of the comparison: epochs of the unimodal and fusion networks, and the fusion search's budget.</summary>
public sealed record FusionStudySettings(int UnimodalEpochs = 15, int FusionEpochs = 30, int Queries = 30, int Population = 10, int SampleSize = 3, int NoiseSeed = 12345);

/// <summary>
/// The five-way comparison of the multi-modal chapter on one seed: image only, audio only, early fusion (both inputs
/// concatenated into one network), late fusion (the unimodal networks' class probabilities averaged) and the fusion
/// architecture regularized evolution finds in <see cref="FusionSpace"/> over the frozen unimodal networks (MFAS's
/// protocol). Every model is also tested with the image or the audio replaced by noise.
/// </summary>
public static class FusionStudy
{
    public const string ImageOnly = "image only", AudioOnly = "audio only", Early = "early fusion", Late = "late fusion", Searched = "searched fusion";

    public static IReadOnlyList<FusionComparisonRow> RunSeed(AudioVisualDigits task, int seed, FusionStudySettings settings, Action<string>? progress = null,
                                                             Device? device = null, CancellationToken cancellation = default)
    {
        device ??= TorchRuntime.DefaultDevice;
        using var scope = NewDisposeScope();
        var sets = Sets(task, settings.NoiseSeed);
        var recipe = new ClassifierRecipe(Epochs: settings.UnimodalEpochs);
        var rows = new List<FusionComparisonRow>();

        var (image, audio) = TrainBackbones(task, seed, settings.UnimodalEpochs, progress, device, cancellation);

        // Probabilities of the unimodal networks on the three test conditions (clean, image noise, audio noise).
        var imageP = sets.Skip(2).Select(s => ClassifierTraining.Probabilities(image, s.ImageTensor(), recipe.EvalBatchSize, device)).ToArray();
        var audioP = sets.Skip(2).Select(s => ClassifierTraining.Probabilities(audio, s.AudioTensor(), recipe.EvalBatchSize, device)).ToArray();
        var yTest = task.Test.LabelTensor();
        double Acc(Tensor p) => 100.0 * p.argmax(1).eq(yTest).sum().item<long>() / task.Test.Count;
        long Params(nn.Module m) => m.parameters().Sum(p => p.numel());
        rows.Add(new(seed, ImageOnly, Acc(imageP[0]), Acc(imageP[1]), Acc(imageP[2]), Params(image)));
        rows.Add(new(seed, AudioOnly, Acc(audioP[0]), Acc(audioP[1]), Acc(audioP[2]), Params(audio)));

        // Early fusion: standardised, flattened inputs side by side (the MFCCs span two orders of magnitude more than grey values).
        var flat = sets.Select(s => cat([s.ImageTensor().flatten(1), s.AudioTensor().flatten(1)], 1)).ToArray();
        var mean = flat[0].mean([0], keepdim: true);
        var std = flat[0].std([0], keepdim: true).clamp_min(1e-3);
        var early = new EarlyFusionNetwork((int)flat[0].shape[1], HandwrittenDigits.Classes, seed);
        var standard = flat.Select(f => f.sub(mean).div(std)).ToArray();
        Check(ClassifierTraining.Train(early, new(standard[0], sets[0].LabelTensor()), new(standard[1], sets[1].LabelTensor()), recipe with { Epochs = settings.FusionEpochs }, seed, device, cancellation), Early);
        var earlyAcc = standard.Skip(2).Select(x => ClassifierTraining.Accuracy(early, new(x, yTest), recipe.EvalBatchSize, device)).ToArray();
        rows.Add(new(seed, Early, earlyAcc[0], earlyAcc[1], earlyAcc[2], Params(early)));
        rows.Add(new(seed, Late, Acc(imageP[0].add(audioP[0])), Acc(imageP[1].add(audioP[1])), Acc(imageP[2].add(audioP[2])), Params(image) + Params(audio)));
        progress?.Invoke($"seed {seed}: early and late fusion, test {earlyAcc[0]:0.0}% and {rows[^1].TestAccuracy:0.0}%");

        // MFAS: search fusion architectures over the frozen networks' hidden features.
        var fusionFeatures = HiddenFeatures(image, audio, sets, recipe.EvalBatchSize, device);
        var space = new FusionSpace();
        var evaluator = new FusionEvaluator(space, fusionFeatures, recipe with { Epochs = settings.FusionEpochs }, seed, device);
        var rea = new RegularizedEvolution<Choices>(space, evaluator.Signal, seed, settings.Population, settings.SampleSize);
        (Choices Arch, Evaluation Result)? best = null;
        for (int q = 0; q < settings.Queries; q++)
        {
            var proposal = rea.Ask() ?? throw new InvalidOperationException("Regularized evolution stopped proposing before the budget ended.");
            var result = evaluator.Evaluate(proposal.Architecture, new Fidelity(Epochs: settings.FusionEpochs), cancellation);
            rea.Tell(proposal, result);
            if (!result.Failed && (best is null || result[Metrics.ValidAccuracy] > best.Value.Result[Metrics.ValidAccuracy])) best = (proposal.Architecture, result);
        }
        if (best is null) throw new InvalidOperationException($"seed {seed}: every fusion architecture failed to train.");
        var (arch, r) = best.Value;
        rows.Add(new(seed, Searched, r[Metrics.TestAccuracy], r[FusionEvaluator.ImageNoiseAccuracy], r[FusionEvaluator.AudioNoiseAccuracy],
            Params(image) + Params(audio) + space.Parameters(arch, HandwrittenDigits.Classes), arch.ToText()));
        progress?.Invoke($"seed {seed}: searched fusion, development {r[Metrics.ValidAccuracy]:0.0}%, test {r[Metrics.TestAccuracy]:0.0}%: {arch.ToText()}");
        image.Dispose();
        audio.Dispose();
        early.Dispose();
        return rows;
    }

    /// <summary>The image and the audio network of one seed, each trained alone and kept at its best development epoch.</summary>
    public static (UnimodalNetwork Image, UnimodalNetwork Audio) TrainBackbones(AudioVisualDigits task, int seed, int epochs, Action<string>? progress = null,
                                                                               Device? device = null, CancellationToken cancellation = default)
    {
        device ??= TorchRuntime.DefaultDevice;
        var recipe = new ClassifierRecipe(Epochs: epochs);
        // No dispose scope here: the networks are returned, and a scope would free their weights on the way out.
        using var yTrain = tensor(task.Train.Labels);
        using var yDev = tensor(task.Dev.Labels);
        var y = new[] { yTrain, yDev };
        var image = new UnimodalNetwork(HandwrittenDigits.Side, HandwrittenDigits.Side, 5, HandwrittenDigits.Classes, seed);
        ClassifierResult imageRun, audioRun;
        using (Tensor x = task.Train.ImageTensor(), d = task.Dev.ImageTensor())
            imageRun = Check(ClassifierTraining.Train(image, new(x, y[0]), new(d, y[1]), recipe, seed, device, cancellation), ImageOnly);
        progress?.Invoke($"seed {seed}: image network, development {imageRun.DevAccuracy:0.0}% ({imageRun.Seconds:0} s)");
        var audio = new UnimodalNetwork(task.Test.Frames, task.Test.FeaturesPerFrame, 3, HandwrittenDigits.Classes, seed);
        using (Tensor x = task.Train.AudioTensor(), d = task.Dev.AudioTensor())
            audioRun = Check(ClassifierTraining.Train(audio, new(x, y[0]), new(d, y[1]), recipe, seed, device, cancellation), AudioOnly);
        progress?.Invoke($"seed {seed}: audio network, development {audioRun.DevAccuracy:0.0}% ({audioRun.Seconds:0} s)");
        return (image, audio);
    }

    /// <summary>The five sets a fusion network meets: train, development, test, test with noise images, test with noise audio.</summary>
    public static AudioVisualSet[] Sets(AudioVisualDigits task, int noiseSeed)
    {
        var (noiseImages, noiseAudio) = AudioVisualDigits.Noise(task.Test, AudioFeatureSettings.HelloEdge, noiseSeed);
        return [task.Train, task.Dev, task.Test, task.Test.With(images: noiseImages), task.Test.With(audio: noiseAudio)];
    }

    /// <summary>The frozen networks' hidden features, image then audio, for train, development, test and the two corrupted test sets.</summary>
    public static FusionFeatures HiddenFeatures(UnimodalNetwork image, UnimodalNetwork audio, IReadOnlyList<AudioVisualSet> sets, int batch, Device device)
    {
        LabelledTensors Of(AudioVisualSet s)
        {
            var parts = new List<Tensor>();
            image.eval();
            audio.eval();
            using (no_grad())
                for (int start = 0; start < s.Count; start += batch)
                {
                    using var scope = NewDisposeScope();
                    var rows = Enumerable.Range(start, Math.Min(batch, s.Count - start)).ToArray();
                    var (x, a, _) = s.Batch(rows, device);
                    parts.Add(cat([image.Hidden(x), audio.Hidden(a)], 1).cpu().MoveToOuterDisposeScope());
                }
            return new LabelledTensors(cat(parts, 0), tensor(s.Labels));
        }
        return new FusionFeatures(Of(sets[0]), Of(sets[1]), Of(sets[2]), Of(sets[3]), Of(sets[4]));
    }

    private static ClassifierResult Check(ClassifierResult run, string model) =>
        run.Failure is { } f ? throw new ArithmeticException($"{model}: {f}") : run;
}

/// <summary>
/// <c>fusion</c>: trains the seed's image and audio networks once (frozen from then on), then trains each fusion
/// architecture on their hidden features (--epochs: its epochs). Arguments: seed, unimodal-epochs, image-energy,
/// audio-snr (dB, or none).
/// </summary>
public sealed class FusionEvaluatorFactory : IEvaluatorFactory
{
    public string Name => "fusion";
    public string Description => "Trains each fusion architecture on the hidden features of frozen image and audio networks (MFAS; --epochs: fusion epochs): " +
                                 "fusion:seed=0,unimodal-epochs=15,image-energy=0.75,audio-snr=0|none.";
    public int Order => 23;

    public IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments a) where TArch : class, IArchitecture
    {
        if (space is not FusionSpace fusion) return null;
        var snrText = a.String("audio-snr", "0");
        double? snr = snrText == "none" ? null : a.Double("audio-snr", 0, -60, 100);
        var task = AudioVisualDigits.Load(new AudioVisualSettings(a.Double("image-energy", 0.75, 0, 0.999), snr));
        int seed = a.Int("seed", 0);
        var (image, audio) = FusionStudy.TrainBackbones(task, seed, a.Int("unimodal-epochs", 15, 1));
        var features = FusionStudy.HiddenFeatures(image, audio, FusionStudy.Sets(task, new FusionStudySettings().NoiseSeed), 1000, TorchRuntime.DefaultDevice);
        image.Dispose();
        audio.Dispose();
        return (IEvaluator<TArch>)(object)new FusionEvaluator(fusion, features, new ClassifierRecipe(Epochs: 30), seed);
    }
}
