using Microsoft.Data.Sqlite;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces.Nb201;
using NasKit.Strategies;

namespace NasKit.Tests.Experiments;

public class KillAndResumeTests
{
    private static long CountTrials(string db)
    {
        if (!File.Exists(db)) return 0;
        try
        {
            using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM trials";
            return (long)cmd.ExecuteScalar()!;
        }
        catch (SqliteException) { return 0; } // not created yet
    }

    [Fact]
    public void A_study_process_killed_partway_resumes_with_no_trial_lost_or_duplicated()
    {
        const int queries = 60;
        var db = Path.Combine(Path.GetTempPath(), $"naskit-kill-{Guid.NewGuid():N}.db");
        string[] args = ["study", "run", "--storage", db, "--study", "killed", "--strategy", "random",
                         "--queries", $"{queries}", "--seed", "13", "--eval-delay-ms", "60"];

        using (var p = CliRunner.Start(args))
        {
            p.StandardOutput.ReadToEndAsync();
            p.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (CountTrials(db) < 20 && DateTime.UtcNow < deadline && !p.HasExited) Thread.Sleep(20);
            Assert.False(p.HasExited, "the study finished before it could be killed");
            p.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            p.WaitForExit();
        }
        long atKill = CountTrials(db);
        Assert.InRange(atKill, 20, queries - 1);

        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains($"{queries} trials ({atKill} resumed)", stdout);

        using var store = new SqliteTrialStore(db);
        var trials = store.Trials("killed");
        Assert.Equal(Enumerable.Range(0, queries), trials.Select(t => t.Number));          // none lost
        Assert.Equal(queries, trials.Select(t => t.Architecture).Distinct().Count());        // none duplicated

        // And the history is exactly what an uninterrupted run with the same seed produces.
        var bench = TestData.Nb201;
        var reference = new Study<Nb201Cell>(new StudySpec("ref", "nb201", "random", 13), bench.Space, new TabularEvaluator(bench),
            Budget.OfQueries(queries), new InMemoryTrialStore(), new Fidelity(Epochs: 200)).Run(new RandomSearch<Nb201Cell>(bench.Space, 13));
        Assert.Equal(reference.Trials.Select(t => t.Architecture.ToText()), trials.Select(t => t.Architecture));
    }
}
