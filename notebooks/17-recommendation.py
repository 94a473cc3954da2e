# Source of 17-recommendation.ipynb: `python3 notebooks/17-recommendation.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 17. Searching a recommender: embedding sizes and interactions

A rating predictor embeds each feature field (the user, the movie, the movie's genres) and lets the embeddings
interact. Two design decisions dominate its size and its error: how wide each field's embedding is (AutoDim and
AutoEmb search one dimension per field, because a table of 9,000 movies × 64 floats costs far more than a table
of 20 genres) and how the embeddings interact (a dot product as in matrix factorisation and factorisation
machines, an MLP over their concatenation as in NCF, or cross layers as in DCN). This chapter trains the classic
baselines on MovieLens, then searches both decisions and draws the front of error against embedding size.
"""),
SETUP,
code("""
using NasKit.Data;
using NasKit.Estimation;
using NasKit.SearchSpaces.Recommendation;
using NasKit.Spaces;
using NasKit.Strategies;
using Plotly.NET.CSharp;
using Deedle;

var data = RatingData.MovieLens();
$"{data.Count:N0} ratings of {data.Movies:N0} movies by {data.Users:N0} users; {data.Genres.Count} genres; mean rating {data.Rating.Average(r => (double)r):0.000} stars"
"""),
md("""
## The data
MovieLens ml-latest-small as Debian's `r-cran-dslabs` ships it, exported once to CSV by the project's setup. Ratings
are half stars from 0.5 to 5; users rate many movies, most movies are rated a few times, which is why a movie's
parameters need shrinking towards zero.
"""),
code("""
Show(Chart.Histogram<double, double, string>(X: data.Rating.Select(r => (double)r).ToArray(), NBinsX: 10), xTitle: "stars", yTitle: "ratings", height: 300);
var perMovie = data.Movie.GroupBy(m => m).Select(g => (double)g.Count()).OrderByDescending(c => c).ToArray();
Show(Chart.Line<int, double, string>(x: Enumerable.Range(1, perMovie.Length), y: perMovie), xTitle: "movie, by number of ratings", yTitle: "ratings (log)", height: 300);
$"{perMovie.Count(c => c == 1):N0} of {perMovie.Length:N0} movies have a single rating; the most rated has {perMovie[0]:N0}"
"""),
md("""
## Baselines first
`Split(seed)` holds out a random 20% of the ratings for test and 10% of the rest for development; a held-out rating
of a user or movie training never sees moves to training (as in the dslabs book). Then the two closed-form baselines
of that book: the global mean, and the movie and user effects shrunk by λ, with λ chosen on the development
ratings. The test ratings are only read to report.
"""),
code("""
var split = data.Split(seed: 0);
var mean = RatingBaselines.GlobalMean(data, split);
var lambdas = Enumerable.Range(0, 21).Select(k => k * 0.5).ToArray();
var devByLambda = lambdas.Select(l => RatingBaselines.Rmse(data, split.Dev, RatingBaselines.Effects(data, split.Train, l))).ToArray();
Show(Chart.Line<double, double, string>(x: lambdas, y: devByLambda), xTitle: "shrinkage λ", yTitle: "development RMSE", height: 300);
var (lambda, effects) = RatingBaselines.TunedEffects(data, split);
$"{split}\\nglobal mean: test RMSE {mean.TestRmse:0.0000}; movie + user effects (λ = {lambda} on development): test RMSE {effects.TestRmse:0.0000}"
"""),
md("""
Biased matrix factorisation, r̂ = μ + b_u + b_m + p_u · q_m, is an architecture of the search space (both dimensions
k, no genres, dot product), trained like every other: Adam on the squared error plus an L2 penalty on the
embeddings each rating uses, keeping the epoch with the lowest development RMSE.
"""),
code("""
var space = new RecommendationSpace();
var evaluator = new RatingEvaluator(space, data, seed: 0, new RatingRecipe(Epochs: Sized(quick: 4, full: 20)));
var mf = evaluator.Evaluate(space.MatrixFactorization(32), new Fidelity());
Show(Chart.Line<int, double, string>(x: Enumerable.Range(1, mf.Curves![Metrics.ValidRmse].Count), y: mf.Curves[Metrics.ValidRmse]), xTitle: "epoch", yTitle: "development RMSE", height: 300);
$"biased MF k=32: development {mf[Metrics.ValidRmse]:0.0000}, test {mf[Metrics.TestRmse]:0.0000}, {mf[Metrics.EmbeddingParameters] * 1e6:N0} embedding parameters, {mf.CostSeconds:0.0} s"
"""),
md("""
## The space, and the ask/tell loop
Each architecture names the three embedding dimensions (genres may be left out) and the interaction; the MLP's
depth and width and the number of cross layers exist only when that interaction is chosen. The dot interaction
projects every field to the widest field's width and sums the pairwise dot products (a factorisation machine over
three fields). Regularized evolution proposes, the evaluator trains, and the strategy is told the result:
"""),
code("""
var rng = new Random(1);
foreach (var a in Enumerable.Range(0, 3).Select(_ => (Choices)space.Sample(rng)))
    Console.WriteLine($"{a.ToText()}\\n    {space.Configure(a).EmbeddingParameters(evaluator.Fields):N0} embedding parameters, {space.Configure(a).TotalParameters(evaluator.Fields):N0} in all");
var rea = new RegularizedEvolution<Choices>(space, evaluator.Signal, seed: 0, populationSize: Sized(quick: 3, full: 10), sampleSize: Sized(quick: 2, full: 3));
var trials = new List<(Choices Arch, Evaluation Result)>();
for (int q = 0; q < Sized(quick: 6, full: 50); q++)
{
    var proposal = rea.Ask()!;
    var result = evaluator.Evaluate(proposal.Architecture, new Fidelity());
    rea.Tell(proposal, result);
    trials.Add((proposal.Architecture, result));
}
var best = trials.Where(t => !t.Result.Failed).MinBy(t => t.Result[Metrics.ValidRmse]);
$"{space.Count:N0} architectures; best of {trials.Count} on development: {best.Arch}\\n    development {best.Result[Metrics.ValidRmse]:0.0000}, test {best.Result[Metrics.TestRmse]:0.0000}"
"""),
md("""
## Error against embedding size
Every trained architecture as a point: its test RMSE against the entries of its embedding tables, the Pareto front
(no other point is both smaller and better) joined by a line, and biased MF marked. The front is what AutoDim-style
search is for: the smallest tables that still predict well.
"""),
code("""
var points = trials.Where(t => !t.Result.Failed).Select(t => (t.Arch, Rmse: t.Result[Metrics.TestRmse], Emb: t.Result[Metrics.EmbeddingParameters] * 1e6)).ToArray();
var onFront = NasKit.Analysis.Pareto.Front(points.Select(p => (IReadOnlyList<double>)new[] { p.Rmse, p.Emb }).ToArray()).Select(i => points[i]).OrderBy(p => p.Emb).ToArray();
Show(Chart.Combine(new[]
{
    Chart.Point<double, double, string>(x: points.Select(p => p.Emb), y: points.Select(p => p.Rmse), Name: "searched", MultiText: points.Select(p => p.Arch.ToText()).ToArray()),
    Chart.Line<double, double, string>(x: onFront.Select(p => p.Emb), y: onFront.Select(p => p.Rmse), Name: "front"),
    Chart.Point<double, double, string>(x: new[] { mf[Metrics.EmbeddingParameters] * 1e6 }, y: new[] { mf[Metrics.TestRmse] }, Name: "biased MF k=32"),
}), xTitle: "embedding parameters", yTitle: "test RMSE (stars)", height: 400);
ShowFrame(Frame.FromRecords(onFront.Select(p => new { RMSE = Math.Round(p.Rmse, 4), EmbeddingParameters = (long)p.Emb, Architecture = p.Arch.ToText() })));
"""),
md("""
## From a terminal
`naskit movielens baselines --seeds 3` runs the baselines over seeds (each seed its own split);
`naskit search --space recommendation --evaluator movielens:seed=0 --strategy rea,random --epochs 20 --queries 50`
searches with any strategy of the kit; `naskit movielens front --in search.csv` draws the front from its trials, and
`naskit movielens train --arch "..." --seeds 3` retrains a found architecture over seeds. `docs/measurements.md` has
what they measured.
"""),
])
