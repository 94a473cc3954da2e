using NasKit.Estimation;

namespace NasKit.Execution;

/// <summary>
/// The ledger and work queue of studies: one <see cref="Study{TArch}"/> (the coordinator) asks and tells, any number
/// of workers claim, evaluate and complete. In one process (<see cref="InMemoryTrialQueue"/>), in one SQLite file
/// shared by the processes of a machine, or in PostgreSQL shared by machines: the same interface and semantics.
/// <para>
/// The coordinator alone asks the strategy and tells it results; every ask and every tell gets the next number of
/// the study's event counter. Replaying the events in order rebuilds the strategy exactly, whatever the workers
/// did and whenever the coordinator died. Workers only claim, heartbeat, report intermediate results and complete;
/// a claim is a lease, and a trial whose lease expires goes back to the queue.
/// </para>
/// Every operation is one transaction, safe to retry after a lost connection.
/// </summary>
public interface ITrialQueue : IDisposable
{
    /// <summary>Where the studies live, for messages (no password).</summary>
    string Location { get; }

    /// <summary>Creates the study, or opens it if it exists with the same spec; a different spec is refused.</summary>
    void Open(StudySpec spec);
    StudySpec? Find(string study);
    IReadOnlyList<StudySpec> Studies();
    StudyProgress Progress(string study);

    // The coordinator's side.
    /// <summary>Takes or renews the coordinator lease of a study; false while another live coordinator holds it.</summary>
    bool TryLead(string study, string coordinator, TimeSpan lease);
    /// <summary>Gives the lease up; <paramref name="finished"/> tells idle workers to exit.</summary>
    void StepDown(string study, string coordinator, bool finished);
    /// <summary>Every trial of the study, by number.</summary>
    IReadOnlyList<LedgerTrial> Ledger(string study);
    /// <summary>Finished trials the strategy has not been told yet, in the order they finished.</summary>
    IReadOnlyList<LedgerTrial> Untold(string study);
    /// <summary>Records tells and then asks (each with its event number) in one transaction; asked trials join the queue.</summary>
    void Advance(string study, IReadOnlyList<(int Number, long TellEvent)> told, IReadOnlyList<LedgerAsk> asked);

    // The workers' side.
    /// <summary>Leases the first queued trial (or one whose lease expired), or returns null.</summary>
    ClaimedTrial? Claim(string study, string worker, TimeSpan lease, int maxAttempts);
    /// <summary>Extends the lease; false when the worker no longer holds the trial.</summary>
    bool Heartbeat(ClaimedTrial trial, TimeSpan lease);
    /// <summary>Records an intermediate result (a learning-curve point) of the trial's current attempt; false when the worker no longer holds it.</summary>
    bool Report(ClaimedTrial trial, IntermediateResult result);
    /// <summary>Records the result; false (and nothing written) when the worker no longer holds the trial.</summary>
    bool Complete(ClaimedTrial trial, Evaluation evaluation, double wallSeconds);
    /// <summary>Requeues the trial, or records it as failed with <paramref name="reason"/> after <paramref name="maxAttempts"/>.</summary>
    void Fail(ClaimedTrial trial, string reason, int maxAttempts);
    void WorkerSeen(string study, string worker, string state);
    IReadOnlyList<WorkerStatus> Workers(string study);

    /// <summary>The intermediate results of a trial's latest attempt, by step (what a stopping rule reads while it runs).</summary>
    IReadOnlyList<IntermediateResult> Intermediate(string study, int number);

    /// <summary>Blocks until <paramref name="signal"/> may have happened in the study, or <paramref name="timeout"/> passes.</summary>
    void WaitFor(QueueSignal signal, string study, TimeSpan timeout);
}

public enum TrialState { Queued, Running, Done, Failed }

/// <summary>What a waiter waits for: workers for work (a trial queued, the study finished), the coordinator for results.</summary>
public enum QueueSignal { Work, Results }

/// <summary>
/// One trial as the ledger keeps it. <see cref="Evaluation"/> (with its learning curves) is set once the trial is
/// done or failed; <see cref="Proposal"/> is the strategy's proposal id (null in ledgers written before schema 2).
/// </summary>
public sealed record LedgerTrial(int Number, string Architecture, Fidelity Fidelity, TrialState State, long AskEvent,
                                 long? TellEvent, int Attempts, string? Worker, Evaluation? Evaluation, double WallSeconds, int? Proposal = null);

/// <summary>A trial the strategy asked for, with the event number of the ask and the strategy's proposal id.</summary>
public sealed record LedgerAsk(int Number, string Architecture, Fidelity Fidelity, long AskEvent, int? Proposal = null);

/// <summary>A trial leased to a worker; <see cref="Attempt"/> tells this lease from an earlier, expired one.</summary>
public sealed record ClaimedTrial(string Study, int Number, string Architecture, Fidelity Fidelity, int Attempt, string Worker);

public sealed record WorkerStatus(string Worker, string State, int? Trial, int Completed, int Rejected, int Failed, double SecondsSinceSeen);

/// <summary>Counts of a study's trials by state, and whether its coordinator declared it finished.</summary>
public sealed record StudyProgress(int Queued, int Running, int Done, int Failed, bool Finished, string? Coordinator)
{
    public int Asked => Queued + Running + Done + Failed;
}

/// <summary>The database cannot be used (unreachable, wrong credentials, newer schema); the message says what to do.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : IOException(message, inner);
