using NasKit.Catalogs;

namespace NasKit.Estimation.Stopping;

/// <summary>
/// Decides, after each reported step of a running trial, whether to stop it early, from its learning curve so far and
/// the curves of the study's finished trials (which the ledger keeps). Curves are scores, higher is better (a loss is
/// negated by the engine before the rule sees it). A new rule is one class; the catalog finds it by name.
/// </summary>
[CatalogKind("stopping rule")]
public interface IStoppingRule : ICatalogEntry
{
    /// <param name="curve">The running trial's scores for steps 1..n (n ≥ 1).</param>
    /// <param name="finished">The finished trials' score curves (each for steps 1..its length; stopped ones are shorter).</param>
    /// <param name="target">The steps the running trial would train in all.</param>
    bool ShouldStop(IReadOnlyList<double> curve, IReadOnlyList<IReadOnlyList<double>> finished, int target);
}

/// <summary>
/// The median stopping rule (Golovin et al., Google Vizier, KDD 2017): stop a trial at step s when its best score so
/// far is worse than the median, over finished trials that reached step s, of their running averages up to s. As in
/// Ray Tune, it acts only after a grace period and once enough trials have finished.
/// </summary>
public sealed class MedianStoppingRule : IStoppingRule
{
    public string Name => "median";
    public string Description => "Median stopping rule (Golovin et al. 2017): best so far below the median running average of finished trials.";
    public int Order => 0;

    /// <summary>Steps a trial always runs.</summary>
    public int GracePeriod { get; init; } = 1;
    /// <summary>Finished trials (that reached the step) needed before the rule stops anything.</summary>
    public int MinFinished { get; init; } = 3;

    public bool ShouldStop(IReadOnlyList<double> curve, IReadOnlyList<IReadOnlyList<double>> finished, int target)
    {
        int s = curve.Count;
        if (s <= GracePeriod || s >= target) return false;
        var averages = finished.Where(c => c.Count >= s).Select(c => c.Take(s).Average()).Order().ToArray();
        if (averages.Length < MinFinished) return false;
        double median = averages.Length % 2 == 1 ? averages[averages.Length / 2] : (averages[averages.Length / 2 - 1] + averages[averages.Length / 2]) / 2;
        return curve.Max() < median;
    }
}
