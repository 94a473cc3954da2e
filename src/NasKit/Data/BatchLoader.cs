using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Data;

/// <summary>
/// How batches are prepared: normalisation always; crop-with-padding and flips when augmenting; before them, one
/// <see cref="Data.TrivialAugment"/> operation per image when <paramref name="TrivialAugment"/> is set.
/// </summary>
public sealed record BatchOptions(int BatchSize = 256, bool Augment = false, int Padding = 4, int? Resolution = null, bool TrivialAugment = false);

/// <summary>
/// Draws batches from an <see cref="ImageDataset"/>: seeded shuffling, normalisation with the data set's
/// statistics, random crop with padding and horizontal flip (seeded), and optional resizing to a lower
/// resolution (a proxy-task knob). Batches are built on the training device; the caller owns them.
/// </summary>
public sealed class BatchLoader(ImageDataset data, BatchOptions options, Device device)
{
    public ImageDataset Data { get; } = data;

    public int BatchesPerEpoch => (Data.Count + options.BatchSize - 1) / options.BatchSize;

    /// <summary>One epoch of batches in a seeded order (the same epoch seed gives the same batches).</summary>
    public IEnumerable<(Tensor Images, Tensor Labels)> Epoch(int epochSeed, bool shuffle = true)
    {
        var order = Enumerable.Range(0, Data.Count).ToArray();
        var rng = new Random(epochSeed);
        if (shuffle) rng.Shuffle(order);
        for (int start = 0; start < order.Length; start += options.BatchSize)
        {
            var idx = order[start..Math.Min(order.Length, start + options.BatchSize)];
            yield return MakeBatch(idx, rng);
        }
    }

    public (Tensor Images, Tensor Labels) MakeBatch(IReadOnlyList<int> indices, Random rng)
    {
        int c = Data.Channels, h = Data.Height, w = Data.Width, size = c * h * w, pad = options.Augment ? options.Padding : 0;
        var buffer = new float[indices.Count * size];
        var (mean, std) = Data.Statistics;
        for (int k = 0; k < indices.Count; k++)
        {
            int src = indices[k] * size, dst = k * size;
            ReadOnlySpan<byte> pixels = Data.Pixels.AsSpan(src, size);
            if (options.TrivialAugment)
            {
                var (op, magnitude) = TrivialAugment.Draw(rng);
                pixels = TrivialAugment.Apply(pixels, c, h, w, op, magnitude);
            }
            int dy = pad > 0 ? rng.Next(-pad, pad + 1) : 0, dx = pad > 0 ? rng.Next(-pad, pad + 1) : 0;
            bool flip = options.Augment && rng.Next(2) == 1;
            for (int ch = 0; ch < c; ch++)
            {
                float m = mean[ch], s = std[ch], zero = (0 - m) / s; // padding is black before normalisation
                for (int y = 0; y < h; y++)
                {
                    int sy = y + dy;
                    for (int x = 0; x < w; x++)
                    {
                        int sx = (flip ? w - 1 - x : x) + dx;
                        buffer[dst + (ch * h + y) * w + x] = sy < 0 || sy >= h || sx < 0 || sx >= w
                            ? zero
                            : (pixels[(ch * h + sy) * w + sx] / 255f - m) / s;
                    }
                }
            }
        }
        var images = tensor(buffer, new long[] { indices.Count, c, h, w }, device: device);
        if (options.Resolution is { } r && r != h)
        {
            var resized = nn.functional.interpolate(images, new long[] { r, r }, mode: InterpolationMode.Bilinear, align_corners: false);
            images.Dispose();
            images = resized;
        }
        var labels = tensor(indices.Select(i => (long)Data.Labels[i]).ToArray(), device: device);
        return (images, labels);
    }
}
