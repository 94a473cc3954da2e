using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace NasKit.Execution;

/// <summary>
/// The queue in one SQLite file, for the coordinator and workers of one machine (threads of <c>--parallel N</c>,
/// or several <c>naskit worker</c> processes). WAL lets readers run beside the one writer; every write is an
/// immediate transaction, and a busy database is waited for (busy timeout, then retried with backoff), so no write
/// is lost. SQLite's locks do not work over network file systems: workers on other machines need PostgreSQL.
/// </summary>
public sealed class SqliteTrialQueue : SqlTrialQueue
{
    private readonly string _connectionString;
    public string Path { get; }
    public override string Location => $"SQLite {Path}";

    /// <param name="readOnly">Open an existing store for reading only (<c>study show</c>, <c>study watch</c>): nothing is
    /// created for a mistyped path, nothing is migrated, and a read-only file can be read.</param>
    public SqliteTrialQueue(string path, Action<string>? log = null, bool readOnly = false)
    {
        Path = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(Path);
        if (readOnly && !File.Exists(Path)) throw new StoreUnavailableException($"No study store at '{Path}'; check the path.");
        if (!readOnly && !string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path, DefaultTimeout = 30, Pooling = true, Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        }.ToString();
        Log = log;
        try
        {
            if (readOnly) CheckSchema();
            else
            {
                using (var c = OpenConnection()) Exec(c, null, "PRAGMA journal_mode=WAL");
                Migrate();
            }
        }
        catch (SqliteException e)
        {
            throw new StoreUnavailableException($"Cannot use '{Path}' as a NasKit study store: {e.Message}. " +
                                                "If the file is not a NasKit SQLite store (or is corrupt), choose another file.", e);
        }
    }

    protected override DbConnection OpenConnection()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        // SQLite's own busy handler waits in steps of a millisecond or so; without it Microsoft.Data.Sqlite retries a busy
        // database after sleeping 150 ms, which made every contended write cost tens of milliseconds.
        Exec(c, null, "PRAGMA busy_timeout = 30000");
        return c;
    }

    protected override string Now => "((julianday('now') - 2440587.5) * 86400.0)";
    protected override string SkipLocked => ""; // one writer at a time: the immediate transaction already excludes others
    protected override bool IsTransient(Exception e) => e is SqliteException { SqliteErrorCode: 5 or 6 }; // BUSY, LOCKED
    protected override void LockForMigration(DbConnection c, DbTransaction tx) { } // BEGIN IMMEDIATE holds the write lock

    public override void WaitFor(QueueSignal signal, string study, TimeSpan timeout) =>
        Thread.Sleep(timeout < TimeSpan.FromMilliseconds(5) ? timeout : TimeSpan.FromMilliseconds(5));

    public override void Dispose() => SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
}
