using System.Diagnostics;
using NasKit.Estimation;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Execution;

/// <summary>
/// The one study engine: drives a strategy over a trial queue under a budget. It asks for up to
/// <see cref="MaxOutstanding"/> proposals at once (the asynchronous evolution of Real et al.: a result is told as soon
/// as it arrives and the freed slot is asked for at once), and tells results in the order they finish. Evaluation
/// happens in this thread (<see cref="Run"/> with an evaluator: the in-process path), in worker threads, or in
/// <c>naskit worker</c> processes on any machine (<see cref="Worker{TArch}"/>); the queue decides where trials live:
/// <see cref="InMemoryTrialQueue"/>, SQLite or PostgreSQL.
/// <para>
/// Exact resume: a strategy's state is a function of its seed and the ordered asks and tells it saw. Every ask and
/// tell is recorded with the next event number before anything depends on it, so a restarted study replays the
/// events through a freshly seeded strategy (checking each replayed proposal against the ledger) and carries on:
/// trials still queued or running stay outstanding, results that arrived meanwhile are told next. An ask that died
/// before it was recorded is simply asked again, with the same answer.
/// </para>
/// </summary>
public sealed class Study<TArch> where TArch : class, IArchitecture
{
    private readonly ITrialQueue _queue;

    public StudySpec Spec { get; }
    public ISearchSpace<TArch> Space { get; }
    public Budget Budget { get; }
    /// <summary>The fidelity of proposals that name none (most strategies' proposals).</summary>
    public Fidelity Fidelity { get; }
    /// <summary>Proposals out for evaluation at once (1: ask, evaluate, tell).</summary>
    public int MaxOutstanding { get; init; } = 1;
    /// <summary>How long the coordinator lease lasts without renewal; a successor waits at most this long after a crash.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long to wait for another coordinator's lease before giving up.</summary>
    public TimeSpan LeadTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public string Name { get; init; } = $"coordinator@{Environment.MachineName}:{Environment.ProcessId}";
    public Action<string>? Log { get; init; }
    /// <summary>Ends trials early when evaluated in this process (a worker takes its own from <see cref="WorkerOptions"/>).</summary>
    public StoppingSetting? Stopping { get; init; }

    public Study(ITrialQueue queue, StudySpec spec, ISearchSpace<TArch> space, Budget budget, Fidelity? fidelity = null)
    {
        budget.Validate();
        (_queue, Spec, Space, Budget, Fidelity) = (queue, spec.Validated(), space, budget, fidelity ?? Fidelity.Full);
    }

    /// <summary>
    /// Replays the ledger into <paramref name="strategy"/>, then runs until the budget, the strategy or the
    /// cancellation token ends it. With <paramref name="evaluator"/> this thread evaluates queued trials itself;
    /// without, workers must. <paramref name="onTrial"/> sees each trial as it is told.
    /// </summary>
    public StudyResult<TArch> Run(ISearchStrategy<TArch> strategy, IEvaluator<TArch>? evaluator = null, CancellationToken cancellationToken = default,
                                  Action<Trial<TArch>>? onTrial = null)
    {
        if (MaxOutstanding < 1) throw new ArgumentOutOfRangeException(nameof(MaxOutstanding), "At least one trial must be allowed outstanding.");
        _queue.Open(Spec);
        Lead(cancellationToken);
        var pending = new Dictionary<int, Proposal<TArch>>();
        var trials = new List<Trial<TArch>>();
        long nextEvent = 0;
        int nextNumber = 0;
        double cost = 0, wall = 0;
        int epochs = 0;

        // Replay: asks and tells in the order they happened.
        var ledger = _queue.Ledger(Spec.Name);
        var events = ledger.Select(t => (Event: t.AskEvent, Ask: true, Trial: t))
            .Concat(ledger.Where(t => t.TellEvent is not null).Select(t => (Event: t.TellEvent!.Value, Ask: false, Trial: t)))
            .OrderBy(e => e.Event).ToList();
        foreach (var (ev, ask, t) in events)
        {
            if (ask)
            {
                try { Space.Parse(t.Architecture); }
                catch (ArchitectureFormatException e)
                {
                    throw new StudyConflictException($"Study '{Spec.Name}' in {_queue.Location}: trial {t.Number} holds '{t.Architecture}', which is not " +
                                                     $"an architecture of space {Space.Name} ({e.Message}). The ledger was written by other code; start a new study.");
                }
                var p = strategy.Ask();
                if (p is null || p.Architecture.ToText() != t.Architecture || Resolve(p) != t.Fidelity || (t.Proposal is { } id && id != p.Id) || t.Number != nextNumber)
                    throw new StudyConflictException(
                        $"Study '{Spec.Name}' cannot be resumed: trial {t.Number} in {_queue.Location} is {t.Architecture} at {t.Fidelity}, but the strategy now asks for " +
                        $"{(p is null ? "nothing" : $"{p.Architecture.ToText()} at {Resolve(p)}")}. The code or its configuration changed since the study started; start a new study.");
                pending[t.Number] = p;
                nextNumber++;
            }
            else
            {
                var p = pending[t.Number];
                pending.Remove(t.Number);
                strategy.Tell(p, t.Evaluation!);
                (cost, wall, epochs) = (cost + t.Evaluation!.CostSeconds, wall + t.WallSeconds, epochs + EpochsOf(t));
                trials.Add(new Trial<TArch>(t.Number, p.Architecture, t.Fidelity, t.Evaluation, t.WallSeconds, p.Id));
            }
            nextEvent = ev + 1;
        }
        int resumed = trials.Count;
        if (events.Count > 0) Log?.Invoke($"{Spec.Name}: replayed {nextNumber} asks and {resumed} tells; {pending.Count} trials outstanding");

        string? stop = null;
        bool exhausted = false, overBudget = false;
        var renewed = DateTime.UtcNow;
        string inlineWorker = Name + "/inline";
        while (true)
        {
            if (cancellationToken.IsCancellationRequested) { stop = "cancelled"; break; }
            if (DateTime.UtcNow - renewed > Lease / 3)
            {
                if (!_queue.TryLead(Spec.Name, Name, Lease))
                    throw new StudyConflictException($"Study '{Spec.Name}': another coordinator took over (this one was paused past its lease). Stopping.");
                renewed = DateTime.UtcNow;
            }
            var toldNow = new List<LedgerTrial>();
            var asked = new List<LedgerAsk>();
            foreach (var t in _queue.Untold(Spec.Name))
            {
                if (!pending.Remove(t.Number, out var p)) continue; // told already by an earlier life of this study
                if (Budget.CostSeconds is { } c && cost + t.Evaluation!.CostSeconds > c)
                {
                    overBudget = true; // kept in the ledger, not told: a resume with a larger budget tells it
                    stop ??= "cost budget";
                    continue;
                }
                if (Budget.Epochs is { } e && epochs + EpochsOf(t) > e)
                {
                    overBudget = true;
                    stop ??= "epoch budget";
                    continue;
                }
                strategy.Tell(p, t.Evaluation!);
                (cost, wall, epochs) = (cost + t.Evaluation!.CostSeconds, wall + t.WallSeconds, epochs + EpochsOf(t));
                toldNow.Add(t with { TellEvent = nextEvent++ });
                trials.Add(new Trial<TArch>(t.Number, p.Architecture, t.Fidelity, t.Evaluation, t.WallSeconds, p.Id));
            }
            bool waiting = false;
            while (!exhausted && !overBudget && pending.Count < MaxOutstanding && BudgetLeft(nextNumber, cost, wall, epochs) is null)
            {
                var p = strategy.Ask();
                if (p is null)
                {
                    if (strategy.Waiting) waiting = true; else exhausted = true;
                    break;
                }
                if (Budget.Epochs is not null && Resolve(p).Epochs is null)
                    throw new ArgumentException($"Study '{Spec.Name}' has an epoch budget, but the strategy proposed {p.Architecture.ToText()} at fidelity " +
                                                $"'{Resolve(p)}', which names no epochs. Give the study a default fidelity with epochs.");
                asked.Add(new LedgerAsk(nextNumber, p.Architecture.ToText(), Resolve(p), nextEvent++, p.Id));
                pending[nextNumber++] = p;
            }
            // Until this write lands nothing depends on these tells and asks: a crash before it replays without them.
            _queue.Advance(Spec.Name, toldNow.Select(t => (t.Number, t.TellEvent!.Value)).ToList(), asked);
            if (onTrial is not null) foreach (var t in trials.Skip(trials.Count - toldNow.Count)) onTrial(t);
            if (pending.Count == 0)
            {
                if (waiting && !overBudget && stop is null)
                    throw new InvalidOperationException($"Study '{Spec.Name}': the strategy waits for results, but none are outstanding (a bug in the strategy).");
                stop ??= exhausted ? "strategy exhausted" : BudgetLeft(nextNumber, cost, wall, epochs) ?? "budget";
                break;
            }
            if (evaluator is not null && _queue.Claim(Spec.Name, inlineWorker, TimeSpan.FromDays(1), int.MaxValue) is { } claimed)
            {
                if (!EvaluateInline(claimed, evaluator, cancellationToken)) { stop = "cancelled"; break; }
                continue;
            }
            _queue.WaitFor(QueueSignal.Results, Spec.Name, TimeSpan.FromMilliseconds(500));
        }
        _queue.StepDown(Spec.Name, Name, finished: stop != "cancelled");
        return new StudyResult<TArch>(Spec, trials, resumed, stop, nextNumber);
    }

    /// <summary>A proposal's fidelity over the study's default.</summary>
    public Fidelity Resolve(Proposal<TArch> p) => p.Fidelity?.Over(Fidelity) ?? Fidelity;

    /// <summary>Null while asking may go on; otherwise which limit is reached.</summary>
    private string? BudgetLeft(int asked, double cost, double wall, int epochs) =>
        Budget.Queries is { } q && asked >= q ? "budget" :
        Budget.CostSeconds is { } c && cost >= c ? "cost budget" :
        Budget.WallSeconds is { } w && wall >= w ? "wall budget" :
        Budget.Epochs is { } e && epochs >= e ? "epoch budget" : null;

    /// <summary>The epochs a finished trial trained: where a stopping rule ended it, else its fidelity's (0 when it names none).</summary>
    public static int EpochsOf(LedgerTrial t) => t.Evaluation?.StoppedAt ?? t.Fidelity.Epochs ?? 0;

    /// <summary>Evaluates a claimed trial here; false when cancelled (the trial goes back to the queue).</summary>
    private bool EvaluateInline(ClaimedTrial claimed, IEvaluator<TArch> evaluator, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        Evaluation evaluation;
        try
        {
            evaluation = evaluator.Evaluate(Space.Parse(claimed.Architecture), claimed.Fidelity, new QueueTrialContext(_queue, claimed, cancellationToken, Stopping));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _queue.Fail(claimed, "study stopped", int.MaxValue);
            return false;
        }
        catch (Exception e)
        {
            evaluation = Evaluation.Failure($"{e.GetType().Name}: {e.Message}", sw.Elapsed.TotalSeconds);
        }
        _queue.Complete(claimed, evaluation, sw.Elapsed.TotalSeconds);
        return true;
    }

    private void Lead(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LeadTimeout;
        bool said = false;
        while (!_queue.TryLead(Spec.Name, Name, Lease))
        {
            var holder = _queue.Progress(Spec.Name).Coordinator;
            if (DateTime.UtcNow > deadline)
                throw new StudyConflictException($"Study '{Spec.Name}' is being coordinated by {holder ?? "another process"}. Only one coordinator may " +
                                                 "drive a study; add workers with 'naskit worker' instead, or stop the other coordinator.");
            if (!said) { Log?.Invoke($"{Spec.Name}: waiting for the lease of {holder ?? "a previous coordinator"} to expire (at most {Lease.TotalSeconds:0} s)"); said = true; }
            cancellationToken.ThrowIfCancellationRequested();
            Thread.Sleep(250);
        }
    }
}

/// <summary>
/// A trial's context that records each intermediate result in the ledger and, with a stopping rule, asks it whether to
/// go on, showing it this trial's curve and the finished trials' curves of the rule's metric from the ledger.
/// </summary>
internal sealed class QueueTrialContext(ITrialQueue queue, ClaimedTrial trial, CancellationToken cancellation, StoppingSetting? stopping = null)
    : TrialContext(cancellation)
{
    private readonly List<double> _curve = [];
    private IReadOnlyList<double>[]? _finished;

    /// <summary>
    /// False when this worker no longer holds the trial (its lease expired and another took it), or the rule stops it.
    /// The finished trials' curves are read from the ledger once per trial, at its first report, not at every step:
    /// reading the whole ledger per epoch made long studies quadratic. A trial finishing elsewhere meanwhile counts
    /// from the next trial on; in a sequential study nothing changes.
    /// </summary>
    public override bool Report(int step, IReadOnlyDictionary<string, double> metrics)
    {
        if (!queue.Report(trial, new IntermediateResult(step, metrics))) return false;
        if (stopping is not { } s || !metrics.TryGetValue(s.Objective.Metric, out var v) || double.IsNaN(v)) return true;
        _curve.Add(s.Objective.Maximize ? v : -v);
        _finished ??= queue.Ledger(trial.Study)
            .Where(t => t.State == TrialState.Done && t.Evaluation is { Failed: false, Curves: { } c } && c.ContainsKey(s.Objective.Metric))
            .Select(t => (IReadOnlyList<double>)t.Evaluation!.Curves![s.Objective.Metric].Select(x => s.Objective.Maximize ? x : -x).ToArray())
            .ToArray();
        return !s.Rule.ShouldStop(_curve, _finished, trial.Fidelity.Epochs ?? int.MaxValue);
    }
}

/// <summary>A stopping rule and the objective whose curve it reads (a loss is minimised: the rule sees it negated).</summary>
public sealed record StoppingSetting(Estimation.Stopping.IStoppingRule Rule, Objective Objective);

/// <summary>A told trial: its ledger number, the architecture as a value, the fidelity it ran at, its result and the strategy's proposal id.</summary>
public sealed record Trial<TArch>(int Number, TArch Architecture, Fidelity Fidelity, Evaluation Evaluation, double WallSeconds, int ProposalId)
    where TArch : class, IArchitecture
{
    /// <summary>The epochs the trial trained: where a stopping rule ended it, else its fidelity's; null when its fidelity names none.</summary>
    public int? EpochsTrained => Evaluation.StoppedAt ?? Fidelity.Epochs;
}

/// <summary>The trials told to the strategy (in tell order), how many of them came from the ledger, why the study stopped, and how many it asked.</summary>
public sealed record StudyResult<TArch>(StudySpec Spec, IReadOnlyList<Trial<TArch>> Trials, int Resumed, string StopReason, int Asked)
    where TArch : class, IArchitecture
{
    /// <summary>The trial with the highest <paramref name="signal"/> among successful ones (first on ties).</summary>
    public Trial<TArch>? Best(string signal) => Trials.Where(t => !t.Evaluation.Failed && t.Evaluation.Metrics.ContainsKey(signal))
        .Aggregate((Trial<TArch>?)null, (best, t) => best is null || t.Evaluation[signal] > best.Evaluation[signal] ? t : best);
}
