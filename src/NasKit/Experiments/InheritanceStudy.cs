using NasKit.Analysis;
using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Experiments;

/// <summary>How large a weight-inheritance measurement is: parents trained from scratch, one-edit children of each, and the epochs of both.</summary>
public sealed record InheritanceSettings(int Parents = 10, int ChildrenPerParent = 4, int ParentEpochs = 3, int FineTuneEpochs = 1)
{
    public InheritanceSettings Validated() =>
        Parents < 2 || ChildrenPerParent < 1 || ParentEpochs < 1 || FineTuneEpochs < 1
            ? throw new ArgumentException($"Weight inheritance needs at least 2 parents, 1 child each and 1 epoch for both; got {this}.")
            : this;
}

/// <summary>One child: trained k epochs from its parent's inherited weights and k epochs from scratch, next to the benchmark's value.</summary>
public sealed record InheritanceRow(int Seed, string Parent, string Child, double ParentAccuracy, double InheritedAccuracy, double ScratchAccuracy,
                                   double InheritedFraction, double InheritedSeconds, double ScratchSeconds, double Truth);

/// <summary>One seed's summary: Kendall τ of each estimate against the benchmark over the children, and the cost.</summary>
public sealed record InheritanceSummary(int Seed, int Children, double TauInherited, double TauScratch, double TauParent,
                                        double MeanInheritedFraction, double InheritedSeconds, double ScratchSeconds);

/// <summary>
/// Does parameter inheritance make short training a better estimate? Parents are trained from scratch; each child is
/// one edit from its parent and is trained k epochs twice, once starting from the parent's unchanged weights and once
/// from scratch; both estimates are rank-correlated with the benchmark's value of the children. Parents are drawn at
/// least 3 edits apart, so every child has exactly one parent to inherit from.
/// </summary>
public static class InheritanceStudy
{
    /// <param name="evaluator">A training evaluator for a seed, with the given inheritance (null: from scratch); the same recipe both ways.</param>
    public static IReadOnlyList<InheritanceRow> Run<TArch>(ISearchSpace<TArch> space, Func<WeightInheritance<TArch>?, TrainingEvaluator<TArch>> evaluator,
        InheritanceSettings settings, int seed, Func<TArch, double> truth, Action<InheritanceRow>? onRow = null, Action? onTrained = null,
        CancellationToken cancellationToken = default) where TArch : class, IArchitecture
    {
        settings = settings.Validated();
        var mutable = space as IMutableSpace<TArch> ?? throw new ArgumentException($"Space '{space.Name}' cannot mutate; children need one-edit moves.");
        using var inheritance = new WeightInheritance<TArch>(space, capacity: settings.Parents);
        var rng = new Random(seed);
        var parents = new List<TArch>();
        for (int attempt = 0; parents.Count < settings.Parents; attempt++)
        {
            if (attempt > 10_000 * settings.Parents) throw new ArgumentException($"Space '{space.Name}' has no {settings.Parents} architectures 3 edits apart; ask for fewer parents.");
            var p = space.Sample(rng);
            if (parents.All(q => inheritance.Distance(p, q) >= 3)) parents.Add(p);
        }
        var inheriting = evaluator(inheritance);
        var scratch = evaluator(null);
        var parentAccuracy = new Dictionary<TArch, double>();
        foreach (var p in parents)
        {
            var e = inheriting.Evaluate(p, new Fidelity(Epochs: settings.ParentEpochs), cancellationToken);
            if (e.Failed) throw new InvalidOperationException($"Parent {p.ToText()} failed to train: {e.Reason}");
            parentAccuracy[p] = e[Metrics.ValidAccuracy];
            onTrained?.Invoke();
        }
        inheritance.Learn = false; // children inherit from their parents only, never from each other
        var rows = new List<InheritanceRow>();
        var fineTune = new Fidelity(Epochs: settings.FineTuneEpochs);
        foreach (var p in parents)
        {
            var children = new HashSet<TArch>();
            for (int attempt = 0; children.Count < settings.ChildrenPerParent && attempt < 100 * settings.ChildrenPerParent; attempt++)
                children.Add(mutable.Mutate(p, rng));
            foreach (var child in children)
            {
                var a = inheriting.Evaluate(child, fineTune, cancellationToken);
                var b = scratch.Evaluate(child, fineTune, cancellationToken);
                var row = new InheritanceRow(seed, p.ToText(), child.ToText(), parentAccuracy[p],
                    a.Failed ? double.NaN : a[Metrics.ValidAccuracy], b.Failed ? double.NaN : b[Metrics.ValidAccuracy],
                    a.Failed ? double.NaN : a[TrainingEvaluator<TArch>.InheritedFraction], a.CostSeconds, b.CostSeconds, truth(child));
                rows.Add(row);
                onRow?.Invoke(row);
            }
        }
        return rows;
    }

    /// <summary>Per seed: τ of the inherited and the scratch estimates, and of the parent's own accuracy, against the benchmark.</summary>
    public static IReadOnlyList<InheritanceSummary> Summarise(IEnumerable<InheritanceRow> rows) =>
        rows.GroupBy(r => r.Seed).OrderBy(g => g.Key).Select(g =>
        {
            var ok = g.Where(r => double.IsFinite(r.InheritedAccuracy) && double.IsFinite(r.ScratchAccuracy)).ToArray();
            var truth = ok.Select(r => r.Truth).ToArray();
            double Tau(Func<InheritanceRow, double> f) => ok.Length >= 3 ? RankCorrelation.KendallTauB(ok.Select(f).ToArray(), truth) : double.NaN;
            return new InheritanceSummary(g.Key, ok.Length, Tau(r => r.InheritedAccuracy), Tau(r => r.ScratchAccuracy), Tau(r => r.ParentAccuracy),
                ok.Select(r => r.InheritedFraction).DefaultIfEmpty(double.NaN).Average(),
                ok.Select(r => r.InheritedSeconds).DefaultIfEmpty(double.NaN).Average(), ok.Select(r => r.ScratchSeconds).DefaultIfEmpty(double.NaN).Average());
        }).ToArray();
}
