using NasKit.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.Recommendation;

/// <summary>How field embeddings interact.</summary>
public enum RatingInteraction { Dot, Mlp, Cross }

/// <summary>Vocabulary sizes of the three fields.</summary>
public sealed record RatingFields(int Users, int Movies, int Genres);

/// <summary>
/// One rating model: embedding dimensions (genres 0 = not used) and the interaction with its sizes. Costs are
/// computed here without building, and a test holds them to the built module's parameter count.
/// </summary>
public sealed record RatingModelConfig(int UserDim, int MovieDim, int GenreDim, RatingInteraction Interaction, int MlpLayers = 0, int MlpWidth = 0, int CrossLayers = 0)
{
    public IReadOnlyList<int> FieldDims => GenreDim > 0 ? [UserDim, MovieDim, GenreDim] : [UserDim, MovieDim];

    /// <summary>The width all fields are projected to for dot products: the largest field dimension (a field of that width is not projected).</summary>
    public int CommonWidth => FieldDims.Max();

    /// <summary>Entries of the embedding tables (what AutoDim trades against accuracy).</summary>
    public long EmbeddingParameters(RatingFields f) => (long)f.Users * UserDim + (long)f.Movies * MovieDim + (long)f.Genres * GenreDim;

    /// <summary>Every trainable parameter: embeddings, user and movie biases, projections or MLP or cross layers.</summary>
    public long TotalParameters(RatingFields f)
    {
        long total = EmbeddingParameters(f) + f.Users + f.Movies;
        int concat = FieldDims.Sum();
        switch (Interaction)
        {
            case RatingInteraction.Dot:
                total += FieldDims.Where(d => d != CommonWidth).Sum(d => (long)d * CommonWidth);
                break;
            case RatingInteraction.Mlp:
                int inputs = concat;
                for (int l = 0; l < MlpLayers; l++) { total += (long)inputs * MlpWidth + MlpWidth; inputs = MlpWidth; }
                total += inputs + 1;
                break;
            case RatingInteraction.Cross:
                total += 2L * concat * CrossLayers + concat + 1;
                break;
        }
        return total;
    }

    public void Validate()
    {
        if (UserDim < 1 || MovieDim < 1 || GenreDim < 0) throw new ArgumentException($"Embedding dimensions must be positive (genres 0 = unused); got {UserDim}, {MovieDim}, {GenreDim}.");
        if (Interaction == RatingInteraction.Mlp && (MlpLayers < 1 || MlpWidth < 1)) throw new ArgumentException("An MLP interaction needs at least one hidden layer of positive width.");
        if (Interaction == RatingInteraction.Cross && CrossLayers < 1) throw new ArgumentException("A cross interaction needs at least one cross layer.");
    }
}

/// <summary>
/// The rating model: r̂(u, m) = μ + b_u + b_m + f(e_u, e_m, e_g), where e_g is the mean of the movie's genre
/// embeddings and f the interaction: the sum of pairwise dot products of the (projected) field vectors, an MLP with
/// ReLU over their concatenation, or DCN cross layers x_{l+1} = x_0 (w_l · x_l) + b_l + x_l followed by a linear
/// read-out. Embeddings start N(0, 0.1²) (Surprise's SVD), biases 0, linear layers PyTorch's defaults, all from the seed.
/// </summary>
public sealed class RatingNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    public RatingModelConfig Config { get; }
    private readonly double _mean;
    private readonly Embedding _user, _movie, _userBias, _movieBias;
    private readonly Parameter? _genre;
    private readonly Tensor? _movieGenres;
    private readonly ModuleList<Linear> _projections = new();
    private readonly int[] _projected;
    private readonly ModuleList<Linear> _mlp = new();
    private readonly Linear? _readout;
    private readonly ParameterList _crossWeights = new(), _crossBiases = new();

    /// <param name="movieGenres">Per movie, its genre indices (a movie's genre vector is their mean embedding).</param>
    public RatingNetwork(RatingModelConfig config, RatingFields fields, IReadOnlyList<int[]> movieGenres, double globalMean, int seed) : base("RatingNetwork")
    {
        config.Validate();
        if (movieGenres.Count != fields.Movies) throw new ArgumentException($"Genres are given for {movieGenres.Count} movies, the fields have {fields.Movies}.");
        Config = config;
        _mean = globalMean;
        _user = nn.Embedding(fields.Users, config.UserDim);
        _movie = nn.Embedding(fields.Movies, config.MovieDim);
        _userBias = nn.Embedding(fields.Users, 1);
        _movieBias = nn.Embedding(fields.Movies, 1);
        if (config.GenreDim > 0)
        {
            _genre = new Parameter(zeros(fields.Genres, config.GenreDim));
            // Rows of the movie-by-genre matrix sum to 1, so a product with it averages the movie's genre embeddings.
            var m = new float[fields.Movies * fields.Genres];
            for (int i = 0; i < fields.Movies; i++)
                foreach (var g in movieGenres[i]) m[i * fields.Genres + g] = 1f / movieGenres[i].Length;
            _movieGenres = tensor(m, [fields.Movies, fields.Genres]);
        }
        var dims = config.FieldDims;
        int concat = dims.Sum();
        _projected = new int[dims.Count];
        switch (config.Interaction)
        {
            case RatingInteraction.Dot:
                for (int f = 0; f < dims.Count; f++)
                {
                    _projected[f] = dims[f] == config.CommonWidth ? -1 : _projections.Count;
                    if (dims[f] != config.CommonWidth) _projections.Add(nn.Linear(dims[f], config.CommonWidth, hasBias: false));
                }
                break;
            case RatingInteraction.Mlp:
                int inputs = concat;
                for (int l = 0; l < config.MlpLayers; l++) { _mlp.Add(nn.Linear(inputs, config.MlpWidth)); inputs = config.MlpWidth; }
                _readout = nn.Linear(inputs, 1);
                break;
            case RatingInteraction.Cross:
                for (int l = 0; l < config.CrossLayers; l++)
                {
                    _crossWeights.Add(new Parameter(zeros(concat)));
                    _crossBiases.Add(new Parameter(zeros(concat)));
                }
                _readout = nn.Linear(concat, 1);
                break;
        }
        RegisterComponents();
        if (_movieGenres is not null) register_buffer("movie_genres", _movieGenres, persistent: false);
        Initialize(seed);
    }

    private void Initialize(int seed)
    {
        SeededInitialization.Apply(this, seed);
        using var g = new Generator((ulong)seed + 0x9E3779B9UL);
        using var _ = no_grad();
        void Normal(Tensor p, double std) { using var r = randn(p.shape, generator: g); using var s = r.mul(std); p.copy_(s); }
        Normal(_user.weight!, 0.1);
        Normal(_movie.weight!, 0.1);
        if (_genre is not null) Normal(_genre, 0.1);
        _userBias.weight!.zero_();
        _movieBias.weight!.zero_();
        // A cross layer's weight starts like a linear map's (U(±1/√d)); its bias at 0.
        foreach (var w in _crossWeights)
        {
            using var r = rand(w.shape, generator: g);
            double bound = 1 / Math.Sqrt(w.shape[0]);
            using var v = r.mul(2 * bound).sub(bound);
            w.copy_(v);
        }
    }

    /// <summary>Predicted ratings (unclipped) and the squared norm of the embeddings and biases the batch used, per rating (the L2 penalty's term).</summary>
    public (Tensor Prediction, Tensor SquaredNorm) Score(Tensor users, Tensor movies)
    {
        var eu = _user.call(users);
        var em = _movie.call(movies);
        var bu = _userBias.call(users).squeeze(1);
        var bm = _movieBias.call(movies).squeeze(1);
        var fields = new List<Tensor> { eu, em };
        var norm = eu.square().sum(1) + em.square().sum(1) + bu.square() + bm.square();
        if (_genre is not null)
        {
            var eg = _movieGenres!.index_select(0, movies).matmul(_genre);
            fields.Add(eg);
            norm = norm + eg.square().sum(1);
        }
        Tensor interaction;
        switch (Config.Interaction)
        {
            case RatingInteraction.Dot:
                var v = fields.Select((e, f) => _projected[f] < 0 ? e : _projections[_projected[f]].call(e)).ToArray();
                interaction = zeros_like(bu);
                for (int a = 0; a < v.Length; a++)
                    for (int b = a + 1; b < v.Length; b++)
                        interaction = interaction + (v[a] * v[b]).sum(1);
                break;
            case RatingInteraction.Mlp:
                var h = cat(fields, 1);
                foreach (var layer in _mlp) h = nn.functional.relu(layer.call(h));
                interaction = _readout!.call(h).squeeze(1);
                break;
            default:
                var x0 = cat(fields, 1);
                var x = x0;
                for (int l = 0; l < _crossWeights.Count; l++)
                    x = x0 * x.matmul(_crossWeights[l]).unsqueeze(1) + _crossBiases[l] + x;
                interaction = _readout!.call(x).squeeze(1);
                break;
        }
        return (interaction + bu + bm + _mean, norm);
    }

    public override Tensor forward(Tensor users, Tensor movies) => Score(users, movies).Prediction;
}
