using NWaves.FeatureExtractors;
using NWaves.FeatureExtractors.Base;
using NWaves.FeatureExtractors.Options;
using NWaves.Filters.Fda;
using NWaves.Operations;
using NWaves.Signals;
using NWaves.Windows;

namespace NasKit.Data;

public enum AudioFeatureKind { Mfcc, LogMel }

/// <summary>
/// How a clip becomes a feature map, in the manner of Hello Edge (Zhang et al. 2017): the clip is padded or cropped
/// to <see cref="ClipSeconds"/> around its centre, cut into Hann-windowed frames of <see cref="FrameSeconds"/> every
/// <see cref="HopSeconds"/>, zero-padded to <see cref="FftSize"/>; the power spectrum |X|² goes through
/// <see cref="MelBands"/> triangular filters spaced evenly on the mel scale (1127 ln(1 + f/700)) between
/// <see cref="LowHz"/> and <see cref="HighHz"/>, then the natural log (floored at <see cref="LogFloor"/>). MFCCs are
/// the first <see cref="Coefficients"/> of the orthonormal DCT-II of that log-mel vector, without liftering. At 8 kHz
/// the defaults give 49 frames of 10 MFCCs, Hello Edge's 49×10 input.
/// </summary>
public sealed record AudioFeatureSettings(AudioFeatureKind Kind = AudioFeatureKind.Mfcc, int SampleRate = 8000, double ClipSeconds = 1.0,
    double FrameSeconds = 0.040, double HopSeconds = 0.020, int FftSize = 512, int MelBands = 40, double LowHz = 20, double HighHz = 4000,
    int Coefficients = 10, float LogFloor = 1e-6f)
{
    public static AudioFeatureSettings HelloEdge { get; } = new();

    public int ClipSamples => (int)Math.Round(SampleRate * ClipSeconds);
    public int FrameSamples => (int)Math.Round(SampleRate * FrameSeconds);
    public int HopSamples => (int)Math.Round(SampleRate * HopSeconds);
    /// <summary>Frames per clip: 1 + ⌊(clip − frame) / hop⌋.</summary>
    public int Frames => 1 + (ClipSamples - FrameSamples) / HopSamples;
    /// <summary>Features per frame: the MFCCs or the mel bands.</summary>
    public int FeaturesPerFrame => Kind == AudioFeatureKind.Mfcc ? Coefficients : MelBands;

    public AudioFeatureSettings Validated()
    {
        if (SampleRate < 1000) throw new ArgumentException($"The sample rate must be at least 1000 Hz, got {SampleRate}.");
        if (!(ClipSeconds > 0) || !(FrameSeconds > 0) || !(HopSeconds > 0)) throw new ArgumentException("Clip, frame and hop durations must be positive.");
        if (FrameSamples > ClipSamples) throw new ArgumentException($"A frame ({FrameSamples} samples) is longer than the clip ({ClipSamples}).");
        if (FftSize < FrameSamples || (FftSize & (FftSize - 1)) != 0) throw new ArgumentException($"The FFT size must be a power of two of at least the frame ({FrameSamples} samples), got {FftSize}.");
        if (!(LowHz >= 0) || !(HighHz > LowHz) || HighHz > SampleRate / 2.0) throw new ArgumentException($"The mel range must satisfy 0 <= low < high <= {SampleRate / 2} Hz, got {LowHz}-{HighHz}.");
        if (MelBands < 2 || Coefficients < 1 || Coefficients > MelBands) throw new ArgumentException($"Need at least 2 mel bands and 1 to {MelBands} coefficients, got {MelBands} and {Coefficients}.");
        if (!(LogFloor > 0)) throw new ArgumentException($"The log floor must be positive, got {LogFloor}.");
        return this;
    }
}

/// <summary>
/// Audio features computed with NWaves (<see cref="AudioFeatureSettings"/>). One instance holds its extractor's
/// buffers, so calls on it are serialised; make one per thread for parallel work.
/// </summary>
public sealed class AudioFeatures
{
    private readonly FeatureExtractor _extractor;
    private readonly Lock _gate = new();

    public AudioFeatureSettings Settings { get; }

    public AudioFeatures(AudioFeatureSettings settings)
    {
        Settings = settings.Validated();
        var bank = FilterBanks.Triangular(settings.FftSize, settings.SampleRate,
            FilterBanks.MelBands(settings.MelBands, settings.SampleRate, settings.LowHz, settings.HighHz, overlap: true), null, null);
        _extractor = settings.Kind == AudioFeatureKind.Mfcc
            ? new MfccExtractor(new MfccOptions
            {
                SamplingRate = settings.SampleRate, FeatureCount = settings.Coefficients, FrameSize = settings.FrameSamples, HopSize = settings.HopSamples,
                FftSize = settings.FftSize, FilterBank = bank, NonLinearity = NonLinearityType.LogE, SpectrumType = SpectrumType.Power,
                Window = WindowType.Hann, LogFloor = settings.LogFloor, DctType = "2N", LifterSize = 0,
            })
            : new FilterbankExtractor(new FilterbankOptions
            {
                SamplingRate = settings.SampleRate, FrameSize = settings.FrameSamples, HopSize = settings.HopSamples, FftSize = settings.FftSize,
                FilterBank = bank, NonLinearity = NonLinearityType.LogE, SpectrumType = SpectrumType.Power, Window = WindowType.Hann, LogFloor = settings.LogFloor,
            });
    }

    /// <summary>The feature map of a clip already at the settings' rate and length: [frames × features] row-major.</summary>
    public float[] Compute(float[] clip)
    {
        if (clip.Length != Settings.ClipSamples) throw new ArgumentException($"A clip must have {Settings.ClipSamples} samples (use FixLength), got {clip.Length}.");
        List<float[]> frames;
        lock (_gate) frames = _extractor.ComputeFrom(clip);
        if (frames.Count != Settings.Frames) throw new InvalidOperationException($"NWaves returned {frames.Count} frames where {Settings.Frames} were expected.");
        var map = new float[Settings.Frames * Settings.FeaturesPerFrame];
        for (int t = 0; t < frames.Count; t++) frames[t].AsSpan(0, Settings.FeaturesPerFrame).CopyTo(map.AsSpan(t * Settings.FeaturesPerFrame));
        return map;
    }

    /// <summary>Pads with zeros or crops to <paramref name="length"/> samples, keeping the centre (recordings are trimmed to the word).</summary>
    public static float[] FixLength(ReadOnlySpan<float> samples, int length)
    {
        var clip = new float[length];
        if (samples.Length >= length) samples.Slice((samples.Length - length) / 2, length).CopyTo(clip);
        else samples.CopyTo(clip.AsSpan((length - samples.Length) / 2));
        return clip;
    }

    /// <summary>Resamples to <paramref name="rate"/> Hz with NWaves' band-limited resampler (a copy when the rate already matches).</summary>
    public static float[] Resample(float[] samples, int fromRate, int rate)
    {
        if (fromRate == rate) return (float[])samples.Clone();
        if (fromRate < 1 || rate < 1) throw new ArgumentException($"Sample rates must be positive, got {fromRate} and {rate}.");
        return new Resampler().Resample(new DiscreteSignal(fromRate, samples), rate).Samples;
    }
}

/// <summary>
/// Seeded augmentation of a fixed-length clip (Hello Edge trains with time shifts and added noise): a shift of up to
/// <see cref="ShiftSeconds"/> either way (zero-filled), then, with probability <see cref="NoiseProbability"/>, white
/// Gaussian noise at a signal-to-noise ratio drawn uniformly from [<see cref="MinSnrDb"/>, <see cref="MaxSnrDb"/>] dB.
/// </summary>
public sealed record AudioAugmentation(double ShiftSeconds = 0.1, double NoiseProbability = 0.5, double MinSnrDb = 10, double MaxSnrDb = 30)
{
    public static AudioAugmentation None { get; } = new(0, 0);

    public AudioAugmentation Validated()
    {
        if (!(ShiftSeconds >= 0)) throw new ArgumentException($"The shift must be 0 or more seconds, got {ShiftSeconds}.");
        if (NoiseProbability is < 0 or > 1 || double.IsNaN(NoiseProbability)) throw new ArgumentException($"The noise probability must lie in [0, 1], got {NoiseProbability}.");
        if (!(MaxSnrDb >= MinSnrDb) || !double.IsFinite(MinSnrDb) || !double.IsFinite(MaxSnrDb)) throw new ArgumentException($"The SNR range must be finite with min <= max, got {MinSnrDb}-{MaxSnrDb} dB.");
        return this;
    }

    public float[] Apply(float[] clip, int sampleRate, Random random)
    {
        int max = (int)Math.Round(ShiftSeconds * sampleRate);
        var shifted = Shift(clip, max == 0 ? 0 : random.Next(-max, max + 1));
        if (NoiseProbability > 0 && random.NextDouble() < NoiseProbability)
            AddNoise(shifted, MinSnrDb + (MaxSnrDb - MinSnrDb) * random.NextDouble(), random);
        return shifted;
    }

    /// <summary>Moves the samples by <paramref name="offset"/> (positive: later), filling with zeros.</summary>
    public static float[] Shift(float[] clip, int offset)
    {
        var result = new float[clip.Length];
        int n = clip.Length - Math.Abs(offset);
        if (n > 0) clip.AsSpan(Math.Max(0, -offset), n).CopyTo(result.AsSpan(Math.Max(0, offset)));
        return result;
    }

    /// <summary>Adds white Gaussian noise whose power is the clip's power divided by 10^(snr/10); a silent clip stays silent.</summary>
    public static void AddNoise(float[] clip, double snrDb, Random random)
    {
        double power = 0;
        foreach (var s in clip) power += (double)s * s;
        power /= clip.Length;
        if (power == 0) return;
        double sigma = Math.Sqrt(power / Math.Pow(10, snrDb / 10));
        for (int i = 0; i < clip.Length; i++) clip[i] += (float)(sigma * MathNet.Numerics.Distributions.Normal.Sample(random, 0, 1));
    }
}
