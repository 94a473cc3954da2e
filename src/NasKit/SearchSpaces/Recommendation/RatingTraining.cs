using System.Diagnostics;
using TorchSharp;
using NasKit.Data;
using NasKit.Networks;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.Recommendation;

/// <summary>
/// How a rating model is trained: Adam on the squared error plus <see cref="L2"/> times the squared norm of the
/// embeddings and biases each rating uses (per-observation regularisation, as in Funk/Koren-style SGD), mini-batches
/// of <see cref="BatchSize"/>; the epoch with the lowest development RMSE is kept. The defaults (learning rate 0.01,
/// L2 0.15) had the lowest development RMSE for biased MF on seed 0's split among {0.003, 0.01} × {0.05, 0.1, 0.15, 0.3, 1}.
/// </summary>
public sealed record RatingRecipe(int Epochs = 20, int BatchSize = 1024, double LearningRate = 1e-2, double L2 = 0.15, int EvalBatchSize = 50_000)
{
    public RatingRecipe Validated()
    {
        if (Epochs < 1 || BatchSize < 1 || EvalBatchSize < 1) throw new ArgumentException($"Training needs at least 1 epoch and batches of at least 1; got {Epochs}, {BatchSize}, {EvalBatchSize}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"The learning rate must be positive and finite, got {LearningRate}.");
        if (!(L2 >= 0) || double.IsInfinity(L2)) throw new ArgumentException($"The L2 weight must be finite and >= 0, got {L2}.");
        return this;
    }
}

/// <summary>Some ratings as tensors on a device: user and movie indices and the stars.</summary>
public sealed class RatingTensors : IDisposable
{
    public Tensor Users { get; }
    public Tensor Movies { get; }
    public Tensor Ratings { get; }
    public long Count => Ratings.shape[0];

    public RatingTensors(RatingData data, IReadOnlyList<int> rows, Device device)
    {
        if (rows.Count == 0) throw new ArgumentException("No ratings to make tensors of.");
        using var u = tensor(rows.Select(i => (long)data.User[i]).ToArray());
        using var m = tensor(rows.Select(i => (long)data.Movie[i]).ToArray());
        using var r = tensor(rows.Select(i => data.Rating[i]).ToArray());
        Users = u.to(device).DetachFromDisposeScope();
        Movies = m.to(device).DetachFromDisposeScope();
        Ratings = r.to(device).DetachFromDisposeScope();
    }

    public void Dispose() { Users.Dispose(); Movies.Dispose(); Ratings.Dispose(); }
}

/// <summary>A trained rating model: development RMSE per epoch and the epoch kept; <see cref="Failure"/> when the loss diverged.</summary>
public sealed record RatingRun(IReadOnlyList<double> DevCurve, int BestEpoch, double DevRmse, double Seconds, string? Failure = null);

public static class RatingTraining
{
    public static RatingRun Train(RatingNetwork model, RatingTensors train, RatingTensors dev, RatingRecipe recipe, int seed, Device device,
                                  Action<int, double>? epochDone = null, CancellationToken cancellation = default)
    {
        recipe = recipe.Validated();
        var clock = Stopwatch.StartNew();
        model.to(device);
        using var optimizer = new ExplicitAdam(model.parameters(), recipe.LearningRate);
        using var generator = new Generator((ulong)(uint)unchecked(seed * 7919 + 29));
        using var l2 = recipe.L2.ToScalar();
        var curve = new List<double>();
        Dictionary<string, Tensor>? best = null;
        int bestEpoch = 0;
        try
        {
            for (int epoch = 1; epoch <= recipe.Epochs; epoch++)
            {
                model.train();
                using (var permutation = randperm(train.Count, generator: generator).to(train.Users.device))
                    for (long start = 0; start < train.Count; start += recipe.BatchSize)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        using var scope = NewDisposeScope();
                        var rows = permutation.narrow(0, start, Math.Min(recipe.BatchSize, train.Count - start));
                        var (prediction, norm) = model.Score(train.Users.index_select(0, rows), train.Movies.index_select(0, rows));
                        var loss = nn.functional.mse_loss(prediction, train.Ratings.index_select(0, rows)) + norm.mean() * l2;
                        optimizer.ZeroGrad();
                        loss.backward();
                        double value = loss.item<float>();
                        if (!double.IsFinite(value)) return new RatingRun(curve, bestEpoch, double.NaN, clock.Elapsed.TotalSeconds, $"the training loss became {value} in epoch {epoch} (lower the learning rate?)");
                        optimizer.Step();
                    }
                double rmse = Rmse(model, dev, recipe.EvalBatchSize);
                if (!double.IsFinite(rmse)) return new RatingRun(curve, bestEpoch, double.NaN, clock.Elapsed.TotalSeconds, $"the development RMSE became {rmse} in epoch {epoch}");
                curve.Add(rmse);
                epochDone?.Invoke(epoch, rmse);
                if (bestEpoch == 0 || rmse < curve[bestEpoch - 1])
                {
                    bestEpoch = epoch;
                    if (best is not null) foreach (var t in best.Values) t.Dispose();
                    best = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
                }
            }
            model.load_state_dict(best!, strict: false);
        }
        finally
        {
            if (best is not null) foreach (var t in best.Values) t.Dispose();
        }
        return new RatingRun(curve, bestEpoch, curve[bestEpoch - 1], clock.Elapsed.TotalSeconds);
    }

    /// <summary>Root mean squared error with predictions clipped to the rating scale [0.5, 5] (a prediction outside it is never better).</summary>
    public static double Rmse(RatingNetwork model, RatingTensors data, int batch = 50_000)
    {
        bool wasTraining = model.training;
        model.eval();
        double sum = 0;
        using (no_grad())
            for (long start = 0; start < data.Count; start += batch)
            {
                using var scope = NewDisposeScope();
                long n = Math.Min(batch, data.Count - start);
                var p = model.forward(data.Users.narrow(0, start, n), data.Movies.narrow(0, start, n)).clamp(RatingData.MinRating, RatingData.MaxRating);
                sum += (p - data.Ratings.narrow(0, start, n)).square().sum().to(float64).item<double>();
            }
        model.train(wasTraining);
        return Math.Sqrt(sum / data.Count);
    }
}
