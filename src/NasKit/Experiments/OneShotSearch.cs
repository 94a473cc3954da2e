using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Networks;
using NasKit.Spaces.Nb201;
using NasKit.Strategies;
using NasKit.Strategies.OneShot;
using static TorchSharp.torch;

namespace NasKit.Experiments;

/// <summary>One cell's accuracy with inherited supernet weights next to its benchmark accuracy.</summary>
public sealed record InheritedRank(Nb201Cell Cell, double Inherited, double Benchmark);

/// <summary>What a one-shot search found and how well the supernet ranks cells.</summary>
public sealed record OneShotResult(Nb201Cell Best, double BestInherited, double BestBenchmark, IReadOnlyList<InheritedRank> Ranking,
                                   double KendallTau, double Spearman, IReadOnlyList<SupernetEpoch> Epochs, int Evaluated);

/// <summary>
/// SPOS end to end on NB201: train the supernet by uniform single paths on three quarters of the training data,
/// run regularized evolution with inherited-weight accuracy on the held-out quarter as its evaluator, and measure
/// the weight-sharing bias: Kendall τ between inherited and benchmark accuracy on random cells.
/// </summary>
public static class OneShotSearch
{
    public static OneShotResult Run(ImageDataset train, NetworkShape shape, int epochs, int seed, int evaluations, int population, int rankCells,
                                    int batchSize = 64, Device? device = null, string? checkpoint = null, Action<SupernetEpoch>? onEpoch = null,
                                    Action<string, int, Action<Action>>? progress = null, Nb201Benchmark? benchmark = null)
    {
        if (evaluations < population) throw new ArgumentException($"--evaluations ({evaluations}) must be at least the population ({population}).");
        if (rankCells < 3) throw new ArgumentException($"Rank at least 3 cells, got {rankCells}.");
        progress ??= (_, _, work) => work(() => { });
        benchmark ??= Nb201Benchmark.Load();
        var (fit, held) = train.Split(0.75, seed);
        using var supernet = new SinglePathTraining(fit, shape, epochs, seed, batchSize, device: device);
        progress("supernet epochs", epochs, tick =>
        {
            if (checkpoint is not null && File.Exists(checkpoint)) { supernet.Load(checkpoint); foreach (var _ in supernet.History) tick(); }
            supernet.Run(checkpoint, e => { onEpoch?.Invoke(e); tick(); });
        });
        var valid = new BatchLoader(held, new BatchOptions(256), supernet.Device);
        var evaluator = new InheritedWeightEvaluator(supernet, valid);
        var space = new Nb201Space();

        // Evolution; a cell asked again reuses its inherited accuracy (the weights no longer change).
        var strategy = new RegularizedEvolution<Nb201Cell>(space, Objective.Max("valid_acc"), seed, population, sampleSize: Math.Max(2, population / 4));
        var seen = new Dictionary<int, Evaluation>();
        progress("evolution (inherited weights)", evaluations, tick =>
        {
            for (int i = 0; i < evaluations; i++)
            {
                var cell = strategy.Ask()!;
                if (!seen.TryGetValue(cell.Code, out var e)) seen[cell.Code] = e = evaluator.Evaluate(cell, Fidelity.Full);
                strategy.Tell(cell, e);
                tick();
            }
        });
        var best = seen.MaxBy(kv => kv.Value["valid_acc"]);
        var bestCell = Nb201Cell.FromCode(best.Key);

        var rng = new Random(unchecked(seed + 1));
        var cells = new HashSet<int>();
        while (cells.Count < rankCells) cells.Add(space.Sample(rng).Code);
        var ranking = new List<InheritedRank>();
        progress("ranking random cells", rankCells, tick =>
        {
            foreach (var code in cells)
            {
                var cell = Nb201Cell.FromCode(code);
                ranking.Add(new InheritedRank(cell, supernet.InheritedAccuracy(cell, valid), benchmark.TestAccuracy(cell)));
                tick();
            }
        });
        var inherited = ranking.Select(r => r.Inherited).ToArray();
        var truth = ranking.Select(r => r.Benchmark).ToArray();
        return new OneShotResult(bestCell, best.Value["valid_acc"], benchmark.TestAccuracy(bestCell), ranking,
                                 RankCorrelation.KendallTauB(inherited, truth), RankCorrelation.Spearman(inherited, truth), supernet.History, seen.Count);
    }
}
