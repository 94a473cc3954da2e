using NasKit.Networks;

namespace NasKit.SearchSpaces.KeywordSpotting;

/// <summary>A layer's convolution: standard (k×k over all input channels) or depthwise-separable (k×k per channel, then 1×1).</summary>
public enum KwsConvolution { Standard, DepthwiseSeparable }

/// <summary>The first layer: always a standard convolution, with a kernel and stride over (time, frequency).</summary>
public sealed record KwsStem(int KernelTime, int KernelFrequency, int StrideTime, int StrideFrequency, int Width);

/// <summary>A later layer: convolution type, square kernel, stride (both axes), output channels, and a 2×2 max pooling after it.</summary>
public sealed record KwsBlock(KwsConvolution Convolution, int Kernel, int Stride, int Width, bool MaxPool);

/// <summary>
/// A keyword-spotting CNN in the manner of Hello Edge's CNN and DS-CNN families (ARM-software/ML-KWS-for-MCU,
/// <c>models.py</c>, <c>create_ds_cnn_model</c>): every convolution has a bias and TensorFlow's SAME padding (output
/// ⌈input/stride⌉), and is followed by batch norm with a learned shift only (slim's default: no scale) and ReLU; a
/// depthwise-separable layer is depthwise k×k, batch norm, ReLU, pointwise 1×1, batch norm, ReLU. Average pooling
/// over the whole map, then a linear layer to the classes. Costs are computed here without building.
/// </summary>
public sealed record KwsConfig(FeatureMapShape Input, int Classes, KwsStem Stem, IReadOnlyList<KwsBlock> Blocks)
{
    public void Validate()
    {
        if (Input.Frames < 1 || Input.Features < 1 || Classes < 2) throw new ArgumentException($"A keyword spotter needs a non-empty input and at least 2 classes; got {Input} and {Classes}.");
        if (new[] { Stem.KernelTime, Stem.KernelFrequency, Stem.StrideTime, Stem.StrideFrequency, Stem.Width }.Any(v => v < 1) ||
            Blocks.Any(b => b.Kernel < 1 || b.Stride < 1 || b.Width < 1))
            throw new ArgumentException("Kernels, strides and widths must be positive.");
    }

    /// <summary>TensorFlow's SAME output length.</summary>
    public static int Same(int length, int stride) => (length + stride - 1) / stride;

    /// <summary>The map after a 2×2 max pooling (a side of 1 is not pooled).</summary>
    public static int Pooled(int length) => length >= 2 ? (length + 1) / 2 : 1;

    /// <summary>Output (time, frequency) of the stem and of every block, in order.</summary>
    public IReadOnlyList<(int Time, int Frequency, int Channels)> Shapes()
    {
        var shapes = new List<(int, int, int)>();
        int t = Same(Input.Frames, Stem.StrideTime), f = Same(Input.Features, Stem.StrideFrequency);
        shapes.Add((t, f, Stem.Width));
        foreach (var b in Blocks)
        {
            t = Same(t, b.Stride);
            f = Same(f, b.Stride);
            if (b.MaxPool) (t, f) = (Pooled(t), Pooled(f));
            shapes.Add((t, f, b.Width));
        }
        return shapes;
    }

    public int OutputChannels => Blocks.Count == 0 ? Stem.Width : Blocks[^1].Width;

    /// <summary>Trainable parameters: weights and biases of convolutions and the classifier, one shift per batch-norm channel.</summary>
    public long TotalParameters
    {
        get
        {
            long total = (long)Stem.KernelTime * Stem.KernelFrequency * Stem.Width + 2L * Stem.Width;
            int c = Stem.Width;
            foreach (var b in Blocks)
            {
                total += b.Convolution == KwsConvolution.Standard
                    ? (long)b.Kernel * b.Kernel * c * b.Width + 2L * b.Width
                    : (long)b.Kernel * b.Kernel * c + 2L * c + (long)c * b.Width + 2L * b.Width;
                c = b.Width;
            }
            return total + (long)c * Classes + Classes;
        }
    }

    /// <summary>Multiply-accumulates of one forward pass: each convolution's output positions × kernel size × input channels, plus the classifier (Hello Edge counts operations as twice this).</summary>
    public long MultiplyAccumulates
    {
        get
        {
            var shapes = Shapes();
            // Convolutions act before pooling, at the strided size.
            int t = Same(Input.Frames, Stem.StrideTime), f = Same(Input.Features, Stem.StrideFrequency);
            long macs = (long)t * f * Stem.Width * Stem.KernelTime * Stem.KernelFrequency;
            int c = Stem.Width;
            for (int i = 0; i < Blocks.Count; i++)
            {
                var b = Blocks[i];
                int ct = Same(shapes[i].Time, b.Stride), cf = Same(shapes[i].Frequency, b.Stride);
                macs += b.Convolution == KwsConvolution.Standard
                    ? (long)ct * cf * b.Width * b.Kernel * b.Kernel * c
                    : (long)ct * cf * c * b.Kernel * b.Kernel + (long)ct * cf * c * b.Width;
                c = b.Width;
            }
            return macs + (long)c * Classes;
        }
    }
}
