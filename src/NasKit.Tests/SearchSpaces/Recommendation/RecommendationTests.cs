using NasKit.Data;
using NasKit.Estimation;
using NasKit.SearchSpaces.Recommendation;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.Recommendation;

public class RecommendationTests
{
    private readonly RecommendationSpace _space = new();

    // The ratings of src/NasKit.Tests/Data/reference/rating_baselines.py: rows 0-13 train, 14-17 test.
    private static readonly (long, long, double, string)[] Tiny =
    [
        (0, 0, 4.0, "Drama"), (0, 1, 3.5, "Comedy"), (1, 0, 5.0, "Drama"), (1, 2, 2.0, "Drama|Horror"), (2, 1, 1.5, "Comedy"),
        (2, 3, 4.5, "Action"), (3, 2, 3.0, "Drama|Horror"), (3, 3, 0.5, "Action"), (0, 3, 4.0, "Action"), (1, 1, 2.5, "Comedy"),
        (2, 0, 3.0, "Drama"), (3, 0, 5.0, "Drama"), (2, 2, 1.0, "Drama|Horror"), (4, 4, 3.5, "(no genres listed)"),
        (0, 2, 3.0, "Drama|Horror"), (1, 3, 4.0, "Action"), (3, 1, 2.0, "Comedy"), (4, 0, 5.0, "Drama"),
    ];

    [Fact]
    public void Closed_form_baselines_match_numpy()
    {
        var data = RatingData.FromRows(Tiny);
        int[] train = [.. Enumerable.Range(0, 14)], test = [14, 15, 16, 17];
        // Values printed by rating_baselines.py.
        Assert.Equal(1.197361043874301, RatingBaselines.Rmse(data, test, (_, _) => data.Mean(train)), 12);
        Assert.Equal(0.583333333333333, RatingBaselines.Rmse(data, test, RatingBaselines.Effects(data, train, 0)), 12);
        Assert.Equal(0.744926300209466, RatingBaselines.Rmse(data, test, RatingBaselines.Effects(data, train, 2)), 12);
        Assert.Throws<ArgumentException>(() => RatingBaselines.Effects(data, train, -1));
    }

    [Fact]
    public void Reading_refuses_bad_values_with_the_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            void Expect(string body, string message)
            {
                File.WriteAllText(path, "\"userId\",\"movieId\",\"rating\",\"timestamp\",\"genres\"\n" + body);
                Assert.Contains(message, Assert.Throws<InvalidDataException>(() => RatingData.Read(path)).Message);
            }
            Expect("1,2,5.5,0,\"Drama\"\n", "line 2: rating '5.5' is not a half star");
            Expect("1,2,4,0,\"Drama\"\n1,3,3.3,0,\"Drama\"\n", "line 3: rating '3.3'");
            Expect("0,2,4,0,\"Drama\"\n", "must be positive integers");
            Expect("1,2,4,0,\"Drama\"\n1,2,3,0,\"Drama\"\n", "rated movie 2 twice");
            Expect("1,2,4,0,\"Drama\"\n3,2,3,0,\"Comedy\"\n", "movie 2 has genres 'Drama' and 'Comedy'");
            Expect("", "no ratings");
            File.WriteAllText(path, "user,movie,rating\n1,2,3\n");
            Assert.Contains("expected userId,movieId,rating,timestamp,genres", Assert.Throws<InvalidDataException>(() => RatingData.Read(path)).Message);
            File.WriteAllText(path, "userId,movieId,rating,timestamp,genres\n10,20,4.5,0,\"Drama|Comedy\"\n30,20,1,0,\"Drama|Comedy\"\n");
            var ok = RatingData.Read(path);
            Assert.Equal((2, 1, 2), (ok.Users, ok.Movies, ok.Genres.Count));
            Assert.Equal([0, 1], ok.MovieGenres[0]);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_MovieLens_export_has_the_documented_shape_and_splits_are_seeded_and_disjoint()
    {
        var data = RatingData.MovieLens();
        Assert.Equal((100_004, 671, 9_066, 20), (data.Count, data.Users, data.Movies, data.Genres.Count));
        Assert.InRange(data.Rating.Average(r => (double)r), 3.4, 3.7);
        var a = data.Split(0);
        Assert.Equal(a.Train, data.Split(0).Train);
        Assert.NotEqual(a.Test, data.Split(1).Test);
        Assert.Equal(data.Count, a.Train.Length + a.Dev.Length + a.Test.Length);
        Assert.Equal(data.Count, a.Train.Concat(a.Dev).Concat(a.Test).Distinct().Count());
        // About 20% test and 10% of the rest for development; nothing held out has an unseen user or movie.
        Assert.InRange(a.Test.Length, 18_500, 20_001);
        Assert.InRange(a.Dev.Length, 7_000, 8_001);
        var users = a.Train.Select(i => data.User[i]).ToHashSet();
        var movies = a.Train.Select(i => data.Movie[i]).ToHashSet();
        Assert.All(a.Dev.Concat(a.Test), i => Assert.True(users.Contains(data.User[i]) && movies.Contains(data.Movie[i])));
    }

    [Fact]
    public void Parameter_counts_match_the_built_networks_and_text_round_trips()
    {
        var fields = new RatingFields(50, 80, 5);
        var genres = Enumerable.Range(0, 80).Select(m => new[] { m % 5, (m * 3 + 1) % 5 }.Distinct().ToArray()).ToArray();
        var rng = new Random(5);
        var seen = new HashSet<RatingInteraction>();
        for (int i = 0; i < 60; i++)
        {
            using var scope = NewDisposeScope();
            var arch = _space.Sample(rng);
            Assert.Equal(arch, _space.Parse(arch.ToText()));
            var config = _space.Configure(arch);
            seen.Add(config.Interaction);
            Assert.Equal(arch["interaction"] == "mlp", arch["mlp.width"] is not null);
            Assert.Equal(arch["interaction"] == "cross", arch["cross.layers"] is not null);
            using var net = new RatingNetwork(config, fields, genres, 3.5, i);
            Assert.Equal(config.TotalParameters(fields), net.parameters().Sum(p => p.numel()));
            var y = net.forward(tensor(new long[] { 0, 49, 7 }), tensor(new long[] { 79, 0, 3 }));
            Assert.Equal([3L], y.shape);
        }
        Assert.Equal(3, seen.Count);
        Assert.Equal(50 * 16 + 80 * 16, _space.Configure(_space.MatrixFactorization(16)).EmbeddingParameters(fields));
        Assert.Throws<ArgumentException>(() => _space.MatrixFactorization(7));
        Assert.Throws<ArchitectureFormatException>(() => _space.Parse("user=3, movie=8, genres=none, interaction=dot"));
    }

    [Fact]
    public void Biased_MF_and_cross_layers_compute_their_formulas()
    {
        var fields = new RatingFields(4, 6, 3);
        var genres = Enumerable.Range(0, 6).Select(m => new[] { m % 3 }).ToArray();
        using var mf = new RatingNetwork(_space.Configure(_space.MatrixFactorization(4)), fields, genres, 3.25, 1);
        var w = mf.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());
        var (P, Q, bu, bm) = (w["_user.weight"], w["_movie.weight"], w["_userBias.weight"], w["_movieBias.weight"]);
        using (no_grad())
        {
            var pred = mf.forward(tensor(new long[] { 2 }), tensor(new long[] { 5 })).item<float>();
            double dot = Enumerable.Range(0, 4).Sum(k => (double)P[2 * 4 + k] * Q[5 * 4 + k]);
            Assert.Equal(3.25 + bu[2] + bm[5] + dot, pred, 5);
        }

        // DCN: x1 = x0 (w·x0) + b + x0, read out linearly; fields are user (2) and movie (2) embeddings.
        var config = _space.Configure((Choices)_space.Parse("user=2, movie=2, genres=none, interaction=cross, cross.layers=1"));
        using var cross = new RatingNetwork(config, fields, genres, 0, 2);
        using (no_grad())
            foreach (var p in cross.named_parameters().Where(p => p.name.Contains("Bias") || p.name.StartsWith("_crossBiases")))
                p.parameter.uniform_(-0.5, 0.5); // non-zero biases, so the test sees them
        var c = cross.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());
        double[] x0 = [c["_user.weight"][2], c["_user.weight"][3], c["_movie.weight"][0], c["_movie.weight"][1]]; // user 1, movie 0
        var cw = c["_crossWeights.0"];
        var cb = c["_crossBiases.0"];
        double s = Enumerable.Range(0, 4).Sum(k => x0[k] * cw[k]);
        var x1 = Enumerable.Range(0, 4).Select(k => x0[k] * s + cb[k] + x0[k]).ToArray();
        double expected = Enumerable.Range(0, 4).Sum(k => x1[k] * c["_readout.weight"][k]) + c["_readout.bias"][0] + c["_userBias.weight"][1] + c["_movieBias.weight"][0];
        using (no_grad())
            Assert.Equal(expected, cross.forward(tensor(new long[] { 1 }), tensor(new long[] { 0 })).item<float>(), 5);
    }

    [Fact]
    public void Training_on_MovieLens_beats_the_global_mean_and_reports_the_vocabulary()
    {
        using var evaluator = new RatingEvaluator(_space, RatingData.MovieLens(), 0, new RatingRecipe(Epochs: 3));
        var baseline = RatingBaselines.GlobalMean(evaluator.Data, evaluator.Split);
        var e = evaluator.Evaluate(_space.MatrixFactorization(8), new Fidelity(3));
        Assert.False(e.Failed, e.Reason);
        Assert.Equal(3, e.Curves![Metrics.ValidRmse].Count);
        Assert.Equal(e.Curves[Metrics.ValidRmse].Min(), e[Metrics.ValidRmse]);
        Assert.True(e[Metrics.TestRmse] < baseline.TestRmse - 0.1, $"MF test RMSE {e[Metrics.TestRmse]} vs global mean {baseline.TestRmse}");
        Assert.Equal((671 + 9066) * 8 / 1e6, e[Metrics.EmbeddingParameters], 9);
        Assert.False(Metrics.HigherIsBetter(Metrics.TestRmse));
        // A diverging learning rate fails the trial with the reason instead of reporting a number.
        using var wild = new RatingEvaluator(_space, RatingData.MovieLens(), 0, new RatingRecipe(Epochs: 2, LearningRate: 1e9));
        var failed = wild.Evaluate(_space.MatrixFactorization(8), new Fidelity(2));
        Assert.True(failed.Failed);
        Assert.Contains("lower the learning rate", failed.Reason);
    }
}
