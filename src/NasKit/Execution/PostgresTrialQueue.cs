using System.Data.Common;
using Npgsql;

namespace NasKit.Execution;

/// <summary>
/// The queue on PostgreSQL, for workers on many machines. Claims take rows with <c>FOR UPDATE SKIP LOCKED</c>, so
/// workers never wait on each other; changes are announced with <c>NOTIFY</c>, so idle workers and the coordinator
/// wake at once instead of polling. Several studies share one database.
/// </summary>
public sealed class PostgresTrialQueue : SqlTrialQueue
{
    private static string Channel(QueueSignal s) => s == QueueSignal.Work ? "naskit_work" : "naskit_results";
    private QueueSignal? _listening;
    private readonly NpgsqlDataSource _source, _listenSource;
    private NpgsqlConnection? _listener;
    private readonly object _listenGate = new();
    public override string Location { get; }

    /// <param name="connectionString">Npgsql keywords (<c>Host=…;Username=…;Password=…;Database=…</c>) or a <c>postgresql://</c> URI.</param>
    public PostgresTrialQueue(string connectionString, TimeSpan? connectRetry = null, Action<string>? log = null)
    {
        NpgsqlConnectionStringBuilder builder;
        try { builder = new NpgsqlConnectionStringBuilder(FromUri(connectionString)); }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new StoreUnavailableException($"Not a PostgreSQL connection string: {e.Message} " +
                                                "Expected e.g. 'Host=db.example;Username=naskit;Password=…;Database=naskit' or 'postgresql://naskit:…@db.example/naskit'.", e);
        }
        builder.Timeout = builder.Timeout == 15 ? 5 : builder.Timeout; // a dead host fails within seconds, then backs off
        // The queue runs the same few statements for every trial: prepared once per connection, and pooled connections
        // skip the reset (NasKit changes no session state on them). Measured: 6-7 ms of overhead per trial down to 4 ms.
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 32;
        builder.NoResetOnClose = true;
        // The listener keeps LISTEN on its connection, so it never goes back to the pool.
        _listenSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false });
        Location = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);
        Log = log;
        try
        {
            // Starting against a server that is coming up is normal on a cluster; a wrong address is not, so wait briefly.
            var window = RetryWindow;
            RetryWindow = connectRetry ?? TimeSpan.FromSeconds(10);
            try { Migrate(); } finally { RetryWindow = window; }
        }
        catch (PostgresException e) { Dispose(); throw Explain(e); }
        catch (StoreUnavailableException e) when (e.InnerException is PostgresException p) { Dispose(); throw Explain(p); }
        catch (StoreUnavailableException e) when (e.InnerException is NpgsqlException { InnerException: var inner })
        {
            Dispose();
            throw new StoreUnavailableException($"Cannot reach {Location}: {inner?.Message ?? e.InnerException.Message}. " +
                                                "Check host and port in the connection string, and that the server accepts TCP connections from this machine.", e);
        }
        catch { Dispose(); throw; }
    }

    private StoreUnavailableException Explain(PostgresException e) => e.SqlState switch
    {
        "28P01" or "28000" => new($"{Location} refused the login: {e.MessageText}. Check Username and Password in the connection string.", e),
        "3D000" => new($"{Location}: {e.MessageText}. Create it (createdb) or name an existing database in the connection string.", e),
        "42501" => new($"{Location}: {e.MessageText}. The user needs CREATE on the database the first time (NasKit creates its tables).", e),
        _ => new($"{Location}: {e.MessageText} (SQLSTATE {e.SqlState}).", e),
    };

    /// <summary>Turns <c>postgresql://user:pass@host:port/db?k=v</c> into Npgsql keywords; other strings pass through.</summary>
    internal static string FromUri(string s)
    {
        if (!s.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !s.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)) return s;
        var uri = new Uri(s);
        var b = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        var user = uri.UserInfo.Split(':', 2);
        if (user[0].Length > 0) b.Username = Uri.UnescapeDataString(user[0]);
        if (user.Length > 1) b.Password = Uri.UnescapeDataString(user[1]);
        if (uri.AbsolutePath.Trim('/') is { Length: > 0 } db) b.Database = Uri.UnescapeDataString(db);
        foreach (var kv in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = kv.Split('=', 2);
            b[Uri.UnescapeDataString(p[0])] = p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "";
        }
        return b.ConnectionString;
    }

    protected override DbConnection OpenConnection() => _source.OpenConnection();
    protected override string Now => "extract(epoch from clock_timestamp())::double precision";
    protected override string SkipLocked => "FOR UPDATE SKIP LOCKED";

    protected override bool IsTransient(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("57P") || p.SqlState.StartsWith("08") || p.SqlState.StartsWith("53") ||
                               p.SqlState is "40001" or "40P01",
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        InvalidOperationException { InnerException: NpgsqlException } => true,
        _ => false,
    };

    protected override void OnTransientFailure() => _source.Clear();

    protected override void LockForMigration(DbConnection c, DbTransaction tx) =>
        Exec(c, tx, "SELECT pg_advisory_xact_lock(7212201)");

    protected override string NotifySql(QueueSignal signal) => $"SELECT pg_notify('{Channel(signal)}', @s)";

    // Trials announce their own changes, inside the writing transaction and without a round trip of their own.
    protected override bool AnnouncesTrialChanges => true;

    protected override string DialectMigration(int version) => version != 1 ? "" :
        "CREATE FUNCTION naskit_announce() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN " +
        $"IF NEW.state = 'queued' THEN PERFORM pg_notify('{Channel(QueueSignal.Work)}', NEW.study); END IF; " +
        $"IF NEW.state IN ('done', 'failed') THEN PERFORM pg_notify('{Channel(QueueSignal.Results)}', NEW.study); END IF; " +
        "RETURN NULL; END $fn$; " +
        "CREATE TRIGGER naskit_trials_announce AFTER INSERT OR UPDATE OF state ON naskit_trials FOR EACH ROW EXECUTE FUNCTION naskit_announce();";

    public override void WaitFor(QueueSignal signal, string study, TimeSpan timeout)
    {
        lock (_listenGate)
        {
            try
            {
                if (_listener is null || _listening != signal)
                {
                    _listener?.Dispose();
                    _listener = _listenSource.OpenConnection();
                    using var cmd = new NpgsqlCommand($"LISTEN {Channel(signal)}", _listener);
                    cmd.ExecuteNonQuery();
                    _listening = signal;
                }
                _listener.Wait(timeout);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
                // The server went away; the next operation retries with backoff, and the next wait listens anew.
                _listener?.Dispose();
                _listener = null;
                Thread.Sleep(timeout);
            }
        }
    }

    public override void Dispose()
    {
        lock (_listenGate) { _listener?.Dispose(); _listener = null; }
        _listenSource.Dispose();
        _source.Dispose();
    }
}
