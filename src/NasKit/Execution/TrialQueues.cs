namespace NasKit.Execution;

/// <summary>Opens the queue a <c>--storage</c> value names: a PostgreSQL connection string or URI, or an SQLite file path.</summary>
public static class TrialQueues
{
    public static bool IsPostgres(string storage) =>
        storage.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        storage.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
        storage.Contains("Host=", StringComparison.OrdinalIgnoreCase) || storage.Contains("Server=", StringComparison.OrdinalIgnoreCase);

    public static SqlTrialQueue Open(string storage, Action<string>? log = null) =>
        IsPostgres(storage) ? new PostgresTrialQueue(storage, log: log) : new SqliteTrialQueue(storage, log);
}
