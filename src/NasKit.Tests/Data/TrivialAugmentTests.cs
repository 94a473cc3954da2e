using NasKit.Data;
using F = TorchSharp.torchvision.transforms.functional;

namespace NasKit.Tests.Data;

public class TrivialAugmentTests
{
    private static byte[] Image(int channels, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[channels * 28 * 28];
        for (int y = 6; y < 22; y++) for (int x = 8; x < 20; x++) for (int c = 0; c < channels; c++) pixels[(c * 28 + y) * 28 + x] = (byte)rng.Next(60, 250);
        return pixels;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Every_operation_runs_on_grey_and_colour_images_and_keeps_their_shape(int channels)
    {
        var image = Image(channels, 1);
        foreach (var op in Enum.GetValues<TrivialAugment.Op>())
            foreach (double magnitude in op switch
            {
                TrivialAugment.Op.Posterize => new[] { 2.0, 8.0 },
                TrivialAugment.Op.Solarize => new[] { 0.0, 128.0 },
                TrivialAugment.Op.TranslateX or TrivialAugment.Op.TranslateY => new[] { -10.0, 10.0 },
                TrivialAugment.Op.Rotate => new[] { -135.0, 45.0 },
                _ => new[] { -0.99, 0.5 },
            })
            {
                var result = TrivialAugment.Apply(image, channels, 28, 28, op, magnitude);
                Assert.Equal(image.Length, result.Length);
            }
    }

    [Fact]
    public void Operations_do_what_their_names_say()
    {
        var image = Image(1, 2);
        // Identity, and a translation by 10 pixels moves the content 10 columns right.
        Assert.Equal(image, TrivialAugment.Apply(image, 1, 28, 28, TrivialAugment.Op.Identity, 0));
        var moved = TrivialAugment.Apply(image, 1, 28, 28, TrivialAugment.Op.TranslateX, 10);
        for (int y = 0; y < 28; y++) for (int x = 10; x < 28; x++) Assert.Equal(image[y * 28 + x - 10], moved[y * 28 + x]);
        // Solarize at 128 inverts the bright pixels only; posterize to 2 bits keeps the top two bits.
        var solar = TrivialAugment.Apply(image, 1, 28, 28, TrivialAugment.Op.Solarize, 128);
        for (int i = 0; i < image.Length; i++) Assert.Equal(image[i] >= 128 ? 255 - image[i] : image[i], solar[i]);
        var poster = TrivialAugment.Apply(image, 1, 28, 28, TrivialAugment.Op.Posterize, 2);
        for (int i = 0; i < image.Length; i++) Assert.Equal(image[i] & 0b1100_0000, poster[i]);
        // Brightness 1 - 0.99 darkens everything towards black.
        var dark = TrivialAugment.Apply(image, 1, 28, 28, TrivialAugment.Op.Brightness, -0.99);
        Assert.True(dark.Sum(b => b) < image.Sum(b => b) / 20);
    }

    [Fact]
    public void Draws_follow_torchvisions_augmentation_space_and_the_seed()
    {
        var draws = Enumerable.Range(0, 20_000).Select(_ => (Op: TrivialAugment.Op.Identity, Magnitude: 0.0)).ToArray();
        var rng = new Random(7);
        for (int i = 0; i < draws.Length; i++) draws[i] = TrivialAugment.Draw(rng);
        // 14 operations, each about 1/14 of the draws.
        foreach (var g in draws.GroupBy(d => d.Op)) Assert.InRange(g.Count() / (double)draws.Length, 1 / 14.0 - 0.012, 1 / 14.0 + 0.012);
        Assert.Equal(14, draws.Select(d => d.Op).Distinct().Count());
        // Magnitudes: bins of linspace(0, max, 31), signed where torchvision flips signs; posterize 8 - round(bin / 5).
        Assert.All(draws.Where(d => d.Op == TrivialAugment.Op.Rotate), d => Assert.InRange(d.Magnitude, -135, 135));
        Assert.Contains(draws, d => d.Op == TrivialAugment.Op.Rotate && d.Magnitude < 0);
        Assert.Equal([2.0, 3, 4, 5, 6, 7, 8], draws.Where(d => d.Op == TrivialAugment.Op.Posterize).Select(d => d.Magnitude).Distinct().Order());
        Assert.All(draws.Where(d => d.Op == TrivialAugment.Op.Solarize), d => Assert.InRange(d.Magnitude, 0, 255));
        Assert.Equal(31, draws.Where(d => d.Op == TrivialAugment.Op.Solarize).Select(d => d.Magnitude).Distinct().Count());
        var again = new Random(7);
        Assert.Equal(draws[..50], Enumerable.Range(0, 50).Select(_ => TrivialAugment.Draw(again)).ToArray());
    }

    /// <summary>TorchVision for .NET's functional operation, the reference the byte implementation follows.</summary>
    private static byte[] Reference(byte[] image, int channels, TrivialAugment.Op op, double m)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var img = TorchSharp.torch.tensor(image, [channels, 28, 28], dtype: TorchSharp.torch.ScalarType.Byte);
        if (channels == 1) img = img.expand(3, 28, 28).contiguous(); // TorchVision for .NET indexes three channels; each op here works per channel
        float f = (float)m;
        var r = op switch
        {
            TrivialAugment.Op.ShearX => F.affine(img, angle: 0f, translate: [0, 0], scale: 1f, shear: [(float)(180 / Math.PI * Math.Atan(f)), 0f]),
            TrivialAugment.Op.ShearY => F.affine(img, angle: 0f, translate: [0, 0], scale: 1f, shear: [0f, (float)(180 / Math.PI * Math.Atan(f))]),
            TrivialAugment.Op.TranslateX => F.affine(img, angle: 0f, translate: [(int)f, 0], scale: 1f, shear: [0f, 0f]),
            TrivialAugment.Op.TranslateY => F.affine(img, angle: 0f, translate: [0, (int)f], scale: 1f, shear: [0f, 0f]),
            TrivialAugment.Op.Rotate => F.rotate(img, f),
            TrivialAugment.Op.Brightness => F.adjust_brightness(img, 1 + m),
            TrivialAugment.Op.Color => F.adjust_saturation(img, 1 + m),
            TrivialAugment.Op.Contrast => F.adjust_contrast(img, 1 + m),
            TrivialAugment.Op.Sharpness => F.adjust_sharpness(img, 1 + m),
            TrivialAugment.Op.Posterize => F.posterize(img, (int)m),
            TrivialAugment.Op.Solarize => F.solarize(img, m),
            TrivialAugment.Op.AutoContrast => F.autocontrast(img),
            TrivialAugment.Op.Equalize => F.equalize(img),
            _ => img,
        };
        if (channels == 1) r = r[..1];
        return r.to_type(TorchSharp.torch.ScalarType.Byte).contiguous().data<byte>().ToArray();
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void Operations_match_torchvision(int channels)
    {
        NasKit.Runtime.TorchRuntime.EnsureLoaded();
        var rng = new Random(11);
        var image = new byte[channels * 28 * 28];
        for (int i = 0; i < image.Length; i++) image[i] = (byte)(rng.Next(40, 200) + (i % 28 > 14 ? 30 : 0));
        var mismatches = new List<string>();
        foreach (var op in Enum.GetValues<TrivialAugment.Op>())
        {
            // TorchVision for .NET's rgb_to_grayscale returns [0, 1] values for byte images, so its contrast and saturation
            // blend a [0, 255] image with a [0, 1] grey; torchvision's formulas are checked by hand below instead.
            if (op is TrivialAugment.Op.Color or TrivialAugment.Op.Contrast) continue;
            foreach (double m in op switch
            {
                TrivialAugment.Op.Posterize => new[] { 2.0, 5.0 },
                TrivialAugment.Op.Solarize => new[] { 93.5, 200.0 },
                TrivialAugment.Op.TranslateX or TrivialAugment.Op.TranslateY => new[] { -7.0, 12.0 },
                TrivialAugment.Op.Rotate => new[] { -40.5, 100.0 },
                _ => new[] { -0.6, 0.33 },
            })
            {
                var ours = TrivialAugment.Apply(image, channels, 28, 28, op, m);
                var theirs = Reference(image, channels, op, m);
                int differ = ours.Zip(theirs).Count(p => p.First != p.Second);
                // Exact, except for shears: there whole rows of sampling points fall on pixel borders (tan = 0.6 times a
                // half-integer), and the last float bit of the inverse matrix (computed in double here, as torchvision
                // does in Python; TorchVision for .NET differs) decides the neighbour: at most 4% of the bytes.
                bool shear = op is TrivialAugment.Op.ShearX or TrivialAugment.Op.ShearY;
                if (differ > (shear ? ours.Length / 25 : 0)) mismatches.Add($"{op}({m}): {differ} of {ours.Length} bytes differ");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("; ", mismatches));
    }

    [Fact]
    public void Contrast_and_saturation_follow_torchvisions_formulas()
    {
        // One channel: torchvision blends with the mean of the image itself (float32), then truncates to a byte.
        byte[] grey = [10, 20, 30, 100];
        float mean = 40f;
        Assert.Equal(grey.Select(v => (byte)Math.Clamp(1.5f * v + (1 - 1.5f) * mean, 0, 255)).ToArray(),
                     TrivialAugment.Apply(grey, 1, 2, 2, TrivialAugment.Op.Contrast, 0.5));
        Assert.Equal(grey, TrivialAugment.Apply(grey, 1, 2, 2, TrivialAugment.Op.Color, 0.5)); // no colour to saturate
        // Three channels: the grey image is 0.2989 R + 0.587 G + 0.114 B truncated to bytes; contrast blends with its mean.
        byte[] rgb = [200, 0, 50, 100, 0, 255, 0, 30, 10, 90, 60, 0];
        var g = Enumerable.Range(0, 4).Select(i => (byte)(0.2989f * rgb[i] + 0.587f * rgb[4 + i] + 0.114f * rgb[8 + i])).ToArray();
        Assert.Equal(rgb.Select((v, i) => (byte)Math.Clamp(0.4f * v + 0.6f * g[i % 4], 0, 255)).ToArray(),
                     TrivialAugment.Apply(rgb, 3, 2, 2, TrivialAugment.Op.Color, -0.6));
        float gm = g.Average(b => (float)b);
        Assert.Equal(rgb.Select(v => (byte)Math.Clamp(0.4f * v + 0.6f * gm, 0, 255)).ToArray(),
                     TrivialAugment.Apply(rgb, 3, 2, 2, TrivialAugment.Op.Contrast, -0.6));
    }
}
