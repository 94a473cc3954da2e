using NasKit.Benchmarks;
using NasKit.Data;
using TorchSharp;

namespace NasKit.Tests.Data;

public class DatasetReaderTests
{
    [Fact]
    public void The_cifar10_subset_has_the_documented_labels_and_pixels()
    {
        var train = DatasetReaders.Cifar10SubsetTrain();
        var test = DatasetReaders.Cifar10SubsetTest();
        Assert.Equal(4000, train.Count);
        Assert.Equal(1000, test.Count);
        // PROVENANCE.md: train starts 6,9,9,4,1,1,2,7,8,3; test image 0 starts with red 158,159,165,166.
        Assert.Equal(new byte[] { 6, 9, 9, 4, 1, 1, 2, 7, 8, 3 }, train.Labels[..10]);
        Assert.Equal(new byte[] { 158, 159, 165, 166 }, test.Pixels[..4]);
        Assert.Equal(103, test.Labels.Count(l => l == 0));
    }

    [Fact]
    public void A_truncated_cifar_file_names_the_problem()
    {
        var root = Path.Combine(Path.GetTempPath(), "naskit-cifar-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "cifar10-subset"));
        var src = DataLocator.Default.Find("cifar10-subset/cifar10_test_first1000.bin");
        File.WriteAllBytes(Path.Combine(root, "cifar10-subset", "cifar10_test_first1000.bin"), File.ReadAllBytes(src)[..5000]);
        var e = Assert.Throws<BenchmarkDataException>(() => DatasetReaders.Cifar10SubsetTest(new DataLocator(root)));
        Assert.Contains("not a whole number of 3,073-byte CIFAR-10 records", e.Message);
        Assert.Throws<DataNotFoundException>(() => DatasetReaders.Cifar10SubsetTrain(new DataLocator(root)));
    }

    [Fact]
    public void Idx_files_are_read_and_bad_ones_refused()
    {
        var dir = Path.Combine(Path.GetTempPath(), "naskit-idx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var good = Path.Combine(dir, "x-idx3-ubyte");
        File.WriteAllBytes(good, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1, 10, 20, 30, 40]);
        var (data, dims) = DatasetReaders.ReadIdx(good, 3);
        Assert.Equal(new[] { 2, 2, 1 }, dims);
        Assert.Equal(new byte[] { 10, 20, 30, 40 }, data);
        var truncated = Path.Combine(dir, "t-idx3-ubyte");
        File.WriteAllBytes(truncated, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1, 10]);
        Assert.Contains("truncated", Assert.Throws<BenchmarkDataException>(() => DatasetReaders.ReadIdx(truncated, 3)).Message);
        var notIdx = Path.Combine(dir, "n-idx3-ubyte");
        File.WriteAllText(notIdx, "hello world, not idx");
        Assert.Contains("not an IDX file", Assert.Throws<BenchmarkDataException>(() => DatasetReaders.ReadIdx(notIdx, 3)).Message);
        Assert.Throws<DataNotFoundException>(() => DatasetReaders.FashionMnist(true, dir));
    }

    [Fact]
    public void Batches_are_normalised_seeded_and_augmented()
    {
        var data = DatasetReaders.Cifar10SubsetTest().Subset(Enumerable.Range(0, 64).ToArray());
        var plain = new BatchLoader(data, new BatchOptions(32), torch.CPU);
        var (x, y) = plain.Epoch(1).First();
        Assert.Equal(new long[] { 32, 3, 32, 32 }, x.shape);
        var (x2, _) = plain.Epoch(1).First();
        Assert.True(x.equal(x2).all().item<bool>()); // same seed, same batch
        var aug = new BatchLoader(data, new BatchOptions(32, Augment: true, Resolution: 16), torch.CPU);
        var (xa, _) = aug.Epoch(1).First();
        Assert.Equal(new long[] { 32, 3, 16, 16 }, xa.shape);
        Assert.InRange(data.Statistics.Mean[0], 0.3f, 0.7f);
    }
}

public class FashionMnistTests
{
    [Fact]
    public void Debians_fashion_mnist_package_reads_as_60000_plus_10000_images()
    {
        // scripts/setup.sh installs dataset-fashion-mnist.
        var train = DatasetReaders.FashionMnist(true);
        var test = DatasetReaders.FashionMnist(false);
        Assert.Equal((60_000, 10_000), (train.Count, test.Count));
        Assert.Equal((1, 28, 28, 10), (train.Channels, train.Height, train.Width, train.Classes));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(6000, train.Labels.Count(l => l == c)));
    }
}
