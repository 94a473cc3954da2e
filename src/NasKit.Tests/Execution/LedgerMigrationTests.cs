using Microsoft.Data.Sqlite;
using Npgsql;
using NasKit.Execution;

namespace NasKit.Tests.Execution;

/// <summary>
/// Studies written by the NasKit before ledger schema 2 (Fixtures/README.md says how they were made) still open: the
/// migration adds proposal ids, curves, intermediate results and evaluator descriptors, and the old studies resume.
/// </summary>
public class LedgerMigrationTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(TestDatabases.RepoRoot, "src", "NasKit.Tests", "Execution", "Fixtures", name));

    public static string OldSqlite()
    {
        var path = TestDatabases.NewSqlite();
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = Fixture("ledger-v1.sqlite.sql");
        cmd.ExecuteNonQuery();
        return path;
    }

    public static string OldPostgres()
    {
        string schema = $"v1_{Guid.NewGuid():N}";
        using (var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabases.PostgresServer) { Pooling = false }.ConnectionString))
        {
            c.Open();
            using var cmd = new NpgsqlCommand(Fixture("ledger-v1.postgres.sql").Replace("{schema}", schema), c);
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(TestDatabases.PostgresServer) { SearchPath = schema }.ConnectionString;
    }

    [Theory, InlineData("sqlite"), InlineData("postgres")]
    public void A_ledger_of_schema_1_opens_migrated_and_its_study_resumes(string backend)
    {
        var storage = backend == "sqlite" ? OldSqlite() : OldPostgres();
        using (var q = TestDatabases.OpenSql(storage))
        {
            var spec = q.Find("old-rea")!;
            Assert.Equal(("nb201", "rea", 3, "benchmark=nb201, epochs=200, queries=12", "nb201"), (spec.Space, spec.Strategy, spec.Seed, spec.Configuration, spec.Evaluator));
            var ledger = q.Ledger("old-rea");
            Assert.Equal(12, ledger.Count);
            Assert.All(ledger, t => Assert.Equal((TrialState.Done, (int?)null), (t.State, t.Proposal)));
            Assert.Equal(TestData.Nb201.ValidAccuracy(NasKit.SearchSpaces.Nb201.Nb201Cell.Parse(ledger[5].Architecture)), ledger[5].Evaluation!["valid_acc"], 10);
            Assert.Empty(q.Intermediate("old-rea", 0));
        }
        // The same command resumes it: every trial replays through a fresh strategy, nothing is asked again.
        var (code, stdout, stderr) = CliRunner.Run("study", "run", "--storage", storage, "--study", "old-rea", "--strategy", "rea", "--queries", "12", "--seed", "3");
        Assert.True(code == 0, stderr);
        Assert.Contains("12 trials asked (12 replayed), stopped: budget", stdout);
    }
}
