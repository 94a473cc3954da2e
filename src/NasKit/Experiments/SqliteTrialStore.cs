using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NasKit.Estimation;

namespace NasKit.Experiments;

/// <summary>
/// The embedded default store: one SQLite file, in WAL mode with a busy timeout. Each trial is committed in
/// its own transaction, so a process killed at any moment leaves every finished trial recorded and no
/// partial one. <see cref="Append"/> checks the trial number inside a write transaction, which also turns a
/// second writer on the same study into a clear error instead of duplicated or interleaved trials.
/// </summary>
public sealed class SqliteTrialStore : ITrialStore
{
    /// <summary>Bumped when the schema changes; a file from a newer NasKit is refused rather than misread.</summary>
    public const int SchemaVersion = 1;

    private readonly SqliteConnection _db;
    public string Path { get; }

    public SqliteTrialStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        try
        {
            _db.Open();
            Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;");
            Migrate();
        }
        catch (SqliteException e)
        {
            _db.Dispose();
            throw new IOException($"Cannot use '{Path}' as a NasKit study store: {e.Message}. " +
                                  "If the file is not a NasKit SQLite store (or is corrupt), choose another --storage path.", e);
        }
    }

    private void Migrate()
    {
        using var tx = _db.BeginTransaction();
        Execute("CREATE TABLE IF NOT EXISTS naskit_schema(version INTEGER NOT NULL)", tx);
        var current = Scalar("SELECT MAX(version) FROM naskit_schema", tx);
        int version = current is long v ? (int)v : 0;
        if (version > SchemaVersion)
            throw new StudyConflictException($"'{Path}' was written by a newer NasKit (schema {version}, this one knows {SchemaVersion}). Upgrade NasKit to read it.");
        if (version < 1)
        {
            Execute("""
                CREATE TABLE studies(
                    name TEXT PRIMARY KEY, space TEXT NOT NULL, strategy TEXT NOT NULL, seed INTEGER NOT NULL,
                    configuration TEXT NOT NULL, created TEXT NOT NULL);
                CREATE TABLE trials(
                    study TEXT NOT NULL REFERENCES studies(name), number INTEGER NOT NULL,
                    architecture TEXT NOT NULL, fidelity TEXT NOT NULL, metrics TEXT NOT NULL,
                    cost_seconds REAL NOT NULL, failed INTEGER NOT NULL, reason TEXT,
                    wall_seconds REAL NOT NULL, finished TEXT NOT NULL,
                    PRIMARY KEY(study, number));
                INSERT INTO naskit_schema(version) VALUES (1);
                """, tx);
        }
        tx.Commit();
    }

    public void Open(StudySpec spec)
    {
        using var tx = _db.BeginTransaction(deferred: false);
        using (var cmd = Command("SELECT space, strategy, seed, configuration FROM studies WHERE name = $n", tx))
        {
            cmd.Parameters.AddWithValue("$n", spec.Name);
            using var r = cmd.ExecuteReader();
            if (r.Read())
            {
                var stored = new StudySpec(spec.Name, r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3));
                if (stored != spec) throw StudySpecs.Mismatch(stored, spec);
                return;
            }
        }
        using (var cmd = Command("INSERT INTO studies VALUES ($n, $sp, $st, $seed, $c, $t)", tx))
        {
            cmd.Parameters.AddWithValue("$n", spec.Name);
            cmd.Parameters.AddWithValue("$sp", spec.Space);
            cmd.Parameters.AddWithValue("$st", spec.Strategy);
            cmd.Parameters.AddWithValue("$seed", spec.Seed);
            cmd.Parameters.AddWithValue("$c", spec.Configuration);
            cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O"));
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    public IReadOnlyList<TrialRecord> Trials(string study)
    {
        using var cmd = Command("SELECT number, architecture, fidelity, metrics, cost_seconds, failed, reason, wall_seconds, finished " +
                                "FROM trials WHERE study = $s ORDER BY number");
        cmd.Parameters.AddWithValue("$s", study);
        using var r = cmd.ExecuteReader();
        var list = new List<TrialRecord>();
        while (r.Read())
        {
            var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(3), JsonOptions)!;
            var evaluation = new Evaluation(metrics, r.GetDouble(4), r.GetInt64(5) != 0, r.IsDBNull(6) ? null : r.GetString(6));
            list.Add(new TrialRecord(r.GetInt32(0), r.GetString(1), JsonSerializer.Deserialize<Fidelity>(r.GetString(2), JsonOptions)!,
                evaluation, r.GetDouble(7), DateTimeOffset.Parse(r.GetString(8), CultureInfo.InvariantCulture)));
        }
        return list;
    }

    public void Append(string study, TrialRecord trial)
    {
        using var tx = _db.BeginTransaction(deferred: false); // takes the write lock now
        var count = (long)Scalar("SELECT COUNT(*) FROM trials WHERE study = $s", tx, ("$s", study))!;
        if (trial.Number != count) throw StudySpecs.OutOfOrder(study, trial.Number, (int)count);
        using var cmd = Command("INSERT INTO trials VALUES ($s, $n, $a, $f, $m, $c, $failed, $r, $w, $t)", tx);
        cmd.Parameters.AddWithValue("$s", study);
        cmd.Parameters.AddWithValue("$n", trial.Number);
        cmd.Parameters.AddWithValue("$a", trial.Architecture);
        cmd.Parameters.AddWithValue("$f", JsonSerializer.Serialize(trial.Fidelity, JsonOptions));
        cmd.Parameters.AddWithValue("$m", JsonSerializer.Serialize(trial.Evaluation.Metrics, JsonOptions));
        cmd.Parameters.AddWithValue("$c", trial.Evaluation.CostSeconds);
        cmd.Parameters.AddWithValue("$failed", trial.Evaluation.Failed ? 1 : 0);
        cmd.Parameters.AddWithValue("$r", (object?)trial.Evaluation.Reason ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$w", trial.WallSeconds);
        cmd.Parameters.AddWithValue("$t", trial.Finished.ToString("O"));
        cmd.ExecuteNonQuery();
        tx.Commit();
    }

    public IReadOnlyList<StudySpec> Studies()
    {
        using var cmd = Command("SELECT name, space, strategy, seed, configuration FROM studies ORDER BY created");
        using var r = cmd.ExecuteReader();
        var list = new List<StudySpec>();
        while (r.Read()) list.Add(new StudySpec(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4)));
        return list;
    }

    // NaN and infinities are legitimate metric values (an unmeasured latency, a diverged loss).
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private void Execute(string sql, SqliteTransaction? tx = null)
    {
        using var cmd = Command(sql, tx);
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql, SqliteTransaction? tx = null, params (string Name, object Value)[] args)
    {
        using var cmd = Command(sql, tx);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        var result = cmd.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    public void Dispose() => _db.Dispose();
}
