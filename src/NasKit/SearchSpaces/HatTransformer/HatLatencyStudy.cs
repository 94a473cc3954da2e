using NasKit.Analysis;
using NasKit.Estimation.Predictors;

namespace NasKit.SearchSpaces.HatTransformer;

/// <summary>One predictor on one HAT data set: held-out RMSE (ms), mean absolute percentage deviation and Kendall τ.</summary>
public sealed record HatLatencyResult(string DataSet, string Predictor, double RmseMs, double Mapd, double KendallTau, int Train, int Test, double MeanLatencyMs);

/// <summary>
/// HAT's latency-predictor protocol on its own data: a seeded shuffle, the first 80% to train, the last 10% to test
/// (latency_predictor.py's split; the 10% between is its validation set, unused here), each predictor fitted on the
/// training configurations' encoder+decoder latency and scored on the test ones.
/// </summary>
public static class HatLatencyStudy
{
    /// <summary>HAT's MLP, ridge regression and gradient-boosted trees on HAT's normalised features.</summary>
    public static IReadOnlyList<Func<IPredictor<HatConfiguration>>> DefaultPredictors(int seed, int mlpSteps = 5000) =>
    [
        () => new HatLatencyMlp(seed, mlpSteps),
        () => new RidgeRegression<HatConfiguration>(new HatFeatures()),
        () => new GradientBoostedTrees<HatConfiguration>(new HatFeatures(), seed),
    ];

    public static IReadOnlyList<HatLatencyResult> Run(string dataSet, IReadOnlyList<HatLatencySample> samples, int seed, IReadOnlyList<Func<IPredictor<HatConfiguration>>> predictors)
    {
        var shuffled = samples.ToArray();
        new Random(seed).Shuffle(shuffled);
        int train = (int)Math.Floor(0.8 * shuffled.Length), valid = (int)Math.Floor(0.1 * shuffled.Length);
        var trainSet = shuffled[..train];
        var testSet = shuffled[(train + valid)..];
        var actual = testSet.Select(s => s.LatencyMs).ToArray();
        var results = new List<HatLatencyResult>();
        foreach (var make in predictors)
        {
            var predictor = make();
            try
            {
                predictor.Fit(trainSet.Select(s => s.Configuration).ToArray(), trainSet.Select(s => s.LatencyMs).ToArray());
                var predicted = predictor.Query(testSet.Select(s => s.Configuration).ToArray()).Select(p => p.Mean).ToArray();
                double rmse = Math.Sqrt(actual.Zip(predicted, (a, p) => (a - p) * (a - p)).Average());
                double mapd = actual.Zip(predicted, (a, p) => Math.Abs(a - p) / a).Average();
                results.Add(new HatLatencyResult(dataSet, predictor.Name, rmse, mapd, RankCorrelation.KendallTauB(predicted, actual), train, testSet.Length, actual.Average()));
            }
            finally { (predictor as IDisposable)?.Dispose(); }
        }
        return results;
    }
}
