# Source of 06-darts.ipynb: `python3 notebooks/06-darts.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 6. Differentiable search: DARTS, its collapse and a remedy

Discrete search trains one network per candidate. **DARTS** (Liu et al., ICLR 2019) trains one *supernet* instead:
every edge of the cell holds all candidate ops, and its output is the softmax-weighted sum

<p style="text-align:center"><i>ō</i>(<i>x</i>) = Σ<sub><i>k</i></sub> softmax(α)<sub><i>k</i></sub> · <i>o<sub>k</sub></i>(<i>x</i>),
&nbsp; softmax(α)<sub><i>k</i></sub> = exp(α<sub><i>k</i></sub>) / Σ<sub><i>j</i></sub> exp(α<sub><i>j</i></sub>).</p>

The architecture weights α are continuous, so gradient descent can learn them. DARTS alternates two optimisers on
two halves of the training data (a *bilevel* problem): the network weights w by SGD on the training half, and α by
Adam on the validation half. **First order** ignores how w would respond to α; **second order** unrolls one virtual
SGD step and approximates the Hessian-vector product by finite differences. At the end, each edge keeps its
strongest op: the *derived* cell. On NB201 we can look that cell up in the benchmark.

Here everything runs at teaching scale on the CPU: 8 channels, one cell per stage, 1,000 CIFAR-10 images, and as
many search epochs as the book's size setting gives (`NASKIT_SIZE`: 10 when quick, for CI; 30 when full). On a GPU
the same code runs at paper scale (`naskit darts --channels 16 --cells 5`).
"""),
SETUP,
code("""
using NasKit.Benchmarks;
using NasKit.Data;
using NasKit.Networks;
using NasKit.Reports;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies.OneShot;
using Deedle;

var bench = Nb201Benchmark.Load();
var (train, _) = DatasetReaders.ByName("cifar10-subset");
var images = train.Subset(Enumerable.Range(0, 1000).ToArray(), "cifar10-subset[:1000]");
var shape = new NetworkShape(Channels: 8, CellsPerStage: 1);
var space = new Nb201Space();
int epochs = Sized(quick: 10, full: 30);
display($"{images.Count} images, supernet C={shape.Channels} N={shape.CellsPerStage}, device {NasKit.Runtime.TorchRuntime.DefaultDevice}");
"""),
md("""
## The continuous relaxation at work
`DartsSearch` takes any space that can build a relaxed supernet (`IDifferentiableSpace`: NB201 and the DARTS cell
space). It starts from α ≈ 0, so every edge mixes its five ops almost equally:
"""),
code("""
var search = new DartsSearch<Nb201Cell>(space, images, shape, epochs, seed: 0, new DartsSettings(Order: 1, BatchSize: 64));
var start = search.Probabilities()[0];
display($"α: {search.Alphas.Count} tensor(s) of {string.Join(" × ", search.Alphas[0].shape)} (edges × ops); edge 0→1 mixes " +
        string.Join(", ", Nb201Ops.Names.Select((op, k) => $"{op} {start[0][k]:0.000}")));
"""),
md("""
## The bilevel loop, one epoch at a time
`RunEpoch` walks the two halves in step: for each pair of batches it takes one Adam step on α with the loss of a
validation batch (first order: the weights held as they are), then one SGD step on the weights with the loss of a
training batch (α held). After the epoch the search derives the cell (each edge's strongest op) and reports it.
"""),
code("""
var history = new List<DartsEpoch<Nb201Cell>>();
while (!search.Finished)
{
    var e = search.RunEpoch();
    history.Add(e);
    display($"epoch {e.Epoch}: train loss {e.TrainLoss:0.000}, search-validation accuracy {e.ValidAccuracy:0.0}%, derived {e.Derived.ToText()} " +
            $"({space.SkipConnections(e.Derived)} skips; NB201 {bench.TestAccuracy(e.Derived):0.00}%)");
}
"""),
md("""
## The architecture weights over epochs
One line per op: its softmax weight averaged over the six edges. In DARTS the parameter-free ops (skip connection,
pooling) tend to gain weight, because they help the supernet train fast; that is the seed of the collapse.
"""),
code("""
Show(Figures.Bands(Enumerable.Range(0, Nb201Ops.Count).Select(op => (Nb201Ops.Names[op],
        history.Select(e => (double)e.Epoch).ToArray(),
        history.Select(e => e.EdgeProbabilities[0].Average(edge => edge[op])).ToArray(),
        history.Select(e => 0.0).ToArray())),
    xTitle: "epoch", yTitle: "softmax(alpha), mean over edges"));
var last = history[^1];
Show(Figures.Heatmap(last.EdgeProbabilities[0].ToArray(), Nb201Ops.Names.ToArray(),
    ["0→1", "0→2", "1→2", "0→3", "1→3", "2→3"], $"softmax(alpha) after epoch {last.Epoch}: derived {last.Derived.ToText()}"));
search.Dispose();
"""),
md("""
## Collapse, and the DARTS+ remedy
NAS-Bench-201 reports that DARTS collapses on its space: after 50 epochs the derived cell is all skip connections,
54.30% on CIFAR-10. Parameter-free ops win the weight race once the supernet starts to overfit, not because the
cell is good (Zela et al. 2020 tie the collapse to sharp minima of the validation loss). **DARTS+** (Liang et al.
2019) stops the search once the derived cell holds two skip connections; **R-DARTS** raises the weight decay.

A chapter cannot run long enough to see it: this run takes one architecture step per pair of batches, a few hundred
at most, where NB201's takes about 20,000. The CLI
run `naskit darts --epochs 100 --train-images 1000 --arch-lr 0.003 --out runs/collapse` (800 steps, the α learning
rate ×10 to compress the dynamics) shows it on this machine: the derived cell holds while the supernet learns, then,
once training accuracy runs ahead of validation accuracy, `none` and skip connections take over edges
(`docs/measurements.md` has that run's trajectory, its accuracies and both remedies). Below, the same measurement at chapter scale: the skip
count of the derived cell per epoch, without and with the DARTS+ rule.
"""),
code("""
var skips = history.Select(e => (double)space.SkipConnections(e.Derived)).ToArray();
var remedied = new DartsSearch<Nb201Cell>(space, images, shape, epochs, seed: 0, new DartsSettings(Order: 1, BatchSize: 64, SkipLimit: 2));
var early = remedied.Run();
Show(Figures.Bands([("DARTS", history.Select(e => (double)e.Epoch).ToArray(), skips, skips.Select(_ => 0.0).ToArray()),
           ("DARTS+ (stop at 2 skips)", early.Select(e => (double)e.Epoch).ToArray(), early.Select(e => (double)space.SkipConnections(e.Derived)).ToArray(), early.Select(_ => 0.0).ToArray())],
    xTitle: "epoch", yTitle: "skip connections in the derived cell"));
ShowFrame(Frame.FromRecords(new[] {
    new { Run = "DARTS", Epochs = history.Count, Cell = history[^1].Derived.ToText(), Benchmark = bench.TestAccuracy(history[^1].Derived) },
    new { Run = remedied.StoppedEarly ? "DARTS+ (stopped early)" : "DARTS+ (never reached the limit)", Epochs = early.Count, Cell = early[^1].Derived.ToText(), Benchmark = bench.TestAccuracy(early[^1].Derived) } }));
remedied.Dispose();
"""),
md("""
## Second order, GDAS and PC-DARTS
The same class runs the other differentiable methods through its settings:
- `new DartsSettings(Order: 2)`: the unrolled gradient (about three times the work per step);
- `DartsSettings.Gdas`: one Gumbel-softmax-sampled op per edge and step (Dong & Yang 2019), τ annealed 10 → 0.1;
- `DartsSettings.PcDarts`: partial channel connections (Xu et al. 2020), the ops see 1/K of the channels, which cuts
  memory (`naskit bench supernet` prints the ratio).

One GDAS epoch, to see it run:
"""),
code("""
var gdas = new DartsSearch<Nb201Cell>(space, images, shape, epochs: 1, seed: 0, DartsSettings.Gdas with { BatchSize = 64 });
var g = gdas.RunEpoch();
gdas.Dispose();
$"GDAS epoch 1 (tau {g.Temperature}): derived {g.Derived.ToText()}, benchmark {bench.TestAccuracy(g.Derived):0.00}%"
"""),
])
