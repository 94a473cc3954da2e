using NasKit.Analysis;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Networks;
using NasKit.Spaces;
using NasKit.Strategies;
using NasKit.Strategies.OneShot;
using static TorchSharp.torch;

namespace NasKit.Experiments;

/// <summary>One architecture's accuracy with inherited supernet weights next to its true (stand-alone) value.</summary>
public sealed record InheritedRank<TArch>(TArch Architecture, double Inherited, double Truth) where TArch : class, IArchitecture;

/// <summary>What a one-shot search found and how well the supernet ranks architectures (NaN without a truth to compare with).</summary>
public sealed record OneShotResult<TArch>(TArch Best, double BestInherited, double? BestTruth, IReadOnlyList<InheritedRank<TArch>> Ranking,
                                          double KendallTau, double Spearman, IReadOnlyList<SupernetEpoch> Epochs, int Evaluated)
    where TArch : class, IArchitecture;

/// <summary>
/// SPOS end to end on any weight-sharing space: train the supernet by uniform single paths on three quarters of the
/// training data, run regularized evolution with inherited-weight accuracy on the held-out quarter as its evaluator,
/// and measure the weight-sharing bias: Kendall τ between inherited accuracy and a truth (e.g. a benchmark's
/// stand-alone accuracy) on random architectures.
/// </summary>
public static class OneShotSearch
{
    public static OneShotResult<TArch> Run<TArch>(IWeightSharingSpace<TArch> space, ImageDataset train, NetworkShape shape, int epochs, int seed,
        int evaluations, int population, int rankCells, Func<TArch, double>? truth = null, int batchSize = 64, Device? device = null,
        string? checkpoint = null, Action<SupernetEpoch>? onEpoch = null, Action<string, int, Action<Action>>? progress = null)
        where TArch : class, IArchitecture
    {
        if (population < 2) throw new ArgumentException($"The evolution's population must be at least 2, got {population}.");
        if (evaluations < population) throw new ArgumentException($"The evaluations ({evaluations}) must be at least the population ({population}).");
        if (truth is not null && rankCells < 3) throw new ArgumentException($"Rank at least 3 architectures, got {rankCells}.");
        progress ??= (_, _, work) => work(() => { });
        var (fit, held) = train.Split(0.75, seed);
        using var supernet = new SinglePathTraining<TArch>(space, fit, shape, epochs, seed, batchSize, device: device);
        progress("supernet epochs", epochs, tick =>
        {
            if (checkpoint is not null && File.Exists(checkpoint)) { supernet.Load(checkpoint); foreach (var _ in supernet.History) tick(); }
            supernet.Run(checkpoint, e => { onEpoch?.Invoke(e); tick(); });
        });
        var valid = new BatchLoader(held, new BatchOptions(256), supernet.Device);
        var evaluator = new InheritedWeightEvaluator<TArch>(supernet, valid);

        // Evolution; an architecture asked again reuses its inherited accuracy (the weights no longer change).
        var strategy = new RegularizedEvolution<TArch>(space, Objective.Max(Metrics.ValidAccuracy), seed, population, sampleSize: Math.Max(2, population / 4));
        var seen = new Dictionary<TArch, Evaluation>();
        progress("evolution (inherited weights)", evaluations, tick =>
        {
            for (int i = 0; i < evaluations; i++)
            {
                var proposal = strategy.Ask()!;
                if (!seen.TryGetValue(proposal.Architecture, out var e)) seen[proposal.Architecture] = e = evaluator.Evaluate(proposal.Architecture, Fidelity.Full);
                strategy.Tell(proposal, e);
                tick();
            }
        });
        var best = seen.MaxBy(kv => kv.Value[Metrics.ValidAccuracy]);

        var ranking = new List<InheritedRank<TArch>>();
        if (truth is not null)
        {
            var rng = new Random(unchecked(seed + 1));
            var sample = new HashSet<TArch>();
            var order = new List<TArch>();
            while (order.Count < rankCells) { var a = space.Sample(rng); if (sample.Add(a)) order.Add(a); }
            progress("ranking random architectures", rankCells, tick =>
            {
                foreach (var a in order)
                {
                    ranking.Add(new InheritedRank<TArch>(a, supernet.InheritedAccuracy(a, valid), truth(a)));
                    tick();
                }
            });
        }
        var inherited = ranking.Select(r => r.Inherited).ToArray();
        var truths = ranking.Select(r => r.Truth).ToArray();
        bool ranked = ranking.Count >= 3;
        return new OneShotResult<TArch>(best.Key, best.Value[Metrics.ValidAccuracy], truth?.Invoke(best.Key), ranking,
            ranked ? RankCorrelation.KendallTauB(inherited, truths) : double.NaN, ranked ? RankCorrelation.Spearman(inherited, truths) : double.NaN,
            supernet.History, seen.Count);
    }
}
