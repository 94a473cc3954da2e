# Source of 05-performance-predictors.ipynb: `python3 notebooks/05-performance-predictors.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 5. Performance predictors: learning accuracy from a few trained networks

A **performance predictor** learns the map from architecture to accuracy from the architectures trained so far,
then scores thousands of unseen ones for free. Predictor-guided search (BANANAS, chapter 2) lives on this. NasKit
has one interface for all of them, as NASLib does: `IPredictor<TArch>` with `Fit(architectures, targets)` and
`Query(architectures)`, and a catalog that finds every predictor by reflection.

This chapter reproduces the experiment of White et al. (2021), *How powerful are performance predictors in neural
architecture search?*: Kendall τ on held-out NB201 cells against the size of the training set, over seeds, for each
predictor, with and without zero-cost proxy scores as extra features (NAS-Bench-Suite-Zero). The quick size (CI)
runs 3 seeds, the full size 5, both up to 500 training cells; the CLI runs the full protocol: `naskit predictors
--seeds 5` (sizes 20 to 1,000).
"""),
SETUP,
code("""
using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Estimation.Predictors;
using NasKit.Experiments;
using NasKit.SearchSpaces.Nb201;
using Plotly.NET.CSharp;
using Deedle;

TorchSharp.torch.set_num_threads(1); // tiny models: threads cost more than they give
var bench = Nb201Benchmark.Load();
ShowFrame(Frame.FromRecords(Catalog<IPredictorFactory>.All.Select(f => new { f.Name, f.Description })));
"""),
md("""
## The pool and the features
The pool is the 9,445 cells for which NAS-Bench-Suite-Zero published zero-cost scores (cells without dead ops).
Those scores become features after a signed log and standardisation; every predictor runs once on its usual
encoding and once with the scores appended (`+zc`). The truth is NB201's 200-epoch CIFAR-10 test accuracy.
"""),
code("""
var suite = PrecomputedZeroCost.LoadSuiteZero(bench);
var zc = Nb201ZeroCostFeatures.SuiteZero(bench, suite);
var pool = suite.Indices.OrderBy(i => i).Select(bench.CellAt).ToArray();
var makers = PredictorStudy.Makers(bench.Space, Catalog<IPredictorFactory>.All, zc);
int[] sizes = [20, 50, 100, 200, 500];
var started = DateTime.UtcNow;
var fits = PredictorStudy.Run(pool, c => bench.TestAccuracy(c), makers, sizes, seeds: Sized(quick: 3, full: 5), testSize: 200);
var curve = PredictorStudy.Curve(fits);
display($"{fits.Count} fits in {(DateTime.UtcNow - started).TotalSeconds:0} s");
"""),
md("""
## Kendall τ against training-set size
Lines are means over seeds, bands one standard deviation. Solid colours pair each predictor with its `+zc`
variant in the legend.
"""),
code("""
Show(NasKit.Reports.Figures.Bands(curve.GroupBy(p => p.Predictor).Select(g => (g.Key,
        g.OrderBy(p => p.TrainSize).Select(p => (double)p.TrainSize).ToArray(),
        g.OrderBy(p => p.TrainSize).Select(p => p.KendallMean).ToArray(),
        g.OrderBy(p => p.TrainSize).Select(p => p.KendallStd).ToArray())),
    xTitle: "training architectures", yTitle: "Kendall tau on 200 held-out cells", logX: true, height: 520));
string At(string predictor, int n)
{
    var point = curve.First(p => p.Predictor == predictor && p.TrainSize == n);
    return $"{point.KendallMean:0.000}±{point.KendallStd:0.000}";
}
ShowFrame(Frame.FromRecords(curve.Select(p => p.Predictor).Distinct().Select(name => new {
    Predictor = name, n20 = At(name, 20), n50 = At(name, 50), n100 = At(name, 100), n200 = At(name, 200), n500 = At(name, 500) })));
"""),
md("""
## Predicted against true
One fit up close: the graph network with zero-cost features, trained on 200 cells, on 500 held-out cells.
"""),
code("""
var rng = new Random(0);
var order = pool.OrderBy(_ => rng.Next()).ToArray();
var train = order[..200];
var test = order[200..700];
var gcn = new GraphConvolutionPredictor<Nb201Cell>(bench.Space, seed: 0, extra: zc);
gcn.Fit(train, train.Select(c => bench.TestAccuracy(c)).ToArray());
var predicted = gcn.Query(test).Select(p => p.Mean).ToArray();
var actual = test.Select(c => bench.TestAccuracy(c)).ToArray();
gcn.Dispose(); // its weights are native tensors
Show(Chart.Point<double, double, string>(x: actual, y: predicted, Opacity: 0.5),
     xTitle: $"true test accuracy (%)    tau = {RankCorrelation.KendallTauB(predicted, actual):0.000}", yTitle: "predicted (%)", height: 450);
"""),
md("""
## From predictor to search
Any predictor plugs into BANANAS. From the terminal: `naskit search --strategy bananas --predictor gcn`. In C#:
`new Bananas<Nb201Cell>(space, objective, seed, predictor)`.
"""),
code("""
using NasKit.Strategies;
var evaluator = new Nb201TabularEvaluator(bench, Nb201Dataset.Cifar10);
var strategy = new BananasFactory { Predictor = "gbdt" }.Create(bench.Space, Objective.Max("valid_acc"), seed: 0);
double best = 0;
for (int q = 0; q < 50; q++)
{
    var proposal = strategy.Ask()!;                 // the ask/tell loop itself
    var e = evaluator.Evaluate(proposal.Architecture, new Fidelity(Epochs: 200));
    strategy.Tell(proposal, e);
    best = Math.Max(best, e["test_acc"]);
}
$"BANANAS with gradient-boosted trees: best test accuracy after 50 queries {best:0.00}%"
"""),
])
