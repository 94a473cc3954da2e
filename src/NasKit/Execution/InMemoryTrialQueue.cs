using NasKit.Estimation;

namespace NasKit.Execution;

/// <summary>
/// The queue in this process's memory: for notebooks, tests and the thousands of short runs of a benchmark
/// comparison, where a study's coordinator evaluates its own trials or a few worker threads share it. The same
/// semantics as the database queues (leases, attempts, event order, intermediate results), without durability:
/// nothing survives the process.
/// </summary>
public sealed class InMemoryTrialQueue : ITrialQueue
{
    private sealed class Row
    {
        public required int Number;
        public required string Architecture;
        public required Fidelity Fidelity;
        public required long AskEvent;
        public int? Proposal;
        public TrialState State = TrialState.Queued;
        public long? TellEvent;
        public int Attempts;
        public string? Worker;
        public DateTime LeaseUntil;
        public Evaluation? Evaluation;
        public double WallSeconds;
        public List<IntermediateResult> Intermediate = [];

        public LedgerTrial ToLedger() => new(Number, Architecture, Fidelity, State, AskEvent, TellEvent, Attempts, Worker, Evaluation, WallSeconds, Proposal);
    }

    private sealed class WorkerTally
    {
        public string State = "idle";
        public int Rejected, Failed;
        public DateTime Seen = DateTime.UtcNow;
    }

    private static WorkerTally Tally(StudyData s, string worker)
    {
        if (!s.Workers.TryGetValue(worker, out var w)) s.Workers[worker] = w = new WorkerTally();
        w.Seen = DateTime.UtcNow;
        return w;
    }

    private sealed class StudyData(StudySpec spec)
    {
        public StudySpec Spec { get; } = spec;
        public readonly List<Row> Trials = [];
        public readonly List<Row> Untold = []; // finished and not told, in finishing order
        public readonly SortedSet<int> Queued = [];
        public readonly SortedSet<int> Running = [];
        public bool Finished;
        public string? Coordinator;
        public DateTime CoordinatorUntil;
        public readonly Dictionary<string, WorkerTally> Workers = new();
    }

    private readonly Dictionary<string, StudyData> _studies = new();
    private readonly object _gate = new();

    public string Location => "memory";

    private StudyData Get(string study) => _studies.TryGetValue(study, out var s) ? s
        : throw new KeyNotFoundException($"No study named '{study}' in this in-memory queue.");

    private void Changed() => Monitor.PulseAll(_gate);

    public void Open(StudySpec spec)
    {
        lock (_gate)
        {
            if (_studies.TryGetValue(spec.Name, out var s)) { if (s.Spec != spec) throw s.Spec.Mismatch(spec); return; }
            _studies[spec.Name] = new StudyData(spec);
        }
    }

    public StudySpec? Find(string study) { lock (_gate) return _studies.TryGetValue(study, out var s) ? s.Spec : null; }

    public IReadOnlyList<StudySpec> Studies() { lock (_gate) return _studies.Values.Select(s => s.Spec).ToArray(); }

    public StudyProgress Progress(string study)
    {
        lock (_gate)
        {
            var s = Get(study);
            int Count(TrialState st) => s.Trials.Count(t => t.State == st);
            return new StudyProgress(Count(TrialState.Queued), Count(TrialState.Running), Count(TrialState.Done), Count(TrialState.Failed), s.Finished,
                                     s.CoordinatorUntil > DateTime.UtcNow ? s.Coordinator : null);
        }
    }

    public bool TryLead(string study, string coordinator, TimeSpan lease)
    {
        lock (_gate)
        {
            var s = Get(study);
            var now = DateTime.UtcNow;
            if (s.Coordinator is not null && s.Coordinator != coordinator && s.CoordinatorUntil >= now) return false;
            (s.Coordinator, s.CoordinatorUntil, s.Finished) = (coordinator, now + lease, false);
            return true;
        }
    }

    public void StepDown(string study, string coordinator, bool finished)
    {
        lock (_gate)
        {
            var s = Get(study);
            if (s.Coordinator != coordinator) return;
            (s.Coordinator, s.Finished) = (null, finished);
            Changed();
        }
    }

    public IReadOnlyList<LedgerTrial> Ledger(string study) { lock (_gate) return Get(study).Trials.Select(t => t.ToLedger()).ToArray(); }

    public IReadOnlyList<LedgerTrial> Untold(string study)
    {
        lock (_gate)
        {
            var s = Get(study);
            return s.Untold.Count == 0 ? [] : s.Untold.Select(t => t.ToLedger()).ToArray();
        }
    }

    public void Advance(string study, IReadOnlyList<(int Number, long TellEvent)> told, IReadOnlyList<LedgerAsk> asked)
    {
        if (told.Count == 0 && asked.Count == 0) return;
        lock (_gate)
        {
            var s = Get(study);
            foreach (var a in asked)
                if (a.Number < s.Trials.Count && s.Trials[a.Number].Architecture != a.Architecture)
                    throw new StudyConflictException($"Study '{study}' already has a different trial {a.Number}: another coordinator is running it. " +
                                                     "Stop the other coordinator; only one may drive a study.");
            foreach (var (number, tellEvent) in told)
            {
                var row = s.Trials[number];
                row.TellEvent ??= tellEvent;
                s.Untold.Remove(row);
            }
            foreach (var a in asked)
            {
                if (a.Number < s.Trials.Count) continue; // a retry of an ask already recorded
                if (a.Number != s.Trials.Count) throw new InvalidOperationException($"Trial {a.Number} of study '{study}' asked before trial {s.Trials.Count}.");
                s.Trials.Add(new Row { Number = a.Number, Architecture = a.Architecture, Fidelity = a.Fidelity, AskEvent = a.AskEvent, Proposal = a.Proposal });
                s.Queued.Add(a.Number);
            }
            if (asked.Count > 0) Changed();
        }
    }

    public ClaimedTrial? Claim(string study, string worker, TimeSpan lease, int maxAttempts)
    {
        lock (_gate)
        {
            var s = Get(study);
            var now = DateTime.UtcNow;
            Row? next = null;
            foreach (int n in s.Running.ToArray()) // few: at most the outstanding trials
            {
                var t = s.Trials[n];
                if (t.LeaseUntil >= now) continue;
                if (t.Attempts >= maxAttempts)
                {
                    // Its workers vanished maxAttempts times: it may be what kills them.
                    (t.State, t.Worker, t.Evaluation) = (TrialState.Failed, null,
                        Evaluation.Failure($"lease expired {t.Attempts} times: the worker evaluating it vanished (killed, out of memory, or lost its connection)"));
                    s.Running.Remove(n);
                    s.Untold.Add(t);
                    Changed();
                }
                else if (next is null || n < next.Number) next = t;
            }
            if (s.Queued.Count > 0 && (next is null || s.Queued.Min < next.Number)) next = s.Trials[s.Queued.Min];
            if (next is null) return null;
            s.Queued.Remove(next.Number);
            s.Running.Add(next.Number);
            (next.State, next.Worker, next.LeaseUntil) = (TrialState.Running, worker, now + lease);
            next.Attempts++;
            next.Intermediate = [];
            return new ClaimedTrial(study, next.Number, next.Architecture, next.Fidelity, next.Attempts, worker);
        }
    }

    private Row? Held(ClaimedTrial c)
    {
        var s = Get(c.Study);
        var t = c.Number < s.Trials.Count ? s.Trials[c.Number] : null;
        return t is { State: TrialState.Running } && t.Worker == c.Worker && t.Attempts == c.Attempt ? t : null;
    }

    public bool Heartbeat(ClaimedTrial trial, TimeSpan lease)
    {
        lock (_gate)
        {
            var t = Held(trial);
            Seen(trial.Study, trial.Worker, t is null ? "lost lease" : "running");
            if (t is null) return false;
            t.LeaseUntil = DateTime.UtcNow + lease;
            return true;
        }
    }

    public bool Report(ClaimedTrial trial, IntermediateResult result)
    {
        lock (_gate)
        {
            if (Held(trial) is not { } t) return false;
            t.Intermediate.RemoveAll(r => r.Step == result.Step);
            t.Intermediate.Add(result);
            return true;
        }
    }

    public IReadOnlyList<IntermediateResult> Intermediate(string study, int number)
    {
        lock (_gate)
        {
            var s = Get(study);
            return number < s.Trials.Count ? s.Trials[number].Intermediate.OrderBy(r => r.Step).ToArray() : [];
        }
    }

    public bool Complete(ClaimedTrial trial, Evaluation evaluation, double wallSeconds)
    {
        lock (_gate)
        {
            var s = Get(trial.Study);
            if (Held(trial) is not { } t)
            {
                Tally(s, trial.Worker).Rejected++;
                return false;
            }
            (t.State, t.Evaluation, t.WallSeconds, t.Worker) = (TrialState.Done, evaluation, wallSeconds, trial.Worker);
            s.Running.Remove(t.Number);
            s.Untold.Add(t);
            Tally(s, trial.Worker).State = "idle";
            Changed();
            return true;
        }
    }

    public void Fail(ClaimedTrial trial, string reason, int maxAttempts)
    {
        lock (_gate)
        {
            var s = Get(trial.Study);
            if (Held(trial) is { } t)
            {
                t.Worker = null;
                s.Running.Remove(t.Number);
                if (t.Attempts >= maxAttempts)
                {
                    (t.State, t.Evaluation) = (TrialState.Failed, Evaluation.Failure(reason));
                    s.Untold.Add(t);
                }
                else
                {
                    t.State = TrialState.Queued;
                    s.Queued.Add(t.Number);
                }
            }
            var w = Tally(s, trial.Worker);
            (w.State, w.Failed) = ("idle", w.Failed + 1);
            Changed();
        }
    }

    public void WorkerSeen(string study, string worker, string state)
    {
        lock (_gate) { Seen(study, worker, state); Changed(); }
    }

    private void Seen(string study, string worker, string state)
    {
        Tally(Get(study), worker).State = state;
    }

    public IReadOnlyList<WorkerStatus> Workers(string study)
    {
        lock (_gate)
        {
            var s = Get(study);
            var now = DateTime.UtcNow;
            return s.Workers.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
            {
                var running = s.Trials.FirstOrDefault(t => t.State == TrialState.Running && t.Worker == kv.Key);
                return new WorkerStatus(kv.Key, running is null ? kv.Value.State : "running", running?.Number,
                    s.Trials.Count(t => t.State == TrialState.Done && t.Worker == kv.Key), kv.Value.Rejected, kv.Value.Failed, (now - kv.Value.Seen).TotalSeconds);
            }).ToArray();
        }
    }

    public void WaitFor(QueueSignal signal, string study, TimeSpan timeout)
    {
        lock (_gate) Monitor.Wait(_gate, timeout);
    }

    public void Dispose() { }
}
