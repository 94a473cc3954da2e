using Npgsql;
using NasKit.Execution;

namespace NasKit.Tests.Execution;

/// <summary>
/// The databases the execution tests use: a fresh SQLite file, or a fresh schema in the PostgreSQL server that
/// <c>scripts/postgres.sh start</c> runs on loopback (<c>NASKIT_TEST_POSTGRES</c> overrides the connection string).
/// Tests never skip when the server is missing: they fail and say how to start it.
/// </summary>
public static class TestDatabases
{
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("NASKIT_TEST_POSTGRES") is { Length: > 0 } s ? s
            : "Host=127.0.0.1;Port=5432;Username=naskit;Password=naskit;Database=naskit_test";

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NasKit.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new DirectoryNotFoundException("NasKit.sln not found above the test binaries.");
        }
    }

    /// <summary>A connection string whose tables live in a new, empty schema: every test gets its own database.</summary>
    public static string NewPostgres()
    {
        string schema = $"t_{Guid.NewGuid():N}";
        try
        {
            using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresServer) { Pooling = false }.ConnectionString);
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE SCHEMA {schema}", c);
            cmd.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException($"The PostgreSQL tests need a server at '{PostgresServer}': run 'scripts/postgres.sh start' " +
                                                $"(or set NASKIT_TEST_POSTGRES). {e.Message}", e);
        }
        return new NpgsqlConnectionStringBuilder(PostgresServer) { SearchPath = schema }.ConnectionString;
    }

    public static string NewSqlite() => Path.Combine(Path.GetTempPath(), $"naskit-queue-{Guid.NewGuid():N}.db");

    /// <summary>An in-memory queue, shared by every <see cref="Open"/> of the same name in this process (as a file is).</summary>
    public static string NewMemory() => $"memory:{Guid.NewGuid():N}";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, InMemoryTrialQueue> Memory = new();

    public static string New(string backend) => backend switch
    {
        "postgres" => NewPostgres(),
        "sqlite" => NewSqlite(),
        "memory" => NewMemory(),
        _ => throw new ArgumentException(backend),
    };

    public static ITrialQueue Open(string storage) =>
        storage.StartsWith("memory:", StringComparison.Ordinal) ? Memory.GetOrAdd(storage, _ => new InMemoryTrialQueue()) : TrialQueues.Open(storage);

    public static SqlTrialQueue OpenSql(string storage) => TrialQueues.Open(storage);

    /// <summary>The three backends of the one engine, for theories.</summary>
    public static TheoryData<string> Backends => new("memory", "sqlite", "postgres");
}
