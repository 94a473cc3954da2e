using System.Diagnostics;
using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Execution;

/// <summary>What a worker does with a study's queue.</summary>
public sealed record WorkerOptions
{
    public string Name { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";
    /// <summary>A claimed trial goes back to the queue this long after its worker's last heartbeat.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Claims per trial (failed evaluations and vanished workers both count) before it is recorded as failed.</summary>
    public int MaxAttempts { get; init; } = 3;
    /// <summary>Exit when the study is finished and nothing is left to claim (false: keep waiting for new trials).</summary>
    public bool ExitWhenFinished { get; init; } = true;
    /// <summary>How long to wait for the study to appear: workers may start before their coordinator.</summary>
    public TimeSpan WaitForStudy { get; init; } = TimeSpan.FromMinutes(1);
    public Action<string>? Log { get; init; }
    /// <summary>Ends trials early: the rule reads each trial's reports and the finished trials' curves in the ledger.</summary>
    public StoppingSetting? Stopping { get; init; }
}

/// <summary>
/// Counts of one worker's run, and where its time went: evaluating (<paramref name="BusySeconds"/>) or waiting for
/// work (<paramref name="IdleSeconds"/>: a synchronous scheduler's workers wait for a rung to fill, an asynchronous one's do not).
/// </summary>
public sealed record WorkerResult(int Completed, int Rejected, int Failed, double BusySeconds = 0, double IdleSeconds = 0);

/// <summary>
/// Claims trials of one study, evaluates them and records the results, heartbeating while it works. Any number run
/// at once, on any machine that reaches the database: one per GPU, or several sharing the CPU cores.
/// </summary>
public sealed class Worker<TArch>(ITrialQueue queue, string study, ISearchSpace<TArch> space, IEvaluator<TArch> evaluator,
                                 WorkerOptions? options = null) where TArch : class, IArchitecture
{
    private readonly WorkerOptions _o = options ?? new WorkerOptions();

    public WorkerResult Run(CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + _o.WaitForStudy;
        while (queue.Find(study) is null)
        {
            if (DateTime.UtcNow > deadline)
                throw new ArgumentException($"{queue.Location} has no study '{study}' (waited {_o.WaitForStudy.TotalSeconds:0} s); " +
                                            "its coordinator creates it when it starts.");
            cancellationToken.WaitHandle.WaitOne(200);
            if (cancellationToken.IsCancellationRequested) return new WorkerResult(0, 0, 0);
        }
        queue.WorkerSeen(study, _o.Name, "idle");
        int completed = 0, rejected = 0, failed = 0;
        var total = Stopwatch.StartNew();
        var busy = TimeSpan.Zero;
        bool idle = true; // registered as idle just above
        var seen = DateTime.UtcNow;
        while (!cancellationToken.IsCancellationRequested)
        {
            var trial = queue.Claim(study, _o.Name, _o.Lease, _o.MaxAttempts);
            if (trial is null)
            {
                if (!idle || DateTime.UtcNow - seen > _o.Lease / 3) { queue.WorkerSeen(study, _o.Name, "idle"); idle = true; seen = DateTime.UtcNow; }
                if (_o.ExitWhenFinished && queue.Progress(study) is { Finished: true, Queued: 0, Running: 0 }) break;
                queue.WaitFor(QueueSignal.Work, study, TimeSpan.FromMilliseconds(500));
                continue;
            }
            idle = false;
            long started = Stopwatch.GetTimestamp();
            var outcome = Evaluate(trial, cancellationToken);
            busy += Stopwatch.GetElapsedTime(started);
            switch (outcome)
            {
                case Outcome.Completed: completed++; break;
                case Outcome.Rejected: rejected++; break;
                case Outcome.Failed: failed++; break;
            }
        }
        queue.WorkerSeen(study, _o.Name, cancellationToken.IsCancellationRequested ? "stopped" : "exited");
        return new WorkerResult(completed, rejected, failed, busy.TotalSeconds, (total.Elapsed - busy).TotalSeconds);
    }

    private enum Outcome { Completed, Rejected, Failed, Abandoned }

    private Outcome Evaluate(ClaimedTrial trial, CancellationToken cancellationToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var heartbeat = new Timer(_ =>
        {
            try { if (!queue.Heartbeat(trial, _o.Lease)) lost.Cancel(); }
            catch (Exception e) { _o.Log?.Invoke($"{_o.Name}: heartbeat for trial {trial.Number} failed: {e.Message}"); }
        }, null, _o.Lease / 3, _o.Lease / 3);

        var sw = Stopwatch.StartNew();
        Evaluation evaluation;
        try
        {
            evaluation = evaluator.Evaluate(space.Parse(trial.Architecture), trial.Fidelity, new QueueTrialContext(queue, trial, lost.Token, _o.Stopping));
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            heartbeat.Dispose();
            if (cancellationToken.IsCancellationRequested)
            {
                // Stopped by the user: hand the trial back at once rather than after the lease.
                queue.Fail(trial, "worker stopped", int.MaxValue);
                return Outcome.Abandoned;
            }
            _o.Log?.Invoke($"{_o.Name}: lost the lease of trial {trial.Number}; another worker has it");
            return Outcome.Rejected;
        }
        catch (Exception e)
        {
            heartbeat.Dispose();
            string reason = $"{e.GetType().Name}: {e.Message}";
            _o.Log?.Invoke($"{_o.Name}: trial {trial.Number} attempt {trial.Attempt} failed: {reason}");
            queue.Fail(trial, reason, _o.MaxAttempts);
            return Outcome.Failed;
        }
        heartbeat.Dispose();
        if (queue.Complete(trial, evaluation, sw.Elapsed.TotalSeconds)) return Outcome.Completed;
        _o.Log?.Invoke($"{_o.Name}: result of trial {trial.Number} discarded: its lease had expired and another worker took it");
        return Outcome.Rejected;
    }
}
