using NasKit.Data;
using NasKit.Estimation;
using NasKit.Runtime;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.Recommendation;

/// <summary>
/// Trains a rating model of <see cref="RecommendationSpace"/> on one seeded split (<see cref="RatingTraining"/>).
/// The signal is the best development RMSE (<c>valid_rmse</c>), the outcome that epoch's test RMSE (<c>test_rmse</c>);
/// also <c>emb_params_m</c> (embedding-table entries), <c>params_m</c>, <c>wall_seconds</c>.
/// </summary>
public sealed class RatingEvaluator : IEvaluator<Choices>, ISignalEvaluator, IDisposable
{
    private readonly RecommendationSpace _space;
    private readonly RatingTensors _train, _dev, _test;
    private readonly double _mean;

    public RatingData Data { get; }
    public RatingSplit Split { get; }
    public RatingRecipe Recipe { get; }
    public int Seed { get; }
    public Device Device { get; }
    public RatingFields Fields => new(Data.Users, Data.Movies, Data.Genres.Count);
    public Objective Signal { get; } = Objective.Min(Metrics.ValidRmse);
    public string? Outcome => Metrics.TestRmse;

    /// <summary>The split and the initialisation both come from <paramref name="seed"/>.</summary>
    public RatingEvaluator(RecommendationSpace space, RatingData data, int seed, RatingRecipe? recipe = null, Device? device = null)
    {
        _space = space;
        Data = data;
        Seed = seed;
        Recipe = (recipe ?? new RatingRecipe()).Validated();
        Device = device ?? TorchRuntime.DefaultDevice;
        Split = data.Split(seed);
        _mean = data.Mean(Split.Train);
        _train = new RatingTensors(data, Split.Train, Device);
        _dev = new RatingTensors(data, Split.Dev, Device);
        _test = new RatingTensors(data, Split.Test, Device);
    }

    public RatingNetwork Build(Choices arch) => new(_space.Configure(arch), Fields, Data.MovieGenres, _mean, Seed);

    public Evaluation Evaluate(Choices arch, Fidelity fidelity, TrialContext? context = null)
    {
        context ??= TrialContext.None;
        var config = _space.Configure(arch);
        var recipe = Recipe with { Epochs = fidelity.Epochs ?? Recipe.Epochs };
        using var scope = NewDisposeScope();
        using var model = Build(arch);
        var run = RatingTraining.Train(model, _train, _dev, recipe, Seed, Device,
            (epoch, rmse) => context.Report(epoch, new Dictionary<string, double> { [Metrics.ValidRmse] = rmse }), context.Cancellation);
        if (run.Failure is { } reason) return Evaluation.Failure(reason, run.Seconds);
        return new Evaluation(new Dictionary<string, double>
        {
            [Metrics.ValidRmse] = run.DevRmse,
            [Metrics.TestRmse] = RatingTraining.Rmse(model, _test, recipe.EvalBatchSize),
            [Metrics.EmbeddingParameters] = config.EmbeddingParameters(Fields) / 1e6,
            [Metrics.Parameters] = config.TotalParameters(Fields) / 1e6,
            [Metrics.WallSeconds] = run.Seconds,
        }, run.Seconds) { Curves = new Dictionary<string, IReadOnlyList<double>> { [Metrics.ValidRmse] = run.DevCurve } };
    }

    public void Dispose() { _train.Dispose(); _dev.Dispose(); _test.Dispose(); }
}

/// <summary><c>movielens</c>: trains rating models on MovieLens ml-latest-small (<c>movielens:seed=0,batch=1024,lr=0.01,l2=0.15</c>; --epochs sets the epochs).</summary>
public sealed class RatingEvaluatorFactory : IEvaluatorFactory
{
    public string Name => "movielens";
    public string Description => "Trains each rating model on MovieLens ml-latest-small (80/20 split and 10% of training for development, all from the seed; --epochs): " +
                                 "movielens:seed=0,batch=1024,lr=0.01,l2=0.15; signal valid_rmse, outcome test_rmse.";
    public int Order => 24;

    public IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments a) where TArch : class, IArchitecture
    {
        if (space is not RecommendationSpace rec) return null;
        var recipe = new RatingRecipe(BatchSize: a.Int("batch", 1024, 1), LearningRate: a.Double("lr", 1e-2, 1e-6, 1), L2: a.Double("l2", 0.15, 0, 100));
        TorchRuntime.EnsureLoaded();
        return (IEvaluator<TArch>)(object)new RatingEvaluator(rec, RatingData.MovieLens(), a.Int("seed", 0), recipe);
    }
}
