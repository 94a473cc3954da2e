using NasKit.Benchmarks;
using NasKit.SearchSpaces.Nb201;

namespace NasKit.Tests.SearchSpaces.Nb201;

public class Nb201BenchmarkTests
{
    [Fact]
    public void Holds_the_published_optima()
    {
        var b = TestData.Nb201;
        var best = b.Cells.MaxBy(c => b.TestAccuracy(c))!;
        Assert.Equal(6111, b.IndexOf(best));
        Assert.Equal(94.3733, b.TestAccuracy(best), 3);
        Assert.Equal(91.6067, b.ValidAccuracy(best), 3);
        Assert.Equal(73.5133, b.Cells.Max(c => b.TestAccuracy(c, Nb201Dataset.Cifar100)), 3);
        Assert.Equal(46.7333, b.Cells.Max(c => b.ValidAccuracy(c, Nb201Dataset.ImageNet16_120)), 3);
        Assert.Equal(84.89, b.Cells.Max(c => b.ValidAccuracy(c, Nb201Dataset.Cifar10, 12)), 1);
    }

    [Fact]
    public void Joins_hw_nas_bench_on_the_same_key()
    {
        var b = TestData.Nb201;
        // HW-NAS-Bench example.ipynb prints these for No.0 on CIFAR-10.
        Assert.Equal(5.807418537139893, b.Hardware(b.CellAt(0), "edgegpu_latency"), 9);
        Assert.Equal(3.60585, b.Hardware(b.CellAt(0), "pixel3_latency"), 9);
        Assert.True(double.IsNaN(b.Hardware(b.Cells.First(c => !c.IsOutputConnected), "edgetpu_latency")));
        Assert.Throws<ArgumentException>(() => b.Hardware(b.CellAt(0), "pixel9_latency"));
    }

    [Fact]
    public void A_twelve_epoch_signal_can_be_judged_by_the_200_epoch_outcome()
    {
        var b = TestData.Nb201;
        var cell = b.CellAt(6111);
        var e = new Nb201TabularEvaluator(b) { OutcomeEpochs = 200 }.Evaluate(cell, new NasKit.Estimation.Fidelity(Epochs: 12));
        Assert.Equal(b.ValidAccuracy(cell, Nb201Dataset.Cifar10, 12), e["valid_acc"]);
        Assert.Equal(b.TestAccuracy(cell, Nb201Dataset.Cifar10, 200), e["test_acc"]);
        Assert.NotEqual(b.TestAccuracy(cell, Nb201Dataset.Cifar10, 12), e["test_acc"]);
    }

    private static string CopyData(Action<string> corrupt)
    {
        var root = Path.Combine(Path.GetTempPath(), "naskit-data-" + Guid.NewGuid().ToString("N"));
        var source = new DataLocator(DataLocator.Default.Roots.ToArray());
        foreach (var f in new[] { Nb201Benchmark.Acc200File, Nb201Benchmark.Acc12File, Nb201Benchmark.HardwareFile(Nb201Dataset.Cifar10) })
        {
            var target = Path.Combine(root, f);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source.Find(f), target);
            File.SetAttributes(target, FileAttributes.Normal);
        }
        corrupt(root);
        return root;
    }

    [Fact]
    public void A_missing_file_says_which_file_and_how_to_get_it()
    {
        var root = CopyData(r => File.Delete(Path.Combine(r, Nb201Benchmark.Acc12File)));
        var e = Assert.Throws<DataNotFoundException>(() => Nb201Benchmark.Load(new DataLocator(root)));
        Assert.Contains("nasbench201/nb201_acc_12ep.csv", e.Message);
        Assert.Contains("NASKIT_DATA", e.Message);
        Assert.Contains("datasets/README.md", e.Message);
    }

    [Fact]
    public void A_truncated_file_is_refused_with_its_row_count()
    {
        var root = CopyData(r =>
        {
            var p = Path.Combine(r, Nb201Benchmark.Acc200File);
            File.WriteAllLines(p, File.ReadAllLines(p).Take(5000));
        });
        var e = Assert.Throws<BenchmarkDataException>(() => Nb201Benchmark.Load(new DataLocator(root)));
        Assert.Contains("4999 data rows, expected 15625", e.Message);
    }

    [Fact]
    public void A_corrupt_value_names_row_and_column()
    {
        var root = CopyData(r =>
        {
            var p = Path.Combine(r, Nb201Benchmark.Acc200File);
            var lines = File.ReadAllLines(p);
            var cells = lines[101].Split(',');
            cells[4] = "9x.1";
            lines[101] = string.Join(',', cells);
            File.WriteAllLines(p, lines);
        });
        var e = Assert.Throws<BenchmarkDataException>(() => Nb201Benchmark.Load(new DataLocator(root)));
        Assert.Contains("row 100", e.Message);
        Assert.Contains("cifar10_oritest", e.Message);
        Assert.Contains("'9x.1'", e.Message);
    }

    /// <summary>Values a table can hold but no benchmark can mean: each fails the load naming file, row, column and value.</summary>
    [Theory]
    [InlineData("nasbench201/nb201_acc_200ep.csv", "cifar10_oritest", "150", "is not an accuracy in [0, 100]")]
    [InlineData("nasbench201/nb201_acc_12ep.csv", "cifar100_xvalid", "-3.5", "is not an accuracy in [0, 100]")]
    [InlineData("nasbench201/nb201_acc_200ep.csv", "cifar10_valid_xvalid", "NaN", "is not a finite number")]
    [InlineData("nasbench201/nb201_acc_200ep.csv", "cifar10_params_mb", "-0.2", "is negative")]
    [InlineData("hw-nas-bench-nb201/hwnasbench_nb201_cifar10.csv", "pixel3_latency", "-6.29", "is negative")]
    public void Values_out_of_range_are_refused_on_load(string file, string column, string value, string problem)
    {
        var root = CopyData(r =>
        {
            var p = Path.Combine(r, file);
            var lines = File.ReadAllLines(p);
            int k = Array.IndexOf(lines[0].Split(','), column);
            var cells = lines[42].Split(',');
            // The HW-NAS-Bench file quotes a tuple with commas inside; count columns from the end there.
            int at = cells.Length == lines[0].Split(',').Length ? k : cells.Length - (lines[0].Split(',').Length - k);
            cells[at] = value;
            lines[42] = string.Join(',', cells);
            File.WriteAllLines(p, lines);
        });
        var e = Assert.Throws<BenchmarkDataException>(() =>
        {
            var b = Nb201Benchmark.Load(new DataLocator(root));
            b.Hardware(b.CellAt(0), "pixel3_latency");
        });
        Assert.Contains(Path.GetFileName(file), e.Message);
        Assert.Contains("row 41", e.Message);
        Assert.Contains(column, e.Message);
        Assert.Contains($"{value} {problem}", e.Message);
    }

    [Fact]
    public void Shuffled_rows_are_refused()
    {
        var root = CopyData(r =>
        {
            var p = Path.Combine(r, Nb201Benchmark.Acc12File);
            var lines = File.ReadAllLines(p);
            (lines[10], lines[11]) = (lines[11], lines[10]);
            File.WriteAllLines(p, lines);
        });
        var e = Assert.Throws<BenchmarkDataException>(() => Nb201Benchmark.Load(new DataLocator(root)));
        Assert.Contains("index order", e.Message);
    }
}
