using NasKit.Data;

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
}
