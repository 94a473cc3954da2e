# Source of 07-one-shot.ipynb: `python3 notebooks/07-one-shot.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 7. One-shot search: weight sharing and its bias

A one-shot method trains **one supernet** whose weights every candidate shares, then judges candidates by the
accuracy they reach with *inherited* weights, without training them. **SPOS** (Guo et al., ECCV 2020) trains the
supernet one uniformly sampled path per step, so every path gets trained, then runs an evolutionary search with
inherited accuracy as the evaluator. **ENAS** (Pham et al. 2018) lets an LSTM controller pick the paths and learn
from their inherited accuracy.

The catch is the weight-sharing **bias**: paths interfere in the shared weights, so inherited accuracy ranks cells
differently from training each alone. NB201 lets us measure that ranking directly. This chapter runs at teaching
scale on the CPU (8 channels, one cell per stage, 1,000 images), with supernet epochs and ranked cells set by the
book's size setting (`NASKIT_SIZE`: quick for CI, full by default); `naskit oneshot` runs the same experiment larger.
"""),
SETUP,
code("""
using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Data;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies.OneShot;
using Plotly.NET.CSharp;
using Deedle;

var bench = Nb201Benchmark.Load();
var (train, _) = DatasetReaders.ByName("cifar10-subset");
var images = train.Subset(Enumerable.Range(0, 1000).ToArray(), "cifar10-subset[:1000]");
var shape = new NetworkShape(Channels: 8, CellsPerStage: 1);
"""),
md("""
## Sampling subnetworks
The supernet holds every op on every edge. A path is a cell: `Forward(x, cell)` runs only that cell's ops, and
`Subnet(cell)` copies the path's weights into a standalone network that computes exactly the same function.
"""),
code("""
var supernet = new Nb201SuperNetwork(shape);
NasKit.Networks.SeededInitialization.Apply(supernet, 0);
var cell = Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
var subnet = supernet.Subnet(cell);
var x = TorchSharp.torch.randn(4, 3, 32, 32);
supernet.eval(); subnet.eval();
var same = supernet.Forward(x, cell).allclose(subnet.call(x), rtol: 1e-5, atol: 1e-6);
display($"supernet {supernet.parameters().Sum(p => p.numel()):N0} parameters, this subnet {subnet.parameters().Sum(p => p.numel()):N0}; same output: {same}");
supernet.Dispose();
subnet.Dispose();
"""),
md("""
## SPOS, step 1: train the supernet one path at a time
Three quarters of the images train the shared weights; the held-out quarter will judge paths. Each training step
samples one cell uniformly and updates only the ops on its path, so over an epoch every op is trained, each by the
paths that use it.
"""),
code("""
using NasKit.Estimation;
using NasKit.Strategies;

var space = new Nb201Space();
var (fit, held) = images.Split(0.75, seed: 0);
var spos = new SinglePathTraining<Nb201Cell>(space, fit, shape, epochs: Sized(quick: 6, full: 20), seed: 0);
var epochs = new List<SupernetEpoch>();
while (!spos.Finished) epochs.Add(spos.RunEpoch());
ShowFrame(Frame.FromRecords(epochs.Select(e => new { e.Epoch, e.TrainLoss, SampledPathAccuracy = e.TrainAccuracy, e.Seconds })));
"""),
md("""
## Step 2: evolution with inherited weights, ask and tell
The trained supernet is now an evaluator: a cell's accuracy on the held-out quarter with the weights it inherits,
no training of its own. Regularized evolution asks for a cell and is told that accuracy, 60 times. The weights no
longer change, so a cell asked again reuses its score.
"""),
code("""
var valid = new BatchLoader(held, new BatchOptions(256), spos.Device);
var inheritedWeights = new InheritedWeightEvaluator<Nb201Cell>(spos, valid);
var rea = new RegularizedEvolution<Nb201Cell>(space, Objective.Max(Metrics.ValidAccuracy), seed: 0, populationSize: 15, sampleSize: 3);
var seen = new Dictionary<Nb201Cell, Evaluation>();
for (int i = 0; i < 60; i++)
{
    var proposal = rea.Ask()!;
    if (!seen.TryGetValue(proposal.Architecture, out var evaluation))
        seen[proposal.Architecture] = evaluation = inheritedWeights.Evaluate(proposal.Architecture, Fidelity.Full);
    rea.Tell(proposal, evaluation);
}
var best = seen.MaxBy(kv => kv.Value[Metrics.ValidAccuracy]);
$"SPOS found {best.Key.ToText()}: inherited {best.Value[Metrics.ValidAccuracy]:0.0}%, benchmark {bench.TestAccuracy(best.Key):0.00}% ({seen.Count} distinct cells evaluated)"
"""),
md("""
## Step 3: the weight-sharing bias
Each point is a random cell: its accuracy with inherited weights against its NB201 test accuracy after 200 epochs of
standalone training. If weight sharing ranked cells faithfully, the points would rise monotonically.
"""),
code("""
var rng = new Random(1);
var randomCells = new List<Nb201Cell>();
while (randomCells.Count < Sized(quick: 60, full: 200)) { var c = space.Sample(rng); if (!randomCells.Contains(c)) randomCells.Add(c); }
var inherited = randomCells.Select(c => spos.InheritedAccuracy(c, valid)).ToArray();
var truth = randomCells.Select(c => bench.TestAccuracy(c)).ToArray();
Show(Chart.Point<double, double, string>(x: truth, y: inherited, Opacity: 0.6),
     xTitle: $"NB201 test accuracy (%)    Kendall tau = {RankCorrelation.KendallTauB(inherited, truth):0.000}, Spearman rho = {RankCorrelation.Spearman(inherited, truth):0.000}",
     yTitle: "inherited-weight accuracy (%)", height: 450);
spos.Dispose();
"""),
md("""
`OneShotSearch.Run` chains these three steps for any weight-sharing space, with progress, a checkpoint of the
supernet and resumption; `naskit oneshot` runs it from the terminal.
"""),
md("""
The literature finds this correlation weak (e.g. Yu et al. 2020, *Evaluating the search phase of NAS*; Zhang et al.
2020, *Deeper insights into weight sharing*), and short supernet training makes it weaker still. Cells that are
mostly `none` are easy to spot (near 10% both ways); among good cells the order is close to noise.

## ENAS: a controller picks the paths
The same supernet training, with the paths sampled by an LSTM controller that learns from their inherited accuracy.
"""),
code("""
var enas = new EnasSearch<Nb201Cell>(new Nb201Space(), images, shape, epochs: Sized(quick: 3, full: 10), seed: 0, controllerSteps: 20);
while (!enas.Finished) { var e = enas.RunEpoch(); display($"epoch {e.Epoch}: shared loss {e.TrainLoss:0.000}, mean reward {e.MeanReward:0.0}%"); }
var (found, acc) = enas.Derive(candidates: 10);
enas.Dispose();
$"ENAS derived {found.ToText()}: inherited {acc:0.0}%, benchmark {bench.TestAccuracy(found):0.00}%"
"""),
])
