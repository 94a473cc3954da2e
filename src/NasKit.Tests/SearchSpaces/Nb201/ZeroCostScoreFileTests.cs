using NasKit.Benchmarks;
using NasKit.SearchSpaces.Nb201;

namespace NasKit.Tests.SearchSpaces.Nb201;

public class ZeroCostScoreFileTests
{
    private static readonly Dictionary<string, string> Settings = new() { ["seed"] = "0", ["batch"] = "64" };

    private static ZeroCostRow Row(int index, double score) => new(index, TestData.Nb201.CellAt(index), TestData.Nb201.TestAccuracy(TestData.Nb201.CellAt(index)),
        new Dictionary<string, double> { ["synflow"] = score, ["jacob_cov"] = double.NaN }, new Dictionary<string, double> { ["synflow"] = 0.5, ["jacob_cov"] = 0.25 });

    [Fact]
    public void Rows_survive_a_reopen_and_a_half_written_last_line_is_dropped()
    {
        using var temp = new TempFolder("naskit-zcfile-");
        var path = Path.Combine(temp.Path, "scores.csv");
        using (var file = new ZeroCostScoreFile(path, ["synflow", "jacob_cov"], Settings, TestData.Nb201))
        {
            file.Append(Row(5, 1.5e30));
            file.Append(Row(9, 2.25));
        }
        File.AppendAllText(path, "17,\"|nor_conv"); // a run killed mid-write
        using var reopened = new ZeroCostScoreFile(path, ["synflow", "jacob_cov"], Settings, TestData.Nb201);
        Assert.Equal([5, 9], reopened.Existing.Keys.Order());
        Assert.Equal(1.5e30, reopened.Existing[5].Scores["synflow"]);
        Assert.True(double.IsNaN(reopened.Existing[9].Scores["jacob_cov"]));
        Assert.Equal(TestData.Nb201.CellAt(9), reopened.Existing[9].Cell);
    }

    [Fact]
    public void Other_settings_or_a_foreign_file_are_refused()
    {
        using var temp = new TempFolder("naskit-zcfile-");
        var dir = temp.Path;
        var path = Path.Combine(dir, "scores.csv");
        using (var file = new ZeroCostScoreFile(path, ["synflow", "jacob_cov"], Settings, TestData.Nb201)) file.Append(Row(5, 1));
        var e = Assert.Throws<IOException>(() => new ZeroCostScoreFile(path, ["synflow", "jacob_cov"], new Dictionary<string, string> { ["seed"] = "1", ["batch"] = "64" }, TestData.Nb201));
        Assert.Contains("other settings (seed=0)", e.Message);
        var foreign = Path.Combine(dir, "other.csv");
        File.WriteAllText(foreign, "a,b\n1,2\n");
        Assert.Contains("it is not a zero-cost score file", Assert.Throws<IOException>(() => new ZeroCostScoreFile(foreign, ["synflow"], Settings, TestData.Nb201)).Message);
        File.WriteAllText(path, "nb201_index,arch_str,test_acc,synflow\n5,\"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|\",10,1\n");
        Assert.Contains("but the benchmark has", Assert.Throws<BenchmarkDataException>(() => ZeroCostScoreFile.Read(path, TestData.Nb201)).Message);
    }
}
