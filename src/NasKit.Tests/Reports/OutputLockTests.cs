using NasKit.Reports;

namespace NasKit.Tests.Reports;

public class OutputLockTests
{
    [Fact]
    public void One_writer_holds_an_output_until_it_closes_it()
    {
        using var temp = new TempFolder("naskit-lock");
        var dir = temp.Path;
        var output = Path.Combine(dir, "trials.csv");
        using (OutputLock.Acquire(output))
        {
            Assert.True(File.Exists(output + ".lock"));
            var e = Assert.Throws<IOException>(() => OutputLock.Acquire(output));
            Assert.Contains($"Another naskit process is writing {output}", e.Message);
            using (OutputLock.Acquire(Path.Combine(dir, "other.csv"))) { } // another output is free
        }
        Assert.False(File.Exists(output + ".lock")); // nothing left behind
        using (OutputLock.Acquire(output)) { }
        // A folder's lock is the same whether the folder exists yet or not.
        var folder = Path.Combine(dir, "checkpoints");
        using (OutputLock.Acquire(folder))
        {
            Directory.CreateDirectory(folder);
            Assert.Throws<IOException>(() => OutputLock.Acquire(folder + "/"));
        }
    }

    [Fact]
    public void A_second_process_writing_the_same_journal_is_refused_and_the_first_keeps_its_rows()
    {
        using var temp = new TempFolder("naskit-lock");
        var dir = temp.Path;
        var search = Path.Combine(dir, "search.csv");
        var proxies = Path.Combine(dir, "proxies.csv");
        File.WriteAllText(proxies, "kept\n");
        // This process plays the first writer of each output: a journal of `search` and one of `proxies`.
        using (OutputLock.Acquire(search))
        using (OutputLock.Acquire(proxies))
        {
            var (code, _, stderr) = CliRunner.Run("search", "--benchmark", "nb201", "--strategy", "random", "--queries", "5", "--runs", "1", "--out", search);
            Assert.Equal(2, code);
            Assert.Contains("Another naskit process is writing", stderr);
            Assert.DoesNotContain("   at ", stderr);
            (code, _, stderr) = CliRunner.Run("proxies", "--sample", "3", "--proxies", "tiny:epochs=1,res=8,data=0.05", "--out", proxies);
            Assert.Equal(2, code);
            Assert.Contains("Another naskit process is writing", stderr);
        }
        Assert.False(File.Exists(search + ".partial.csv")); // the refused writer touched nothing
        Assert.Equal("kept\n", File.ReadAllText(proxies));
    }
}
