using System.Globalization;
using System.Text.RegularExpressions;
using NasKit.Benchmarks;
using NWaves.Audio;
using static TorchSharp.torch;

namespace NasKit.Data;

/// <summary>One recording of a spoken digit, at the corpus' sample rate.</summary>
public sealed record SpokenDigit(int Digit, string Speaker, int Index, float[] Samples)
{
    /// <summary>FSDD's name of the recording, <c>{digit}_{speaker}_{index}</c> (its file name without .wav).</summary>
    public string Name => $"{Digit}_{Speaker}_{Index}";
}

/// <summary>
/// The Free Spoken Digit Dataset (FSDD): <c>{digit}_{speaker}_{index}.wav</c>, 8 kHz mono, 6 speakers × 10 digits ×
/// 50 recordings. The official split tests on indices 0–4 of every digit and speaker (<see cref="SpokenDigitSplit"/>).
/// </summary>
public sealed partial class SpokenDigits
{
    public const int Classes = 10;

    public int SampleRate { get; }
    public IReadOnlyList<SpokenDigit> Recordings { get; }
    public IReadOnlyList<string> Speakers { get; }

    private SpokenDigits(int sampleRate, IReadOnlyList<SpokenDigit> recordings)
    {
        SampleRate = sampleRate;
        Recordings = recordings;
        Speakers = recordings.Select(r => r.Speaker).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>FSDD from the data locator (<c>fsdd/recordings</c>), read once per process.</summary>
    public static SpokenDigits Fsdd(DataLocator? locator = null) =>
        (locator ?? DataLocator.Default).LoadOnce(l => Read(l.Find("fsdd/recordings")), "fsdd");

    [GeneratedRegex(@"^([0-9])_([A-Za-z]+)_([0-9]+)\.wav$")]
    private static partial Regex FileName();

    /// <summary>Reads every <c>.wav</c> of a directory named as FSDD names its files, resampled to <paramref name="sampleRate"/> where a file differs.</summary>
    public static SpokenDigits Read(string directory, int sampleRate = 8000)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: no such directory of recordings.");
        var files = Directory.GetFiles(directory, "*.wav").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new InvalidDataException($"{directory}: no .wav recordings.");
        var recordings = new List<SpokenDigit>(files.Length);
        foreach (var path in files)
        {
            var m = FileName().Match(Path.GetFileName(path));
            if (!m.Success) throw new InvalidDataException($"{path}: not named digit_speaker_index.wav as FSDD names its recordings.");
            WaveFile wave;
            try
            {
                using var stream = File.OpenRead(path);
                wave = new WaveFile(stream);
            }
            catch (Exception e) when (e is not (FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException))
            {
                throw new InvalidDataException($"{path}: not a readable PCM WAV file ({e.Message}).");
            }
            var signal = wave[Channels.Left];
            if (signal.Length == 0) throw new InvalidDataException($"{path}: the recording is empty.");
            if (signal.Samples.Any(s => !float.IsFinite(s))) throw new InvalidDataException($"{path}: the recording has non-finite samples.");
            recordings.Add(new SpokenDigit(m.Groups[1].Value[0] - '0', m.Groups[2].Value, int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
                AudioFeatures.Resample(signal.Samples, signal.SamplingRate, sampleRate)));
        }
        var missing = Enumerable.Range(0, Classes).Except(recordings.Select(r => r.Digit)).ToArray();
        if (missing.Length > 0) throw new InvalidDataException($"{directory}: no recordings of digit(s) {string.Join(", ", missing)}.");
        return new SpokenDigits(sampleRate, recordings);
    }
}

/// <summary>
/// Which recordings train, select and test. The official FSDD split tests on indices 0–4; indices 5–9 are the
/// development set (model selection, the search signal) and 10–49 train. With <see cref="HeldOutSpeaker"/> the
/// held-out speaker's recordings are removed from training and development, and the test set is that speaker's
/// indices 0–4: the same test recordings as the official split's for that speaker, so the gap is speaker
/// independence alone. With <see cref="DevSpeaker"/> as well (<c>speaker:TEST/DEV</c>), a second speaker is held
/// out too and all 500 of its recordings are the development set, so selection rewards what the test measures (a
/// voice never heard) rather than the seen speakers' recordings 5–9, on which networks tie near 100%; the other four
/// speakers' recordings 5–49 train.
/// </summary>
public sealed record SpokenDigitSplit(string? HeldOutSpeaker = null, string? DevSpeaker = null)
{
    public const int TestIndices = 5, DevIndices = 5;

    public static SpokenDigitSplit Official { get; } = new();

    public static SpokenDigitSplit Parse(string text)
    {
        if (text == "official") return Official;
        if (!text.StartsWith("speaker:", StringComparison.Ordinal) || text.Length == 8)
            throw new ArgumentException($"Unknown split '{text}': use official, speaker:NAME (a speaker held out of training) or speaker:TEST/DEV (two held out: one tests, one selects).");
        var names = text[8..].Split('/');
        if (names.Length > 2 || names.Any(n => n.Length == 0))
            throw new ArgumentException($"Split '{text}': write speaker:NAME or speaker:TEST/DEV with two speaker names.");
        if (names.Length == 2 && names[0] == names[1])
            throw new ArgumentException($"Split '{text}': the test and development speakers must differ.");
        return new SpokenDigitSplit(names[0], names.Length == 2 ? names[1] : null);
    }

    public override string ToString() => HeldOutSpeaker is null ? "official" : $"speaker:{HeldOutSpeaker}" + (DevSpeaker is null ? "" : $"/{DevSpeaker}");

    public (int[] Train, int[] Dev, int[] Test) Indices(SpokenDigits corpus)
    {
        foreach (var name in new[] { HeldOutSpeaker, DevSpeaker })
            if (name is not null && !corpus.Speakers.Contains(name))
                throw new ArgumentException($"No speaker '{name}' in the corpus; speakers: {string.Join(", ", corpus.Speakers)}.");
        if (DevSpeaker is not null && HeldOutSpeaker is null) throw new ArgumentException("A development speaker needs a test speaker: speaker:TEST/DEV.");
        var r = corpus.Recordings;
        var all = Enumerable.Range(0, r.Count);
        bool Seen(int i) => (HeldOutSpeaker is null || r[i].Speaker != HeldOutSpeaker) && (DevSpeaker is null || r[i].Speaker != DevSpeaker);
        var test = all.Where(i => r[i].Index < TestIndices && (HeldOutSpeaker is null || r[i].Speaker == HeldOutSpeaker)).ToArray();
        if (DevSpeaker is not null)
            return (all.Where(i => Seen(i) && r[i].Index >= TestIndices).ToArray(), all.Where(i => r[i].Speaker == DevSpeaker).ToArray(), test);
        var dev = all.Where(i => Seen(i) && r[i].Index >= TestIndices && r[i].Index < TestIndices + DevIndices).ToArray();
        var train = all.Where(i => Seen(i) && r[i].Index >= TestIndices + DevIndices).ToArray();
        return (train, dev, test);
    }
}

/// <summary>Feature maps of a set of clips, [count, 1, frames, features] on the CPU, with labels and speakers.</summary>
public sealed record FeatureSet(float[] Features, long[] Labels, string[] Speakers, int Frames, int FeaturesPerFrame)
{
    public int Count => Labels.Length;

    public (Tensor X, Tensor Y) Batch(ReadOnlySpan<int> rows, Device device)
    {
        int size = Frames * FeaturesPerFrame;
        var x = new float[rows.Length * size];
        var y = new long[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            Features.AsSpan(rows[k] * size, size).CopyTo(x.AsSpan(k * size));
            y[k] = Labels[rows[k]];
        }
        return (tensor(x, [rows.Length, 1, Frames, FeaturesPerFrame]).to(device), tensor(y).to(device));
    }
}

/// <summary>
/// A keyword-spotting task: a corpus, a split and the feature settings. Development and test features are computed
/// once; training features are computed per epoch from the augmented clips (<see cref="TrainFeatures"/>).
/// </summary>
public sealed class SpokenDigitTask
{
    private readonly float[][] _trainClips;
    private readonly FeatureSet _trainClean;

    public SpokenDigitSplit Split { get; }
    public AudioFeatureSettings Settings { get; }
    public FeatureSet Dev { get; }
    public FeatureSet Test { get; }
    public int TrainCount => _trainClips.Length;
    public int Classes => SpokenDigits.Classes;

    public SpokenDigitTask(SpokenDigits corpus, SpokenDigitSplit split, AudioFeatureSettings settings)
    {
        if (corpus.SampleRate != settings.SampleRate) throw new ArgumentException($"The corpus is at {corpus.SampleRate} Hz but the features expect {settings.SampleRate} Hz.");
        (Split, Settings) = (split, settings.Validated());
        var (train, dev, test) = split.Indices(corpus);
        float[] Clip(int i) => AudioFeatures.FixLength(corpus.Recordings[i].Samples, settings.ClipSamples);
        _trainClips = train.Select(Clip).ToArray();
        var trainLabels = train.Select(i => (long)corpus.Recordings[i].Digit).ToArray();
        var trainSpeakers = train.Select(i => corpus.Recordings[i].Speaker).ToArray();
        _trainClean = Features(_trainClips, trainLabels, trainSpeakers);
        (_mean, _std) = Statistics(_trainClean);
        _trainClean = _trainClean with { Features = Normalise(_trainClean.Features) };
        Dev = Features(dev.Select(Clip).ToArray(), dev.Select(i => (long)corpus.Recordings[i].Digit).ToArray(), dev.Select(i => corpus.Recordings[i].Speaker).ToArray());
        Test = Features(test.Select(Clip).ToArray(), test.Select(i => (long)corpus.Recordings[i].Digit).ToArray(), test.Select(i => corpus.Recordings[i].Speaker).ToArray());
    }

    /// <summary>
    /// The training set's features for one epoch of a seed's run, augmented from a generator of (seed, epoch) alone,
    /// so every architecture trained with that seed sees the same clips. The last <see cref="CachedEpochs"/> epochs'
    /// features are kept: a search trains many networks on the same epochs, and features cost as much as a small
    /// network's training step.
    /// </summary>
    public FeatureSet TrainFeatures(AudioAugmentation augmentation, int seed, int epoch)
    {
        if (augmentation.ShiftSeconds == 0 && augmentation.NoiseProbability == 0) return _trainClean;
        var key = (augmentation, seed, epoch);
        lock (_cache)
            if (_cache.TryGetValue(key, out var cached)) return cached;
        var random = new Random(unchecked(seed * 1_000_003 + epoch * 7919 + 17)); // a fixed formula: HashCode is randomised per process
        var clips = _trainClips.Select(c => augmentation.Apply(c, Settings.SampleRate, random)).ToArray();
        var features = Features(clips, _trainClean.Labels, _trainClean.Speakers);
        lock (_cache)
        {
            if (_cache.Count >= CachedEpochs) _cache.Remove(_cacheOrder.Dequeue());
            if (_cache.TryAdd(key, features)) _cacheOrder.Enqueue(key);
        }
        return features;
    }

    public const int CachedEpochs = 32;
    private readonly Dictionary<(AudioAugmentation, int, int), FeatureSet> _cache = new();
    private readonly Queue<(AudioAugmentation, int, int)> _cacheOrder = new();

    // Every feature is standardised with the clean training set's mean and deviation per coefficient (global
    // cepstral mean and variance normalisation): the raw c0 of MFCCs runs from -87 (silence) to 0, which leaves batch
    // norm's running averages far behind the weights in the first epochs.
    private float[]? _mean, _std;

    /// <summary>Per-coefficient mean and standard deviation of the clean training features, applied to every set.</summary>
    public (IReadOnlyList<float> Mean, IReadOnlyList<float> Std) Normalisation => (_mean!, _std!);

    private (float[], float[]) Statistics(FeatureSet set)
    {
        int f = Settings.FeaturesPerFrame;
        var sum = new double[f];
        var squares = new double[f];
        for (int i = 0; i < set.Features.Length; i++) { sum[i % f] += set.Features[i]; squares[i % f] += (double)set.Features[i] * set.Features[i]; }
        long n = set.Features.Length / f;
        var mean = sum.Select(v => (float)(v / n)).ToArray();
        var std = squares.Select((v, j) => (float)Math.Sqrt(Math.Max(v / n - (double)mean[j] * mean[j], 1e-12))).ToArray();
        return (mean, std);
    }

    private float[] Normalise(float[] features)
    {
        int f = Settings.FeaturesPerFrame;
        var result = new float[features.Length];
        for (int i = 0; i < features.Length; i++) result[i] = (features[i] - _mean![i % f]) / _std![i % f];
        return result;
    }

    private FeatureSet Features(float[][] clips, long[] labels, string[] speakers)
    {
        int size = Settings.Frames * Settings.FeaturesPerFrame;
        var all = new float[clips.Length * size];
        // One extractor per worker (each owns its buffers): features are a large part of an epoch.
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, 4));
        Parallel.For(0, workers, w =>
        {
            var extractor = new AudioFeatures(Settings);
            for (int i = w; i < clips.Length; i += workers) extractor.Compute(clips[i]).CopyTo(all.AsSpan(i * size));
        });
        return new FeatureSet(_mean is null ? all : Normalise(all), labels, speakers, Settings.Frames, Settings.FeaturesPerFrame);
    }
}

/// <summary>
/// FSDD tasks cached per split and feature settings: a search evaluates many architectures on one task. The two
/// most recently used are kept (each holds its clips and up to <see cref="SpokenDigitTask.CachedEpochs"/> epochs of
/// features, about 150 MB), so a loop over held-out speakers does not grow without bound.
/// </summary>
public static class SpokenDigitTasks
{
    public const int Kept = 2;
    private static readonly List<((string, AudioFeatureSettings) Key, Lazy<SpokenDigitTask> Task)> Cache = [];

    public static SpokenDigitTask Load(SpokenDigitSplit split, AudioFeatureSettings settings)
    {
        var key = (split.ToString(), settings);
        Lazy<SpokenDigitTask> task;
        lock (Cache)
        {
            int i = Cache.FindIndex(e => e.Key == key);
            task = i >= 0 ? Cache[i].Task : new Lazy<SpokenDigitTask>(() => new SpokenDigitTask(SpokenDigits.Fsdd(), split, settings));
            if (i >= 0) Cache.RemoveAt(i);
            Cache.Add((key, task));
            if (Cache.Count > Kept) Cache.RemoveAt(0);
        }
        return task.Value;
    }
}
