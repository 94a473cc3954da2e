using System.Diagnostics;
using NasKit.Estimation;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Experiments;

/// <summary>
/// Runs a strategy against an evaluator under a budget and records every trial in a store.
/// <para>
/// Resume is exact: the store's history is replayed through the strategy (which must be freshly built from
/// the study's seed) and each replayed ask is checked against the recorded architecture, so a run killed at
/// any moment continues where it stopped, with no trial lost or repeated. A trial being evaluated when the
/// process died was never recorded and is simply asked again.
/// </para>
/// </summary>
public sealed class Study<TArch> where TArch : class, IArchitecture
{
    public StudySpec Spec { get; }
    public ISearchSpace<TArch> Space { get; }
    public IEvaluator<TArch> Evaluator { get; }
    public Budget Budget { get; }
    public Fidelity Fidelity { get; }
    public ITrialStore Store { get; }

    public Study(StudySpec spec, ISearchSpace<TArch> space, IEvaluator<TArch> evaluator, Budget budget,
                 ITrialStore store, Fidelity? fidelity = null)
    {
        budget.Validate();
        (Spec, Space, Evaluator, Budget, Store, Fidelity) = (spec, space, evaluator, budget, store, fidelity ?? Fidelity.Full);
        store.Open(spec);
    }

    /// <summary>
    /// Replays the history into <paramref name="strategy"/>, then runs until the budget, the strategy or the
    /// cancellation token ends it. <paramref name="onTrial"/> sees each new trial after it is recorded.
    /// </summary>
    public StudyResult<TArch> Run(ISearchStrategy<TArch> strategy, CancellationToken cancellationToken = default,
                                  Action<Trial<TArch>>? onTrial = null)
    {
        var trials = new List<Trial<TArch>>();
        double cost = 0, wall = 0;
        foreach (var record in Store.Trials(Spec.Name))
        {
            var asked = strategy.Ask();
            if (asked is null || asked.ToText() != record.Architecture)
                throw new StudyConflictException(
                    $"Study '{Spec.Name}' cannot be resumed: trial {record.Number} in the store is {record.Architecture}, " +
                    $"but the strategy now asks for {asked?.ToText() ?? "nothing"}. The code or its configuration changed " +
                    "since the study started; start a new study.");
            strategy.Tell(asked, record.Evaluation);
            cost += record.Evaluation.CostSeconds;
            wall += record.WallSeconds;
            trials.Add(new Trial<TArch>(record.Number, asked, record.Evaluation, record.WallSeconds));
        }
        int resumedFrom = trials.Count;

        string stop = "budget";
        while (true)
        {
            if (cancellationToken.IsCancellationRequested) { stop = "cancelled"; break; }
            if (Budget.Queries is { } q && trials.Count >= q) break;
            if (Budget.WallSeconds is { } w && wall >= w) break;
            var arch = strategy.Ask();
            if (arch is null) { stop = "strategy exhausted"; break; }

            var sw = Stopwatch.StartNew();
            Evaluation evaluation;
            try { evaluation = Evaluator.Evaluate(arch, Fidelity, cancellationToken); }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { stop = "cancelled"; break; }
            catch (Exception e) { evaluation = Evaluation.Failure($"{e.GetType().Name}: {e.Message}"); }
            double seconds = sw.Elapsed.TotalSeconds;

            if (Budget.CostSeconds is { } c && cost + evaluation.CostSeconds > c) break; // would cross the budget
            var record = new TrialRecord(trials.Count, arch.ToText(), Fidelity, evaluation, seconds, DateTimeOffset.UtcNow);
            Store.Append(Spec.Name, record);
            strategy.Tell(arch, evaluation);
            cost += evaluation.CostSeconds;
            wall += seconds;
            var trial = new Trial<TArch>(record.Number, arch, evaluation, seconds);
            trials.Add(trial);
            onTrial?.Invoke(trial);
        }
        return new StudyResult<TArch>(Spec, trials, resumedFrom, stop);
    }
}

/// <summary>A finished trial with its architecture as a value.</summary>
public sealed record Trial<TArch>(int Number, TArch Architecture, Evaluation Evaluation, double WallSeconds)
    where TArch : class, IArchitecture;

/// <summary>The trials of a study run, how many came from the store, and why it stopped.</summary>
public sealed record StudyResult<TArch>(StudySpec Spec, IReadOnlyList<Trial<TArch>> Trials, int Resumed, string StopReason)
    where TArch : class, IArchitecture
{
    /// <summary>The trial with the highest <paramref name="signal"/> among successful ones (first on ties).</summary>
    public Trial<TArch>? Best(string signal) => Trials.Where(t => !t.Evaluation.Failed && t.Evaluation.Metrics.ContainsKey(signal))
        .Aggregate((Trial<TArch>?)null, (best, t) => best is null || t.Evaluation[signal] > best.Evaluation[signal] ? t : best);
}
