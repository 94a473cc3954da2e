using System.Buffers.Binary;
using System.IO.Compression;
using NasKit.Benchmarks;

namespace NasKit.Data;

/// <summary>Readers for the file formats of the image data sets NasKit trains on. Bad files get clear errors.</summary>
public static class DatasetReaders
{
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Fashion-MNIST from Debian's <c>dataset-fashion-mnist</c> (gzipped IDX), or a folder with the same files.</summary>
    public static ImageDataset FashionMnist(bool train, string? folder = null)
    {
        folder ??= Environment.GetEnvironmentVariable("NASKIT_FASHION_MNIST") ?? FashionMnistFolder;
        string prefix = train ? "train" : "t10k";
        string images = Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), labels = Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz");
        foreach (var f in new[] { images, labels })
            if (!File.Exists(f))
                throw new DataNotFoundException(f, [folder]);
        var (pixels, dims) = ReadIdx(images, expectedDims: 3);
        var (labelBytes, labelDims) = ReadIdx(labels, expectedDims: 1);
        if (labelDims[0] != dims[0]) throw new BenchmarkDataException($"{labels}: {labelDims[0]} labels for {dims[0]} images in {images}.");
        return new ImageDataset($"fashion-mnist-{prefix}", pixels, labelBytes, 1, dims[1], dims[2], 10);
    }

    /// <summary>Reads an IDX file (optionally gzipped) of unsigned bytes: its data and dimensions.</summary>
    public static (byte[] Data, int[] Dims) ReadIdx(string path, int expectedDims)
    {
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new BinaryReader(stream);
            var magic = reader.ReadBytes(4);
            if (magic.Length < 4 || magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08)
                throw new BenchmarkDataException($"{path}: not an IDX file of unsigned bytes (magic {Convert.ToHexString(magic)}).");
            if (magic[3] != expectedDims)
                throw new BenchmarkDataException($"{path}: has {magic[3]} dimensions, expected {expectedDims}.");
            var dims = new int[expectedDims];
            for (int i = 0; i < expectedDims; i++) dims[i] = BinaryPrimitives.ReadInt32BigEndian(reader.ReadBytes(4));
            long size = dims.Aggregate(1L, (a, d) => a * d);
            var data = reader.ReadBytes((int)size);
            if (data.Length != size)
                throw new BenchmarkDataException($"{path}: truncated: {data.Length} of {size} data bytes.");
            return (data, dims);
        }
        catch (EndOfStreamException) { throw new BenchmarkDataException($"{path}: truncated header."); }
        catch (InvalidDataException e) { throw new BenchmarkDataException($"{path}: corrupt gzip data ({e.Message})."); }
    }

    /// <summary>
    /// CIFAR-10 in its official binary format: records of 1 label byte + 3,072 pixel bytes (R, G, B planes of 32×32).
    /// Reads one or more files through the data locator, e.g. the shared subset's
    /// <c>cifar10-subset/cifar10_train_batch1_first4000.bin</c> or the full <c>cifar-10-batches-bin/data_batch_1.bin</c>.
    /// </summary>
    public static ImageDataset Cifar10(IEnumerable<string> relativePaths, DataLocator? locator = null, string name = "cifar10")
    {
        locator ??= DataLocator.Default;
        const int record = 3073;
        var pixels = new List<byte[]>();
        var labels = new List<byte>();
        foreach (var rel in relativePaths)
        {
            var path = locator.Find(rel);
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0 || bytes.Length % record != 0)
                throw new BenchmarkDataException($"{path}: {bytes.Length} bytes is not a whole number of 3,073-byte CIFAR-10 records; the file is truncated or not CIFAR-10 binary.");
            for (int i = 0; i < bytes.Length / record; i++)
            {
                byte label = bytes[i * record];
                if (label > 9) throw new BenchmarkDataException($"{path}: record {i} has label {label}; CIFAR-10 labels are 0..9.");
                labels.Add(label);
                pixels.Add(bytes.AsSpan(i * record + 1, 3072).ToArray());
            }
        }
        return new ImageDataset(name, pixels.SelectMany(p => p).ToArray(), labels.ToArray(), 3, 32, 32, 10);
    }

    public static ImageDataset Cifar10SubsetTrain(DataLocator? locator = null) =>
        Cifar10(["cifar10-subset/cifar10_train_batch1_first4000.bin"], locator, "cifar10-subset-train");

    public static ImageDataset Cifar10SubsetTest(DataLocator? locator = null) =>
        Cifar10(["cifar10-subset/cifar10_test_first1000.bin"], locator, "cifar10-subset-test");

    /// <summary>The names <see cref="ByName"/> resolves.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cifar10-subset", "fashion-mnist"];

    /// <summary>Resolves a data set name used on the command line.</summary>
    public static (ImageDataset Train, ImageDataset Test) ByName(string name) => name.ToLowerInvariant() switch
    {
        "cifar10-subset" => (Cifar10SubsetTrain(), Cifar10SubsetTest()),
        "fashion-mnist" => (FashionMnist(true), FashionMnist(false)),
        _ => throw new ArgumentException($"Unknown data set '{name}'. Use cifar10-subset or fashion-mnist."),
    };
}
