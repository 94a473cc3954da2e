using NasKit.Data;

namespace NasKit.SearchSpaces.Recommendation;

/// <summary>RMSE on the development and test ratings of a split.</summary>
public sealed record RatingScore(double DevRmse, double TestRmse);

/// <summary>
/// The closed-form baselines of the dslabs book's MovieLens chapter: the global mean, and the regularised movie and
/// user effects r̂ = μ + b_m + b_u with b_m = Σ(r − μ)/(n_m + λ) over the movie's training ratings, then
/// b_u = Σ(r − μ − b_m)/(n_u + λ) over the user's; λ is chosen on the development ratings, never on test.
/// </summary>
public static class RatingBaselines
{
    public static RatingScore GlobalMean(RatingData data, RatingSplit split)
    {
        double mu = data.Mean(split.Train);
        return new(Rmse(data, split.Dev, (_, _) => mu), Rmse(data, split.Test, (_, _) => mu));
    }

    /// <summary>Movie and user effects with shrinkage <paramref name="lambda"/> (0: plain means).</summary>
    public static Func<int, int, double> Effects(RatingData data, IReadOnlyList<int> train, double lambda)
    {
        if (!(lambda >= 0) || double.IsInfinity(lambda)) throw new ArgumentException($"The shrinkage must be finite and >= 0, got {lambda}.");
        double mu = data.Mean(train);
        var (movieSum, movieCount) = (new double[data.Movies], new int[data.Movies]);
        foreach (var i in train) { movieSum[data.Movie[i]] += data.Rating[i] - mu; movieCount[data.Movie[i]]++; }
        var bm = movieSum.Select((s, m) => movieCount[m] + lambda > 0 ? s / (movieCount[m] + lambda) : 0).ToArray();
        var (userSum, userCount) = (new double[data.Users], new int[data.Users]);
        foreach (var i in train) { userSum[data.User[i]] += data.Rating[i] - mu - bm[data.Movie[i]]; userCount[data.User[i]]++; }
        var bu = userSum.Select((s, u) => userCount[u] + lambda > 0 ? s / (userCount[u] + lambda) : 0).ToArray();
        return (u, m) => mu + bu[u] + bm[m];
    }

    /// <summary>The shrinkage of <paramref name="grid"/> with the lowest development RMSE, and its scores.</summary>
    public static (double Lambda, RatingScore Score) TunedEffects(RatingData data, RatingSplit split, IEnumerable<double>? grid = null)
    {
        grid ??= Enumerable.Range(0, 41).Select(k => k * 0.25);
        var best = grid.Select(l => (Lambda: l, Predict: Effects(data, split.Train, l)))
                       .Select(c => (c.Lambda, c.Predict, Dev: Rmse(data, split.Dev, c.Predict)))
                       .MinBy(c => c.Dev);
        return (best.Lambda, new RatingScore(best.Dev, Rmse(data, split.Test, best.Predict)));
    }

    /// <summary>RMSE of a predictor on some rows, predictions clipped to [0.5, 5].</summary>
    public static double Rmse(RatingData data, IReadOnlyList<int> rows, Func<int, int, double> predict)
    {
        if (rows.Count == 0) throw new ArgumentException("No ratings to score.");
        double sum = 0;
        foreach (var i in rows)
        {
            double e = Math.Clamp(predict(data.User[i], data.Movie[i]), RatingData.MinRating, RatingData.MaxRating) - data.Rating[i];
            sum += e * e;
        }
        return Math.Sqrt(sum / rows.Count);
    }
}
