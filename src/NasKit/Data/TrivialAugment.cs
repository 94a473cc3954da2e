namespace NasKit.Data;

/// <summary>
/// TrivialAugment (Müller &amp; Hutter, ICCV 2021) in torchvision's <c>TrivialAugmentWide</c> form: each image gets one
/// operation drawn uniformly from 14, at a strength drawn uniformly from 31 bins (signed operations flip sign with
/// probability 1/2). Translations are in pixels up to 32 whatever the image size, and saturation ("Color") leaves a
/// one-channel image unchanged, both as in torchvision.
/// <para>
/// The operations follow torchvision's tensor implementations on uint8 images formula by formula (float32 arithmetic,
/// truncation back to bytes, nearest-neighbour sampling about the image centre, fill 0), and the tests compare them
/// with TorchVision for .NET. They are written out here, on the bytes, for two reasons: TorchVision's versions pass
/// their constants as implicit TorchSharp Scalars that the finalizer can free mid-call (training runs with it failed
/// with "Expected false to be true ... toFloat" every few trials), and one image at a time through tensors costs more
/// than the operation. The draws come from the caller's seeded generator, so an augmented epoch is reproducible.
/// </para>
/// </summary>
public static class TrivialAugment
{
    public const int MagnitudeBins = 31;

    public enum Op { Identity, ShearX, ShearY, TranslateX, TranslateY, Rotate, Brightness, Color, Contrast, Sharpness, Posterize, Solarize, AutoContrast, Equalize }

    /// <summary>One draw: the operation and its signed magnitude (torchvision's augmentation space for 31 bins).</summary>
    public static (Op Op, double Magnitude) Draw(Random rng)
    {
        var op = (Op)rng.Next(14);
        int bin = rng.Next(MagnitudeBins);
        double t = bin / (double)(MagnitudeBins - 1);
        (double magnitude, bool signed) = op switch
        {
            Op.ShearX or Op.ShearY or Op.Brightness or Op.Color or Op.Contrast or Op.Sharpness => (0.99 * t, true),
            Op.TranslateX or Op.TranslateY => (32.0 * t, true),
            Op.Rotate => (135.0 * t, true),
            Op.Posterize => (8 - Math.Round(bin / ((MagnitudeBins - 1) / 6.0), MidpointRounding.ToEven), false),
            Op.Solarize => (255.0 * (1 - t), false),
            _ => (0.0, false),
        };
        if (signed && rng.Next(2) == 1) magnitude = -magnitude;
        return (op, magnitude);
    }

    /// <summary>Applies an operation to one image of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> bytes.</summary>
    public static byte[] Apply(ReadOnlySpan<byte> image, int channels, int height, int width, Op op, double magnitude)
    {
        if (image.Length != channels * height * width)
            throw new ArgumentException($"The image has {image.Length} bytes, not {channels}×{height}×{width}.");
        var img = image.ToArray();
        switch (op)
        {
            case Op.Identity: return img;
            case Op.ShearX: return Affine(img, channels, height, width, 0, 0, 0, Math.Atan(magnitude), 0);
            case Op.ShearY: return Affine(img, channels, height, width, 0, 0, 0, 0, Math.Atan(magnitude));
            case Op.TranslateX: return Affine(img, channels, height, width, 0, (int)magnitude, 0, 0, 0);
            case Op.TranslateY: return Affine(img, channels, height, width, 0, 0, (int)magnitude, 0, 0);
            case Op.Rotate: return Affine(img, channels, height, width, -magnitude * Math.PI / 180, 0, 0, 0, 0); // F.rotate negates the angle
            case Op.Brightness: return Blend(img, new float[img.Length], 1 + magnitude);
            case Op.Color: return channels == 1 ? img : Blend(img, GreyPlanes(img, height * width), 1 + magnitude);
            case Op.Contrast:
            {
                float mean = channels == 1 ? Mean(img) : Mean(Grey(img, height * width));
                return Blend(img, Enumerable.Repeat(mean, img.Length).ToArray(), 1 + magnitude);
            }
            case Op.Sharpness: return height <= 2 || width <= 2 ? img : Blend(img, Blurred(img, channels, height, width), 1 + magnitude);
            case Op.Posterize:
            {
                int bits = (int)magnitude;
                byte mask = (byte)~((1 << (8 - bits)) - 1);
                for (int i = 0; i < img.Length; i++) img[i] &= mask;
                return img;
            }
            case Op.Solarize:
                for (int i = 0; i < img.Length; i++) if (img[i] >= magnitude) img[i] = (byte)(255 - img[i]);
                return img;
            case Op.AutoContrast: return PerChannel(img, channels, AutoContrast);
            case Op.Equalize: return PerChannel(img, channels, Equalize);
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown operation.");
        }
    }

    // torchvision's _blend: (r·a + (1 − r)·b) in float32, clamped to [0, 255], truncated to a byte.
    private static byte[] Blend(byte[] a, float[] b, double ratio)
    {
        float r = (float)ratio, s = (float)(1.0 - ratio);
        var result = new byte[a.Length];
        for (int i = 0; i < a.Length; i++) result[i] = (byte)Math.Clamp(r * a[i] + s * b[i], 0f, 255f);
        return result;
    }

    private static float Mean(IReadOnlyList<byte> values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return (float)(sum / values.Count);
    }

    // rgb_to_grayscale: 0.2989 R + 0.587 G + 0.114 B in float32, truncated to a byte.
    private static byte[] Grey(byte[] img, int plane)
    {
        var grey = new byte[plane];
        for (int i = 0; i < plane; i++) grey[i] = (byte)(0.2989f * img[i] + 0.587f * img[plane + i] + 0.114f * img[2 * plane + i]);
        return grey;
    }

    private static float[] GreyPlanes(byte[] img, int plane)
    {
        var grey = Grey(img, plane);
        var planes = new float[img.Length];
        for (int c = 0; c < img.Length / plane; c++) for (int i = 0; i < plane; i++) planes[c * plane + i] = grey[i];
        return planes;
    }

    // _blurred_degenerate_image: the 3×3 kernel [1 1 1; 1 5 1; 1 1 1]/13 on interior pixels, rounded half to even; borders kept.
    private static float[] Blurred(byte[] img, int channels, int height, int width)
    {
        var result = img.Select(v => (float)v).ToArray();
        float k = 1f / 13f, centre = 5f / 13f;
        for (int c = 0; c < channels; c++)
            for (int y = 1; y < height - 1; y++)
                for (int x = 1; x < width - 1; x++)
                {
                    int o = (c * height + y) * width + x;
                    float sum = 0;
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++)
                            sum += img[o + dy * width + dx] * (dy == 0 && dx == 0 ? centre : k);
                    result[o] = (byte)Math.Clamp(MathF.Round(sum, MidpointRounding.ToEven), 0f, 255f);
                }
        return result;
    }

    private static byte[] PerChannel(byte[] img, int channels, Action<Span<byte>> op)
    {
        int plane = img.Length / channels;
        for (int c = 0; c < channels; c++) op(img.AsSpan(c * plane, plane));
        return img;
    }

    // autocontrast: (v − min)·255/(max − min) in float32, clamped and truncated; a flat channel is left as it is.
    private static void AutoContrast(Span<byte> channel)
    {
        byte min = 255, max = 0;
        foreach (var v in channel) (min, max) = (Math.Min(min, v), Math.Max(max, v));
        if (max == min) return;
        float scale = 255f / (max - min);
        for (int i = 0; i < channel.Length; i++) channel[i] = (byte)Math.Clamp((channel[i] - (float)min) * scale, 0f, 255f);
    }

    // equalize (torchvision's _scale_channel): a lookup table from the cumulative histogram in steps of
    // floor(sum of the non-zero bins but the last / 255); a channel whose step is 0 is left as it is.
    private static void Equalize(Span<byte> channel)
    {
        var hist = new long[256];
        foreach (var v in channel) hist[v]++;
        long lastNonZero = -1, sumNonZero = 0;
        for (int b = 0; b < 256; b++) if (hist[b] != 0) { sumNonZero += hist[b]; lastNonZero = b; }
        long step = (sumNonZero - (lastNonZero >= 0 ? hist[lastNonZero] : 0)) / 255;
        if (step == 0) return;
        var lut = new byte[256];
        long cumulative = 0;
        for (int b = 0; b < 256; b++)
        {
            lut[b] = (byte)Math.Clamp((cumulative + step / 2) / step, 0, 255); // the table shifted by one: pad [1, 0], drop the last
            cumulative += hist[b];
        }
        for (int i = 0; i < channel.Length; i++) channel[i] = lut[channel[i]];
    }

    /// <summary>
    /// torchvision's affine warp of a tensor image: the inverse of rotation (radians), shear (radians) and translation
    /// (pixels) about the image centre, sampled at each output pixel's centre with nearest neighbour (round half to
    /// even, as grid_sample), fill 0 outside.
    /// </summary>
    private static byte[] Affine(byte[] img, int channels, int height, int width, double rotation, int tx, int ty, double shearX, double shearY)
    {
        // _get_inverse_affine_matrix with centre (0, 0), scale 1.
        double a = Math.Cos(rotation - shearY) / Math.Cos(shearY);
        double b = -Math.Cos(rotation - shearY) * Math.Tan(shearX) / Math.Cos(shearY) - Math.Sin(rotation);
        double c = Math.Sin(rotation - shearY) / Math.Cos(shearY);
        double d = -Math.Sin(rotation - shearY) * Math.Tan(shearX) / Math.Cos(shearY) + Math.Cos(rotation);
        double m0 = d, m1 = -b, m3 = -c, m4 = a;
        double m2 = m0 * -tx + m1 * -ty, m5 = m3 * -tx + m4 * -ty;
        var result = new byte[img.Length];
        int plane = height * width;
        // _gen_affine_grid and grid_sample in float32, in their order: theta / (w/2, h/2), the base grid's pixel centres
        // relative to the image centre, then unnormalised with align_corners=False.
        float halfW = 0.5f * width, halfH = 0.5f * height;
        float a0 = (float)m0 / halfW, a1 = (float)m1 / halfW, a2 = (float)m2 / halfW;
        float b0 = (float)m3 / halfH, b1 = (float)m4 / halfH, b2 = (float)m5 / halfH;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                float gx = -halfW + 0.5f + x, gy = -halfH + 0.5f + y;
                float nx = gx * a0 + gy * a1 + a2, ny = gx * b0 + gy * b1 + b2;
                int ix = (int)MathF.Round(((nx + 1) * width - 1) / 2, MidpointRounding.ToEven);
                int iy = (int)MathF.Round(((ny + 1) * height - 1) / 2, MidpointRounding.ToEven);
                if (ix < 0 || ix >= width || iy < 0 || iy >= height) continue;
                for (int ch = 0; ch < channels; ch++) result[ch * plane + y * width + x] = img[ch * plane + iy * width + ix];
            }
        return result;
    }
}
