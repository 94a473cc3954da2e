using System.Data.Common;

namespace NasKit.Execution;

/// <summary>
/// Opens the queue a storage text names, in the forms users type: an SQLite file path, <c>sqlite:///path</c> (as
/// SQLAlchemy and Optuna write it), an SQLite connection string <c>Data Source=path</c>, or a PostgreSQL connection
/// string (<c>Host=…;Username=…</c>) or URL (<c>postgresql://…</c>). Anything else is refused instead of becoming an
/// oddly named file in the current folder.
/// </summary>
public static class TrialQueues
{
    private const string Forms = "give a file path, sqlite:///path, 'Data Source=path', a PostgreSQL connection string ('Host=…;Username=…;Password=…;Database=…') " +
                                 "or a postgresql:// URL";

    /// <summary>Whether the storage names PostgreSQL (true) or an SQLite file (false, with its path); refuses what it cannot read.</summary>
    public static (bool Postgres, string Target) Parse(string storage)
    {
        var s = storage.Trim();
        if (s.Length == 0) throw new ArgumentException($"The storage is empty; {Forms}.");
        if (s.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)) return (true, s);
        if (s.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase))
        {
            var path = s["sqlite:///".Length..];
            return path.Length > 0 ? (false, path) : throw new ArgumentException($"Storage '{storage}' names no file after sqlite:///.");
        }
        int scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && s[..scheme].All(char.IsLetterOrDigit))
            throw new ArgumentException($"Storage '{storage}': the scheme '{s[..scheme]}' is not one NasKit stores studies in; {Forms}.");
        if (s.Contains('='))
        {
            DbConnectionStringBuilder keys;
            try { keys = new DbConnectionStringBuilder { ConnectionString = s }; }
            catch (ArgumentException e) { throw new ArgumentException($"Storage '{storage}' is not a connection string ({e.Message}); {Forms}."); }
            bool Has(params string[] names) => names.Any(keys.ContainsKey);
            if (Has("host", "server")) return (true, s);
            if (Has("data source", "datasource", "filename")) return (false, Convert.ToString(keys[new[] { "data source", "datasource", "filename" }.First(keys.ContainsKey)])!);
            throw new ArgumentException($"Storage '{storage}' is a connection string naming neither a PostgreSQL host nor an SQLite data source; {Forms}.");
        }
        if (s.Contains(';')) throw new ArgumentException($"Storage '{storage}' looks like a broken connection string; {Forms}.");
        return (false, s);
    }

    public static bool IsPostgres(string storage) => Parse(storage).Postgres;

    /// <param name="readOnly">Only read (SQLite: never create a file, never migrate, read read-only files).</param>
    public static SqlTrialQueue Open(string storage, Action<string>? log = null, bool readOnly = false)
    {
        var (postgres, target) = Parse(storage);
        return postgres ? new PostgresTrialQueue(target, log: log) : new SqliteTrialQueue(target, log, readOnly);
    }
}
