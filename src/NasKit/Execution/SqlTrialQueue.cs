using System.Data;
using System.Data.Common;
using System.Text.Json;
using NasKit.Estimation;

namespace NasKit.Execution;

/// <summary>
/// The queue in SQL that PostgreSQL and SQLite share: the same tables, the same statements, and versioned
/// migrations. A subclass supplies connections, the clock expression, how a claim skips rows other workers hold,
/// which errors are transient, and how to wait for a change.
/// </summary>
public abstract class SqlTrialQueue : ITrialQueue
{
    /// <summary>Each migration runs once, in order, in one transaction; the highest applied version is the schema's.</summary>
    internal static readonly (int Version, string Description, string Sql)[] Migrations =
    [
        (1, "studies, trials and workers", """
            CREATE TABLE naskit_studies(
                name TEXT PRIMARY KEY, space TEXT NOT NULL, strategy TEXT NOT NULL, seed INTEGER NOT NULL,
                configuration TEXT NOT NULL, created DOUBLE PRECISION NOT NULL,
                finished INTEGER NOT NULL DEFAULT 0, coordinator TEXT, coordinator_until DOUBLE PRECISION);
            CREATE TABLE naskit_trials(
                study TEXT NOT NULL REFERENCES naskit_studies(name), number INTEGER NOT NULL,
                architecture TEXT NOT NULL, fidelity TEXT NOT NULL, state TEXT NOT NULL,
                ask_event BIGINT NOT NULL, tell_event BIGINT,
                attempts INTEGER NOT NULL DEFAULT 0, worker TEXT, lease_until DOUBLE PRECISION,
                metrics TEXT, cost_seconds DOUBLE PRECISION, failed INTEGER, reason TEXT,
                wall_seconds DOUBLE PRECISION, finished_at DOUBLE PRECISION,
                PRIMARY KEY(study, number));
            CREATE INDEX naskit_trials_open ON naskit_trials(study, state, number);
            CREATE TABLE naskit_workers(
                study TEXT NOT NULL, worker TEXT NOT NULL, state TEXT NOT NULL, trial INTEGER,
                completed INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
                last_seen DOUBLE PRECISION NOT NULL, PRIMARY KEY(study, worker));
            """),
        // Proposals with identity and fidelity, learning curves, evaluators that travel. Studies that 'naskit study run'
        // made before this version evaluated on the NB201 tables: they get that evaluator's descriptor.
        (2, "proposal ids, learning curves, intermediate results, evaluator descriptors", """
            ALTER TABLE naskit_studies ADD COLUMN evaluator TEXT NOT NULL DEFAULT '';
            UPDATE naskit_studies SET evaluator = 'nb201' WHERE space = 'nb201' AND configuration LIKE 'benchmark=nb201%';
            ALTER TABLE naskit_trials ADD COLUMN proposal INTEGER;
            ALTER TABLE naskit_trials ADD COLUMN curves TEXT;
            ALTER TABLE naskit_trials ADD COLUMN stopped_at INTEGER;
            CREATE TABLE naskit_intermediate(
                study TEXT NOT NULL, number INTEGER NOT NULL, attempt INTEGER NOT NULL, step INTEGER NOT NULL,
                metrics TEXT NOT NULL, recorded DOUBLE PRECISION NOT NULL,
                PRIMARY KEY(study, number, attempt, step));
            """),
    ];

    public static int SchemaVersion => Migrations[^1].Version;

    /// <summary>How long an operation keeps retrying a lost database before it gives up.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Receives retry notices (database gone, backing off).</summary>
    public Action<string>? Log { get; set; }

    public abstract string Location { get; }

    protected abstract DbConnection OpenConnection();
    /// <summary>The database's clock in seconds since 1970, as an SQL expression: leases compare against one clock.</summary>
    protected abstract string Now { get; }
    /// <summary>Appended to the claim's row selection (PostgreSQL: FOR UPDATE SKIP LOCKED).</summary>
    protected abstract string SkipLocked { get; }
    protected abstract bool IsTransient(Exception e);
    /// <summary>Serialises concurrent migrators inside the migration transaction.</summary>
    protected abstract void LockForMigration(DbConnection c, DbTransaction tx);
    /// <summary>What a database adds to migration <paramref name="version"/> (PostgreSQL: the triggers that announce changes).</summary>
    protected virtual string DialectMigration(int version) => "";
    /// <summary>A statement that wakes waiters for <paramref name="signal"/> (parameter @s is the study), or "" when the database announces changes itself or waiters poll.</summary>
    protected virtual string NotifySql(QueueSignal signal) => "";
    /// <summary>True when a trigger announces every trial change, so statements on trials need no notify of their own.</summary>
    protected virtual bool AnnouncesTrialChanges => false;
    public abstract void WaitFor(QueueSignal signal, string study, TimeSpan timeout);

    private void Notify(DbConnection c, DbTransaction? tx, QueueSignal signal, string study)
    {
        if (NotifySql(signal) is { Length: > 0 } sql) Exec(c, tx, sql, ("s", study));
    }

    protected void Migrate()
    {
        Retry("migrate the schema", c =>
        {
            using var tx = c.BeginTransaction();
            LockForMigration(c, tx);
            Exec(c, tx, "CREATE TABLE IF NOT EXISTS naskit_migrations(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied DOUBLE PRECISION NOT NULL)");
            var applied = Convert.ToInt32(Scalar(c, tx, "SELECT COALESCE(MAX(version), 0) FROM naskit_migrations") ?? 0);
            if (applied > SchemaVersion)
                throw new StoreUnavailableException($"{Location} holds a NasKit schema of version {applied}, newer than this NasKit's {SchemaVersion}. " +
                                                    "Upgrade NasKit on this machine (every worker and the coordinator must run the same version).");
            foreach (var (version, description, sql) in Migrations.Where(m => m.Version > applied))
            {
                Exec(c, tx, sql);
                if (DialectMigration(version) is { Length: > 0 } extra) Exec(c, tx, extra);
                Exec(c, tx, $"INSERT INTO naskit_migrations(version, description, applied) VALUES (@v, @d, {Now})", ("v", version), ("d", description));
            }
            tx.Commit();
            return 0;
        });
    }

    /// <summary>For read-only use: the schema must be this NasKit's, since nothing can be migrated.</summary>
    protected void CheckSchema() => Retry("read the schema version", c =>
    {
        int version;
        try { version = Convert.ToInt32(Scalar(c, null, "SELECT COALESCE(MAX(version), 0) FROM naskit_migrations") ?? 0); }
        catch (DbException e) when (!IsTransient(e))
        {
            throw new StoreUnavailableException($"{Location} is not a NasKit study store ({FirstLine(e.Message)}).", e);
        }
        if (version > SchemaVersion)
            throw new StoreUnavailableException($"{Location} holds a NasKit schema of version {version}, newer than this NasKit's {SchemaVersion}. Upgrade NasKit to read it.");
        if (version < SchemaVersion)
            throw new StoreUnavailableException($"{Location} was written by an older NasKit (schema {version}); open it once for writing (e.g. 'naskit study run' " +
                                                $"with the study's own settings) to migrate it to schema {SchemaVersion}, then read it.");
        return 0;
    });

    public void Open(StudySpec spec) => Retry($"open study '{spec.Name}'", c =>
    {
        using var tx = c.BeginTransaction();
        Exec(c, tx, $"INSERT INTO naskit_studies(name, space, strategy, seed, configuration, evaluator, created) VALUES (@n, @sp, @st, @seed, @c, @ev, {Now}) ON CONFLICT (name) DO NOTHING",
             ("n", spec.Name), ("sp", spec.Space), ("st", spec.Strategy), ("seed", spec.Seed), ("c", spec.Configuration), ("ev", spec.Evaluator));
        var stored = FindIn(c, tx, spec.Name)!;
        tx.Commit();
        if (stored != spec) throw stored.Mismatch(spec);
        return 0;
    });

    public StudySpec? Find(string study) => Retry("read a study", c => FindIn(c, null, study));

    private static StudySpec? FindIn(DbConnection c, DbTransaction? tx, string study)
    {
        using var r = Reader(c, tx, "SELECT space, strategy, seed, configuration, evaluator FROM naskit_studies WHERE name = @n", ("n", study));
        return r.Read() ? new StudySpec(study, r.GetString(0), r.GetString(1), Convert.ToInt32(r.GetValue(2)), r.GetString(3), r.GetString(4)) : null;
    }

    public IReadOnlyList<StudySpec> Studies() => Retry("list studies", c =>
    {
        using var r = Reader(c, null, "SELECT name, space, strategy, seed, configuration, evaluator FROM naskit_studies ORDER BY created, name");
        var list = new List<StudySpec>();
        while (r.Read()) list.Add(new StudySpec(r.GetString(0), r.GetString(1), r.GetString(2), Convert.ToInt32(r.GetValue(3)), r.GetString(4), r.GetString(5)));
        return list;
    });

    public StudyProgress Progress(string study) => Retry("read progress", c =>
    {
        int queued = 0, running = 0, done = 0, failed = 0;
        using (var r = Reader(c, null, "SELECT state, COUNT(*) FROM naskit_trials WHERE study = @s GROUP BY state", ("s", study)))
            while (r.Read())
            {
                int n = Convert.ToInt32(r.GetValue(1));
                switch (r.GetString(0)) { case "queued": queued = n; break; case "running": running = n; break; case "done": done = n; break; case "failed": failed = n; break; }
            }
        using var s = Reader(c, null, $"SELECT finished, CASE WHEN coordinator_until > {Now} THEN coordinator END FROM naskit_studies WHERE name = @s", ("s", study));
        bool finished = false; string? coordinator = null;
        if (s.Read()) { finished = Convert.ToInt32(s.GetValue(0)) != 0; coordinator = s.IsDBNull(1) ? null : s.GetString(1); }
        return new StudyProgress(queued, running, done, failed, finished, coordinator);
    });

    public bool TryLead(string study, string coordinator, TimeSpan lease) => Retry("take the coordinator lease", c =>
    {
        using var tx = c.BeginTransaction();
        int n = Exec(c, tx, $"UPDATE naskit_studies SET coordinator = @c, coordinator_until = {Now} + @l, finished = 0 " +
                            $"WHERE name = @s AND (coordinator IS NULL OR coordinator = @c OR coordinator_until < {Now})",
                     ("c", coordinator), ("l", lease.TotalSeconds), ("s", study));
        tx.Commit();
        return n == 1;
    });

    public void StepDown(string study, string coordinator, bool finished) => Retry("release the coordinator lease", c =>
    {
        using var tx = c.BeginTransaction();
        Exec(c, tx, "UPDATE naskit_studies SET coordinator = NULL, coordinator_until = NULL, finished = @f WHERE name = @s AND coordinator = @c",
             ("f", finished ? 1 : 0), ("s", study), ("c", coordinator));
        Notify(c, tx, QueueSignal.Work, study); // idle workers check whether the study is finished
        tx.Commit();
        return 0;
    });

    private const string TrialColumns = "number, architecture, fidelity, state, ask_event, tell_event, attempts, worker, metrics, cost_seconds, failed, reason, wall_seconds, proposal, curves, stopped_at";

    public IReadOnlyList<LedgerTrial> Ledger(string study) =>
        Retry("read the ledger", c => ReadTrials(c, $"SELECT {TrialColumns} FROM naskit_trials WHERE study = @s ORDER BY number", study));

    public IReadOnlyList<LedgerTrial> Untold(string study) =>
        Retry("read finished trials", c => ReadTrials(c, $"SELECT {TrialColumns} FROM naskit_trials WHERE study = @s AND tell_event IS NULL " +
                                                        "AND state IN ('done', 'failed') ORDER BY finished_at, number", study));

    private static List<LedgerTrial> ReadTrials(DbConnection c, string sql, string study)
    {
        using var r = Reader(c, null, sql, ("s", study));
        var list = new List<LedgerTrial>();
        while (r.Read())
        {
            var state = Enum.Parse<TrialState>(r.GetString(3), ignoreCase: true);
            Evaluation? evaluation = state switch
            {
                TrialState.Done => new Evaluation(JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(8), Json)!,
                                                  r.GetDouble(9), Convert.ToInt32(r.GetValue(10)) != 0, r.IsDBNull(11) ? null : r.GetString(11))
                {
                    Curves = r.IsDBNull(14) ? null : JsonSerializer.Deserialize<Dictionary<string, double[]>>(r.GetString(14), Json)!
                        .ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value),
                    StoppedAt = r.IsDBNull(15) ? null : Convert.ToInt32(r.GetValue(15)),
                },
                TrialState.Failed => Evaluation.Failure(r.IsDBNull(11) ? "failed" : r.GetString(11)),
                _ => null,
            };
            list.Add(new LedgerTrial(Convert.ToInt32(r.GetValue(0)), r.GetString(1), JsonSerializer.Deserialize<Fidelity>(r.GetString(2), Json)!,
                state, Convert.ToInt64(r.GetValue(4)), r.IsDBNull(5) ? null : Convert.ToInt64(r.GetValue(5)), Convert.ToInt32(r.GetValue(6)),
                r.IsDBNull(7) ? null : r.GetString(7), evaluation, r.IsDBNull(12) ? 0 : r.GetDouble(12), r.IsDBNull(13) ? null : Convert.ToInt32(r.GetValue(13))));
        }
        return list;
    }

    public void Advance(string study, IReadOnlyList<(int Number, long TellEvent)> told, IReadOnlyList<LedgerAsk> asked) => Retry("record asks and tells", c =>
    {
        if (told.Count == 0 && asked.Count == 0) return 0;
        // One command, one transaction, one round trip: the events land together or not at all.
        var sql = new System.Text.StringBuilder();
        var args = new List<(string, object?)> { ("s", study) };
        for (int i = 0; i < told.Count; i++)
        {
            sql.Append($"UPDATE naskit_trials SET tell_event = @te{i} WHERE study = @s AND number = @tn{i} AND (tell_event IS NULL OR tell_event = @te{i});");
            args.Add(($"te{i}", told[i].TellEvent));
            args.Add(($"tn{i}", told[i].Number));
        }
        for (int i = 0; i < asked.Count; i++)
        {
            sql.Append($"INSERT INTO naskit_trials(study, number, architecture, fidelity, state, ask_event, proposal) VALUES (@s, @an{i}, @aa{i}, @af{i}, 'queued', @ae{i}, @ap{i}) " +
                       "ON CONFLICT (study, number) DO NOTHING;");
            args.AddRange([($"an{i}", asked[i].Number), ($"aa{i}", asked[i].Architecture), ($"af{i}", JsonSerializer.Serialize(asked[i].Fidelity, Json)), ($"ae{i}", asked[i].AskEvent),
                           ($"ap{i}", asked[i].Proposal)]);
        }
        if (asked.Count > 0 && !AnnouncesTrialChanges && NotifySql(QueueSignal.Work) is { Length: > 0 } notify) sql.Append(notify).Append(';');
        using var tx = c.BeginTransaction();
        int changed = Exec(c, tx, sql.ToString(), args.ToArray());
        // Every tell updates one row and every ask inserts one. Fewer means some row was there already: a retry after a
        // commit whose answer was lost finds its own rows, while a different row means a second coordinator.
        if (changed < told.Count + asked.Count)
            foreach (var a in asked)
            if (Scalar(c, tx, "SELECT architecture FROM naskit_trials WHERE study = @s AND number = @n AND ask_event = @e",
                       ("s", study), ("n", a.Number), ("e", a.AskEvent)) as string != a.Architecture)
                throw new StudyConflictException($"Study '{study}' already has a different trial {a.Number}: another coordinator is running it. " +
                                                 "Stop the other coordinator; only one may drive a study.");
        tx.Commit();
        return 0;
    });

    public ClaimedTrial? Claim(string study, string worker, TimeSpan lease, int maxAttempts) => Retry("claim a trial", c =>
    {
        // One statement, its own transaction: the hot path of every trial.
        using (var r = Reader(c, null, $"UPDATE naskit_trials SET state = 'running', worker = @w, attempts = attempts + 1, lease_until = {Now} + @l " +
                                       "WHERE study = @s AND number = (SELECT number FROM naskit_trials WHERE study = @s " +
                                       $"AND (state = 'queued' OR (state = 'running' AND lease_until < {Now} AND attempts < @max)) ORDER BY number LIMIT 1 {SkipLocked}) " +
                                       "RETURNING number, architecture, fidelity, attempts",
                                  ("w", worker), ("l", lease.TotalSeconds), ("s", study), ("max", maxAttempts)))
            if (r.Read())
                return new ClaimedTrial(study, Convert.ToInt32(r.GetValue(0)), r.GetString(1),
                                        JsonSerializer.Deserialize<Fidelity>(r.GetString(2), Json)!, Convert.ToInt32(r.GetValue(3)), worker);
        // Nothing to claim. A trial whose workers vanished maxAttempts times is not handed out again (it may be what kills them).
        // Idle workers come here often, so the write happens only when there is such a trial.
        if (Convert.ToInt64(Scalar(c, null, $"SELECT COUNT(*) FROM naskit_trials WHERE study = @s AND state = 'running' AND lease_until < {Now} AND attempts >= @max",
                                   ("s", study), ("max", maxAttempts)) ?? 0) == 0)
            return null;
        using var tx = c.BeginTransaction();
        Exec(c, tx, $"UPDATE naskit_trials SET state = 'failed', worker = NULL, lease_until = NULL, finished_at = {Now}, " +
                    "reason = 'lease expired ' || attempts || ' times: the worker evaluating it vanished (killed, out of memory, or lost its connection)' " +
                    $"WHERE study = @s AND state = 'running' AND lease_until < {Now} AND attempts >= @max",
             ("s", study), ("max", maxAttempts));
        if (!AnnouncesTrialChanges) Notify(c, tx, QueueSignal.Results, study);
        tx.Commit();
        return (ClaimedTrial?)null;
    });

    public bool Heartbeat(ClaimedTrial t, TimeSpan lease) => Retry("heartbeat", c =>
    {
        using var tx = c.BeginTransaction();
        int n = Exec(c, tx, $"UPDATE naskit_trials SET lease_until = {Now} + @l WHERE study = @s AND number = @n AND worker = @w AND attempts = @a AND state = 'running'",
                     ("l", lease.TotalSeconds), ("s", t.Study), ("n", t.Number), ("w", t.Worker), ("a", t.Attempt));
        UpsertWorker(c, tx, t.Study, t.Worker, n == 1 ? "running" : "lost lease");
        tx.Commit();
        return n == 1;
    });

    public bool Report(ClaimedTrial t, IntermediateResult result) => Retry("record an intermediate result", c =>
    {
        // Written only while the worker holds the trial: a worker that lost its lease must not add to the new attempt's curve.
        int n = Exec(c, null, "INSERT INTO naskit_intermediate(study, number, attempt, step, metrics, recorded) " +
                              $"SELECT @s, @n, @a, @step, @m, {Now} WHERE EXISTS (SELECT 1 FROM naskit_trials WHERE study = @s AND number = @n AND worker = @w " +
                              "AND attempts = @a AND state = 'running') ON CONFLICT (study, number, attempt, step) DO UPDATE SET metrics = excluded.metrics",
                     ("s", t.Study), ("n", t.Number), ("a", t.Attempt), ("step", result.Step), ("m", JsonSerializer.Serialize(result.Metrics, Json)), ("w", t.Worker));
        return n == 1;
    });

    public IReadOnlyList<IntermediateResult> Intermediate(string study, int number) => Retry("read intermediate results", c =>
    {
        using var r = Reader(c, null, "SELECT step, metrics FROM naskit_intermediate WHERE study = @s AND number = @n AND attempt = " +
                                      "(SELECT MAX(attempt) FROM naskit_intermediate WHERE study = @s AND number = @n) ORDER BY step", ("s", study), ("n", number));
        var list = new List<IntermediateResult>();
        while (r.Read()) list.Add(new IntermediateResult(Convert.ToInt32(r.GetValue(0)), JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(1), Json)!));
        return list;
    });

    public bool Complete(ClaimedTrial t, Evaluation e, double wallSeconds) => Retry("record a result", c =>
    {
        // One statement in the common case: the worker still holds the trial.
        int n = Exec(c, null, $"UPDATE naskit_trials SET state = 'done', metrics = @m, cost_seconds = @c, failed = @f, reason = @r, wall_seconds = @wall, " +
                              $"curves = @cv, stopped_at = @st, finished_at = {Now}, lease_until = NULL WHERE study = @s AND number = @n AND worker = @w AND attempts = @a AND state = 'running'",
                     ("m", JsonSerializer.Serialize(e.Metrics, Json)), ("c", e.CostSeconds), ("f", e.Failed ? 1 : 0), ("r", e.Reason),
                     ("wall", wallSeconds), ("cv", e.Curves is null ? null : JsonSerializer.Serialize(e.Curves, Json)), ("st", e.StoppedAt),
                     ("s", t.Study), ("n", t.Number), ("w", t.Worker), ("a", t.Attempt));
        if (n == 1) { if (!AnnouncesTrialChanges) Notify(c, null, QueueSignal.Results, t.Study); return true; }
        // A retry whose first commit went through finds its own result; otherwise the lease was lost and the result is discarded.
        bool mine = Convert.ToInt64(Scalar(c, null, "SELECT COUNT(*) FROM naskit_trials WHERE study = @s AND number = @n AND worker = @w AND attempts = @a AND state = 'done'",
                                           ("s", t.Study), ("n", t.Number), ("w", t.Worker), ("a", t.Attempt)) ?? 0) == 1;
        if (!mine) Count(c, null, t.Study, t.Worker, "rejected");
        return mine;
    });

    public void Fail(ClaimedTrial t, string reason, int maxAttempts) => Retry("record a failure", c =>
    {
        using var tx = c.BeginTransaction();
        Exec(c, tx, "UPDATE naskit_trials SET state = CASE WHEN attempts >= @max THEN 'failed' ELSE 'queued' END, reason = @r, worker = NULL, " +
                    $"lease_until = NULL, finished_at = CASE WHEN attempts >= @max THEN {Now} END " +
                    "WHERE study = @s AND number = @n AND worker = @w AND attempts = @a AND state = 'running'",
             ("max", maxAttempts), ("r", reason), ("s", t.Study), ("n", t.Number), ("w", t.Worker), ("a", t.Attempt));
        Count(c, tx, t.Study, t.Worker, "failed");
        if (!AnnouncesTrialChanges)
        {
            Notify(c, tx, QueueSignal.Results, t.Study); // a final failure is a result; a requeued trial is work
            Notify(c, tx, QueueSignal.Work, t.Study);
        }
        tx.Commit();
        return 0;
    });

    public void WorkerSeen(string study, string worker, string state) => Retry("register a worker", c =>
    {
        using var tx = c.BeginTransaction();
        UpsertWorker(c, tx, study, worker, state);
        tx.Commit();
        return 0;
    });

    private void Count(DbConnection c, DbTransaction? tx, string study, string worker, string counter) =>
        Exec(c, tx, $"INSERT INTO naskit_workers(study, worker, state, {counter}, last_seen) VALUES (@s, @w, 'idle', 1, {Now}) " +
                    $"ON CONFLICT (study, worker) DO UPDATE SET {counter} = naskit_workers.{counter} + 1, state = 'idle', last_seen = excluded.last_seen",
             ("s", study), ("w", worker));

    private void UpsertWorker(DbConnection c, DbTransaction? tx, string study, string worker, string state) =>
        Exec(c, tx, $"INSERT INTO naskit_workers(study, worker, state, last_seen) VALUES (@s, @w, @st, {Now}) " +
                    "ON CONFLICT (study, worker) DO UPDATE SET state = excluded.state, last_seen = excluded.last_seen",
             ("s", study), ("w", worker), ("st", state));

    public IReadOnlyList<WorkerStatus> Workers(string study) => Retry("list workers", c =>
    {
        // Workers known from their registration or only from the trials they took (a caller of Claim need not register).
        using var r = Reader(c, null, "SELECT n.worker, COALESCE(w.state, 'unregistered'), " +
                                      "(SELECT MIN(t.number) FROM naskit_trials t WHERE t.study = @s AND t.worker = n.worker AND t.state = 'running'), " +
                                      "(SELECT COUNT(*) FROM naskit_trials t WHERE t.study = @s AND t.worker = n.worker AND t.state = 'done'), " +
                                      $"COALESCE(w.rejected, 0), COALESCE(w.failed, 0), {Now} - COALESCE(w.last_seen, {Now}) " +
                                      "FROM (SELECT worker FROM naskit_workers WHERE study = @s UNION SELECT worker FROM naskit_trials WHERE study = @s AND worker IS NOT NULL) n " +
                                      "LEFT JOIN naskit_workers w ON w.study = @s AND w.worker = n.worker ORDER BY n.worker", ("s", study));
        var list = new List<WorkerStatus>();
        while (r.Read())
            list.Add(new WorkerStatus(r.GetString(0), r.IsDBNull(2) ? r.GetString(1) : "running", r.IsDBNull(2) ? null : Convert.ToInt32(r.GetValue(2)), Convert.ToInt32(r.GetValue(3)),
                                      Convert.ToInt32(r.GetValue(4)), Convert.ToInt32(r.GetValue(5)), Convert.ToDouble(r.GetValue(6))));
        return list;
    });

    /// <summary>
    /// Runs one operation on a fresh pooled connection. Transient failures (server restarting, connection lost,
    /// database busy) are retried with exponential backoff for <see cref="RetryWindow"/>; the operations are written
    /// so that a retry after a lost commit does no harm.
    /// </summary>
    protected T Retry<T>(string what, Func<DbConnection, T> operation)
    {
        var start = DateTime.UtcNow;
        var delay = TimeSpan.FromMilliseconds(100);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                using var c = OpenConnection();
                return operation(c);
            }
            catch (Exception e) when (IsTransient(e) && DateTime.UtcNow - start + delay < RetryWindow)
            {
                Log?.Invoke($"{Location}: cannot {what} ({FirstLine(e.Message)}); retry {attempt} in {delay.TotalSeconds:0.#} s");
                OnTransientFailure();
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
            catch (Exception e) when (IsTransient(e))
            {
                throw new StoreUnavailableException($"{Location}: could not {what} for {RetryWindow.TotalSeconds:0} s ({FirstLine(e.Message)}). " +
                                                    "Is the database server up and reachable? Nothing recorded was lost; rerun the same command to carry on.", e);
            }
            catch (DbException e)
            {
                // Not a passing failure: a corrupt file, a read-only database asked to write, a store of other software.
                throw new StoreUnavailableException($"{Location}: cannot {what}: {FirstLine(e.Message)}. The store may be corrupt, read-only, " +
                                                    "or not a NasKit store.", e);
            }
        }
    }

    /// <summary>Called before a retry, e.g. to drop pooled connections that died with the server.</summary>
    protected virtual void OnTransientFailure() { }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    // NaN and infinities are legitimate metric values (an unmeasured latency, a diverged loss).
    internal static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    protected static int Exec(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        return cmd.ExecuteNonQuery();
    }

    protected static object? Scalar(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    private static DbDataReader Reader(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = Command(c, tx, sql, args);
        return cmd.ExecuteReader(CommandBehavior.Default);
    }

    private static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public virtual void Dispose() { }
}
