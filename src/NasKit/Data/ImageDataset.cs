using NasKit.Benchmarks;

namespace NasKit.Data;

/// <summary>
/// Images held in memory as bytes (N × C × H × W, row-major) with integer labels. Small enough for the data
/// sets NasKit trains proxies on (Fashion-MNIST, CIFAR-10); batches become float tensors only when drawn.
/// </summary>
public sealed class ImageDataset
{
    public string Name { get; }
    public byte[] Pixels { get; }
    public byte[] Labels { get; }
    public int Count => Labels.Length;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Classes { get; }
    /// <summary>Per-channel mean and standard deviation of the pixels in [0, 1], for normalisation.</summary>
    public (float[] Mean, float[] Std) Statistics { get; }

    public ImageDataset(string name, byte[] pixels, byte[] labels, int channels, int height, int width, int classes,
                        (float[] Mean, float[] Std)? statistics = null)
    {
        if (pixels.Length != (long)labels.Length * channels * height * width)
            throw new BenchmarkDataException($"{name}: {pixels.Length} pixel bytes do not make {labels.Length} images of {channels}x{height}x{width}.");
        var bad = Array.FindIndex(labels, l => l >= classes);
        if (bad >= 0) throw new BenchmarkDataException($"{name}: image {bad} has label {labels[bad]}, but there are only {classes} classes.");
        (Name, Pixels, Labels, Channels, Height, Width, Classes) = (name, pixels, labels, channels, height, width, classes);
        Statistics = statistics ?? ComputeStatistics();
    }

    private (float[] Mean, float[] Std) ComputeStatistics()
    {
        var mean = new float[Channels];
        var std = new float[Channels];
        int plane = Height * Width;
        for (int c = 0; c < Channels; c++)
        {
            double s = 0, s2 = 0;
            long n = 0;
            for (int i = 0; i < Count; i++)
            {
                int offset = (i * Channels + c) * plane;
                for (int p = 0; p < plane; p++) { double v = Pixels[offset + p] / 255.0; s += v; s2 += v * v; }
                n += plane;
            }
            mean[c] = (float)(s / n);
            std[c] = (float)Math.Sqrt(Math.Max(1e-12, s2 / n - (s / n) * (s / n)));
        }
        return (mean, std);
    }

    /// <summary>The images at <paramref name="indices"/>, as a new data set with the same normalisation.</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        int size = Channels * Height * Width;
        var pixels = new byte[indices.Count * size];
        var labels = new byte[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            Buffer.BlockCopy(Pixels, indices[k] * size, pixels, k * size, size);
            labels[k] = Labels[indices[k]];
        }
        return new ImageDataset(name ?? Name, pixels, labels, Channels, Height, Width, Classes, Statistics);
    }

    /// <summary>A seeded, class-agnostic split into two disjoint parts (e.g. train and held-out).</summary>
    public (ImageDataset First, ImageDataset Second) Split(double firstFraction, int seed)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        int n = (int)Math.Round(Count * firstFraction);
        return (Subset(order[..n].OrderBy(i => i).ToArray(), Name + "-a"), Subset(order[n..].OrderBy(i => i).ToArray(), Name + "-b"));
    }

    /// <summary>A seeded split into the first <paramref name="count"/> images of a shuffled order and the rest.</summary>
    public (ImageDataset First, ImageDataset Second) Split(int count, int seed)
    {
        if (count < 1 || count >= Count) throw new ArgumentException($"{Name} has {Count} images; cannot split off {count} (need 1..{Count - 1}).");
        return Split((double)count / Count, seed);
    }
}
