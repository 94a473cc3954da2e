using NasKit.Data;

namespace NasKit.Tests.Data;

public class AudioFeaturesTests
{
    // From src/NasKit.Tests/Data/reference/audio_features.py (numpy/scipy, textbook definitions, no NWaves):
    // name, kind, sum, sum of squares, [0,0], [22,3], [25,j] (j = 20 for log-mel, 5 for MFCC), [28,9].
    public static TheoryData<string, string, double, double, double, double, double, double> Reference => new()
    {
        { "0_george_0", "logmel", -19056.651853, 253523.3990, -13.815511, 1.066520, -5.077290, 4.274709 },
        { "0_george_0", "mfcc", -3252.459397, 252330.5959, -87.376961, -1.150475, -8.886989, -0.664244 },
        { "7_jackson_32", "logmel", -15494.948043, 183410.4010, -13.815511, 1.616681, -3.258986, 1.632681 },
        { "7_jackson_32", "mfcc", -2271.360304, 182826.4201, -87.376961, -1.953959, 0.408384, -1.973142 },
        { "9_yweweler_49", "logmel", -20774.116941, 261589.1780, -13.815511, -1.896268, -3.742180, -4.799319 },
        { "9_yweweler_49", "mfcc", -3239.841573, 260897.4444, -87.376961, -7.062543, -0.692724, -3.490160 },
        // 10,504 samples: cropped around the centre.
        { "3_lucas_7", "logmel", -16476.882534, 189859.6237, 1.350634, -8.940115, -11.797641, -11.333062 },
        { "3_lucas_7", "mfcc", -2258.092477, 189100.9189, -22.550559, 2.356338, -1.878242, -0.483968 },
    };

    [Theory]
    [MemberData(nameof(Reference))]
    public void Features_equal_numpys_on_fsdd_recordings(string name, string kind, double sum, double squares, double a, double b, double c, double d)
    {
        var settings = AudioFeatureSettings.HelloEdge with { Kind = kind == "mfcc" ? AudioFeatureKind.Mfcc : AudioFeatureKind.LogMel };
        var recording = SpokenDigits.Fsdd().Recordings.Single(r => r.Name == name);
        var map = new AudioFeatures(settings).Compute(AudioFeatures.FixLength(recording.Samples, settings.ClipSamples));
        int f = settings.FeaturesPerFrame, j = kind == "mfcc" ? 5 : 20;
        Assert.Equal(49 * f, map.Length);
        // Single-precision FFTs and filter sums in NWaves against double precision in numpy.
        Assert.Equal(sum, map.Sum(v => (double)v), Math.Abs(sum) * 1e-5);
        Assert.Equal(squares, map.Sum(v => (double)v * v), squares * 1e-5);
        Assert.Equal(a, map[0 * f + 0], 1e-3);
        Assert.Equal(b, map[22 * f + 3], 1e-3);
        Assert.Equal(c, map[25 * f + j], 1e-3);
        Assert.Equal(d, map[28 * f + 9], 1e-3);
    }

    [Fact]
    public void Clips_are_padded_or_cropped_around_the_centre()
    {
        Assert.Equal(new float[] { 0, 1, 2, 3, 0, 0 }, AudioFeatures.FixLength([1f, 2, 3], 6));
        Assert.Equal(new float[] { 2, 3, 4 }, AudioFeatures.FixLength([1f, 2, 3, 4, 5], 3));
    }

    [Fact]
    public void Shifts_move_samples_and_fill_with_zeros()
    {
        float[] x = [1, 2, 3, 4];
        Assert.Equal(new float[] { 0, 0, 1, 2 }, AudioAugmentation.Shift(x, 2));
        Assert.Equal(new float[] { 3, 4, 0, 0 }, AudioAugmentation.Shift(x, -2));
        Assert.Equal(new float[4], AudioAugmentation.Shift(x, 9));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(20)]
    public void Noise_has_the_requested_signal_to_noise_ratio(double snr)
    {
        var clip = Enumerable.Range(0, 8000).Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * 440 * i / 8000.0))).ToArray();
        var noisy = (float[])clip.Clone();
        AudioAugmentation.AddNoise(noisy, snr, new Random(3));
        double signal = clip.Sum(v => (double)v * v), noise = clip.Zip(noisy, (s, n) => (double)(n - s) * (n - s)).Sum();
        Assert.Equal(snr, 10 * Math.Log10(signal / noise), 0.2); // 8,000 Gaussian draws: the power is within a few percent
        var silent = new float[100];
        AudioAugmentation.AddNoise(silent, snr, new Random(3));
        Assert.All(silent, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Augmentation_is_a_function_of_its_seed()
    {
        var clip = Enumerable.Range(0, 8000).Select(i => (float)Math.Sin(i * 0.05)).ToArray();
        var aug = new AudioAugmentation(NoiseProbability: 1);
        Assert.Equal(aug.Apply(clip, 8000, new Random(1)), aug.Apply(clip, 8000, new Random(1)));
        Assert.NotEqual(aug.Apply(clip, 8000, new Random(1)), aug.Apply(clip, 8000, new Random(2)));
    }

    [Fact]
    public void Resampling_keeps_the_frequency_of_a_tone()
    {
        var tone = Enumerable.Range(0, 16000).Select(i => (float)Math.Sin(2 * Math.PI * 1000 * i / 16000.0)).ToArray();
        var down = AudioFeatures.Resample(tone, 16000, 8000);
        Assert.InRange(down.Length, 7990, 8010);
        // A 1 kHz tone at 8 kHz repeats every 8 samples: the correlation with itself 8 samples later is ~1, 4 later ~-1.
        double Corr(int lag) => Enumerable.Range(1000, 6000).Sum(i => (double)down[i] * down[i + lag]) / Enumerable.Range(1000, 6000).Sum(i => (double)down[i] * down[i]);
        Assert.True(Corr(8) > 0.95, $"lag 8: {Corr(8)}");
        Assert.True(Corr(4) < -0.95, $"lag 4: {Corr(4)}");
    }

    [Fact]
    public void Bad_settings_name_the_problem()
    {
        Assert.Contains("FFT size", Assert.Throws<ArgumentException>(() => new AudioFeatures(AudioFeatureSettings.HelloEdge with { FftSize = 256 })).Message);
        Assert.Contains("mel range", Assert.Throws<ArgumentException>(() => new AudioFeatures(AudioFeatureSettings.HelloEdge with { HighHz = 6000 })).Message);
        Assert.Contains("coefficients", Assert.Throws<ArgumentException>(() => new AudioFeatures(AudioFeatureSettings.HelloEdge with { Coefficients = 41 })).Message);
        Assert.Contains("8000 samples", Assert.Throws<ArgumentException>(() => new AudioFeatures(AudioFeatureSettings.HelloEdge).Compute(new float[100])).Message);
        Assert.Contains("SNR", Assert.Throws<ArgumentException>(() => new AudioAugmentation(MinSnrDb: 30, MaxSnrDb: 10).Validated()).Message);
    }
}
