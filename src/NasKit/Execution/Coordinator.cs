using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Execution;

/// <summary>
/// Drives a strategy over a shared queue: asks for up to <see cref="MaxOutstanding"/> candidates at once (the
/// asynchronous evolution of Real et al.: a result is told as soon as it arrives and the freed slot is asked for
/// at once), and tells results in the order workers finish them.
/// <para>
/// Exact resume: a strategy's state is a function of its seed and the ordered asks and tells it saw. Every ask and
/// tell is recorded with the next event number before anything depends on it, so a restarted coordinator replays
/// the events through a freshly seeded strategy (checking each replayed ask against the ledger) and carries on:
/// trials still queued or running stay outstanding, results that arrived meanwhile are told next. An ask that
/// died before it was recorded is simply asked again, with the same answer.
/// </para>
/// </summary>
public sealed class Coordinator<TArch>(ITrialQueue queue, StudySpec spec, ISearchSpace<TArch> space, int queries,
                                      Fidelity fidelity, int maxOutstanding = 1) where TArch : class, IArchitecture
{
    public int MaxOutstanding { get; } = maxOutstanding >= 1 ? maxOutstanding : throw new ArgumentOutOfRangeException(nameof(maxOutstanding), "At least one trial must be allowed outstanding.");
    /// <summary>How long the coordinator lease lasts without renewal; a successor waits at most this long after a crash.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long to wait for another coordinator's lease before giving up.</summary>
    public TimeSpan LeadTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public string Name { get; init; } = $"coordinator@{Environment.MachineName}:{Environment.ProcessId}";
    public Action<string>? Log { get; init; }

    public CoordinatorResult Run(ISearchStrategy<TArch> strategy, CancellationToken cancellationToken = default,
                                 Action<LedgerTrial>? onTold = null)
    {
        queue.Open(spec);
        Lead(cancellationToken);
        var pending = new Dictionary<int, TArch>();
        long nextEvent = 0;
        int nextNumber = 0, replayed = 0, told = 0;

        // Replay: asks and tells in the order they happened.
        var ledger = queue.Ledger(spec.Name);
        var events = ledger.Select(t => (Event: t.AskEvent, Ask: true, Trial: t))
            .Concat(ledger.Where(t => t.TellEvent is not null).Select(t => (Event: t.TellEvent!.Value, Ask: false, Trial: t)))
            .OrderBy(e => e.Event).ToList();
        foreach (var (ev, ask, t) in events)
        {
            if (ask)
            {
                try { space.Parse(t.Architecture); }
                catch (ArchitectureFormatException e)
                {
                    throw new StudyConflictException($"Study '{spec.Name}' in {queue.Location}: trial {t.Number} holds '{t.Architecture}', which is not " +
                                                     $"an architecture of space {space.Name} ({e.Message}). The ledger was written by other code; start a new study.");
                }
                var asked = strategy.Ask();
                if (asked is null || asked.ToText() != t.Architecture || t.Number != nextNumber)
                    throw new StudyConflictException(
                        $"Study '{spec.Name}' cannot be resumed: trial {t.Number} in {queue.Location} is {t.Architecture}, but the strategy now asks for " +
                        $"{asked?.ToText() ?? "nothing"}. The code or its configuration changed since the study started; start a new study.");
                pending[t.Number] = asked;
                nextNumber++;
            }
            else
            {
                strategy.Tell(pending[t.Number], t.Evaluation!);
                pending.Remove(t.Number);
                replayed++;
            }
            nextEvent = ev + 1;
        }
        if (events.Count > 0) Log?.Invoke($"{spec.Name}: replayed {nextNumber} asks and {replayed} tells; {pending.Count} trials outstanding");

        string stop = "budget";
        bool exhausted = false;
        var renewed = DateTime.UtcNow;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested) { stop = "cancelled"; break; }
            if (DateTime.UtcNow - renewed > Lease / 3)
            {
                if (!queue.TryLead(spec.Name, Name, Lease))
                    throw new StudyConflictException($"Study '{spec.Name}': another coordinator took over (this one was paused past its lease). Stopping.");
                renewed = DateTime.UtcNow;
            }
            var toldNow = new List<LedgerTrial>();
            var asked = new List<LedgerAsk>();
            foreach (var t in queue.Untold(spec.Name))
            {
                if (!pending.Remove(t.Number, out var arch)) continue; // told already by an earlier life of this coordinator
                strategy.Tell(arch, t.Evaluation!);
                toldNow.Add(t with { TellEvent = nextEvent++ });
            }
            while (!exhausted && pending.Count < MaxOutstanding && nextNumber < queries)
            {
                var arch = strategy.Ask();
                if (arch is null) { exhausted = true; break; }
                asked.Add(new LedgerAsk(nextNumber, arch.ToText(), fidelity, nextEvent++));
                pending[nextNumber++] = arch;
            }
            // Until this write lands nothing depends on these tells and asks: a crash before it replays without them.
            queue.Advance(spec.Name, toldNow.Select(t => (t.Number, t.TellEvent!.Value)).ToList(), asked);
            told += toldNow.Count;
            if (onTold is not null) foreach (var t in toldNow) onTold(t);
            if (pending.Count == 0 && (exhausted || nextNumber >= queries)) { stop = exhausted ? "strategy exhausted" : "budget"; break; }
            queue.WaitFor(QueueSignal.Results, spec.Name, TimeSpan.FromMilliseconds(500));
        }
        bool finished = stop != "cancelled";
        queue.StepDown(spec.Name, Name, finished);
        return new CoordinatorResult(spec, nextNumber, replayed, told, stop);
    }

    private void Lead(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LeadTimeout;
        bool said = false;
        while (!queue.TryLead(spec.Name, Name, Lease))
        {
            var holder = queue.Progress(spec.Name).Coordinator;
            if (DateTime.UtcNow > deadline)
                throw new StudyConflictException($"Study '{spec.Name}' is being coordinated by {holder ?? "another process"}. Only one coordinator may " +
                                                 "drive a study; add workers with 'naskit worker' instead, or stop the other coordinator.");
            if (!said) { Log?.Invoke($"{spec.Name}: waiting for the lease of {holder ?? "a previous coordinator"} to expire (at most {Lease.TotalSeconds:0} s)"); said = true; }
            cancellationToken.ThrowIfCancellationRequested();
            Thread.Sleep(250);
        }
    }
}

/// <summary>How far the coordinator got: trials asked in total, tells replayed from the ledger, tells made in this run.</summary>
public sealed record CoordinatorResult(StudySpec Spec, int Asked, int Replayed, int Told, string StopReason);
