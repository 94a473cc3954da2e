using System.Diagnostics;
using NasKit.Analysis;
using NasKit.Estimation.Predictors;
using NasKit.Spaces;

namespace NasKit.Experiments;

/// <summary>One fit of one predictor: its rank correlation on the held-out architectures and what the fit cost.</summary>
public sealed record PredictorFit(string Predictor, int TrainSize, int Seed, double Kendall, double Spearman, double FitSeconds);

/// <summary>Mean and spread over seeds of one predictor at one training-set size.</summary>
public sealed record PredictorCurvePoint(string Predictor, int TrainSize, int Seeds, double KendallMean, double KendallStd, double SpearmanMean, double FitSeconds);

/// <summary>
/// The protocol of White et al. (2021), "How powerful are performance predictors in NAS?": for each seed, a
/// seeded split of the pool into a fixed test set and a training set; fit each predictor on the first n training
/// architectures for each n, and measure Kendall τ between its predictions and the truth on the test set.
/// </summary>
public static class PredictorStudy
{
    public static readonly int[] DefaultTrainSizes = [20, 50, 100, 200, 500, 1000];

    /// <param name="predictors">Name and maker (from a seed) of each predictor.</param>
    public static IReadOnlyList<PredictorFit> Run<TArch>(IReadOnlyList<TArch> pool, Func<TArch, double> truth,
        IReadOnlyList<(string Name, Func<int, IPredictor<TArch>> Make)> predictors, IReadOnlyList<int> trainSizes, int seeds, int testSize,
        Action<PredictorFit>? onFit = null, int firstSeed = 0, CancellationToken cancellationToken = default) where TArch : class, IArchitecture
    {
        if (trainSizes.Count == 0 || trainSizes.Any(n => n < 2)) throw new ArgumentException("Training-set sizes must be at least 2.");
        if (testSize < 3) throw new ArgumentException("The test set needs at least 3 architectures.");
        if (trainSizes.Max() + testSize > pool.Count)
            throw new ArgumentException($"The pool has {pool.Count} architectures; {trainSizes.Max()} for training plus {testSize} for testing do not fit.");
        var fits = new List<PredictorFit>();
        for (int seed = firstSeed; seed < firstSeed + seeds; seed++)
        {
            var (train, test) = Split(pool, testSize, seed);
            var testTruth = test.Select(truth).ToArray();
            foreach (var n in trainSizes)
            {
                var x = train[..n];
                var y = x.Select(truth).ToArray();
                foreach (var (name, make) in predictors)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var predictor = make(seed);
                    try
                    {
                        var sw = Stopwatch.StartNew();
                        predictor.Fit(x, y);
                        var predicted = predictor.Query(test).Select(p => p.Mean).ToArray();
                        var fit = new PredictorFit(name, n, seed, RankCorrelation.KendallTauB(predicted, testTruth),
                            RankCorrelation.Spearman(predicted, testTruth), sw.Elapsed.TotalSeconds);
                        fits.Add(fit);
                        onFit?.Invoke(fit);
                    }
                    finally { (predictor as IDisposable)?.Dispose(); }
                }
            }
        }
        return fits;
    }

    /// <summary>One seed's split: the pool shuffled with the seed, the first <paramref name="testSize"/> held out, the rest in order for training.</summary>
    public static (TArch[] Train, TArch[] Test) Split<TArch>(IReadOnlyList<TArch> pool, int testSize, int seed)
    {
        var order = pool.ToArray();
        new Random(seed).Shuffle(order);
        return (order[testSize..], order[..testSize]);
    }

    public static IReadOnlyList<PredictorCurvePoint> Curve(IReadOnlyList<PredictorFit> fits) => fits
        .GroupBy(f => (f.Predictor, f.TrainSize))
        .Select(g => new PredictorCurvePoint(g.Key.Predictor, g.Key.TrainSize, g.Count(), Statistics.Mean(g.Select(f => f.Kendall).ToArray()),
            g.Count() > 1 ? Statistics.Std(g.Select(f => f.Kendall).ToArray()) : 0, Statistics.Mean(g.Select(f => f.Spearman).ToArray()),
            Statistics.Mean(g.Select(f => f.FitSeconds).ToArray())))
        .ToArray();

    /// <summary>Each factory's predictor, and with zero-cost features when given, for a space.</summary>
    public static IReadOnlyList<(string Name, Func<int, IPredictor<TArch>> Make)> Makers<TArch>(ISearchSpace<TArch> space,
        IEnumerable<IPredictorFactory> factories, IFeaturizer<TArch>? zeroCost) where TArch : class, IArchitecture
    {
        var makers = new List<(string, Func<int, IPredictor<TArch>>)>();
        foreach (var f in factories)
        {
            if (f.Create(space, 0) is not { } probe)
                throw new ArgumentException($"Predictor '{f.Name}' cannot work on space '{space.Name}' (it lacks a capability the predictor needs).");
            (probe as IDisposable)?.Dispose();
            makers.Add((f.Name, seed => f.Create(space, seed)!));
            if (zeroCost is not null) makers.Add(($"{f.Name}+zc", seed => f.Create(space, seed, zeroCost)!));
        }
        return makers;
    }
}
