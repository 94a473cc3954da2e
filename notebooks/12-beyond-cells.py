# Source of 12-beyond-cells.ipynb: `python3 notebooks/12-beyond-cells.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 12. Beyond cells: macro spaces, NASNet, and inheriting weights

A cell space fixes the network's skeleton and searches one repeated block. Two other designs matter as much:

* **Macro spaces** search the network layer by layer: which block at which depth, where the resolution halves.
  NAS-Bench-Macro (Su et al., CVPR 2021) trained every network of a small one (8 layers, each an identity or one of
  two MobileNetV2 blocks: 3⁸ = 6,561 networks) on CIFAR-10.
* **NASNet** (Zoph et al., CVPR 2018) is the cell space most others descend from: a normal and a reduction cell, each
  of five *combinations* that pick two hidden states and an op for each out of 13.

And one estimation idea that belongs with them: **weight inheritance**. A child that differs from its parent by one
edit can start from the parent's trained weights for everything the edit left alone.
"""),
SETUP,
code("""
using NasKit.Analysis;
using NasKit.Estimation;
using NasKit.Networks;
using NasKit.Reports;
using NasKit.SearchSpaces.NasBenchMacro;
using NasKit.SearchSpaces.NasNet;
using NasKit.SearchSpaces.Nb201;
using NasKit.Spaces;
using Plotly.NET.CSharp;
using Deedle;

var macro = MacroBenchmarkEntry.Tables();
var space = macro.Space;
string.Join("\\n", space.Decisions.Select(d => $"{d.Name}: {string.Join(" | ", d.Options)}")) + $"\\n{space.Count:N0} networks"
"""),
md("""
## The macro space's trade-off
Each point is one of the 6,561 networks: its parameters and its CIFAR-10 test accuracy (mean of the benchmark's
three runs). The line is the Pareto front: no network is both smaller and more accurate than one on it.
"""),
code("""
var rows = macro.Architectures.Select(a => (Arch: a, Params: macro[a].Parameters / 1e6, Acc: macro[a].MeanAccuracy)).ToArray();
var front = Pareto.Front(rows.Select(r => (IReadOnlyList<double>)new[] { r.Params, -r.Acc }).ToArray())
    .Select(i => rows[i]).OrderBy(r => r.Params).ToArray();
var cloud = Chart.Point<double, double, string>(x: rows.Select(r => r.Params), y: rows.Select(r => r.Acc), Name: "networks", Opacity: 0.3);
var line = Chart.Line<double, double, string>(x: front.Select(r => r.Params), y: front.Select(r => r.Acc), Name: "Pareto front");
Show(Chart.Combine([cloud, line]), xTitle: "parameters (M)", yTitle: "CIFAR-10 test accuracy (%)");
var best = rows.MaxBy(r => r.Acc);
$"{front.Length} networks on the front; the most accurate, {best.Arch}, reaches {best.Acc:0.00}% with {best.Params:0.00}M parameters; " +
$"the smallest on the front, {front[0].Arch}, {front[0].Acc:0.00}% with {front[0].Params:0.00}M"
"""),
md("""
Bigger is better here, up to a point. How far does counting parameters alone go in ranking the table? This is the
free baseline every cheap estimate must beat: a proxy that trains networks for minutes and ranks them worse than
their parameter count or FLOPs buys nothing (`naskit proxies` prints both, `params_m (table)` and `flops_m (table)`,
next to each trained proxy). FLOPs see what parameters miss: the same block costs four times the operations at twice
the resolution.
"""),
code("""
var accuracy = rows.Select(r => r.Acc).ToArray();
double tauParams = RankCorrelation.KendallTauB(rows.Select(r => r.Params).ToArray(), accuracy);
double tauFlops = RankCorrelation.KendallTauB(rows.Select(r => (double)macro[r.Arch].Flops).ToArray(), accuracy);
$"Kendall tau with the test accuracy over all {rows.Length:N0} networks: parameters {tauParams:0.000}, FLOPs {tauFlops:0.000}"
"""),
md("""
## Scoring at initialisation
Chapter 4's zero-cost proxies need no change to run here: they see a network, not a cell. Each sampled network is
built at the benchmark's width, given the same seeded initialisation and one minibatch of 64 CIFAR-10 images, and
scored. Are they better than the counts above, on the same networks? (`naskit proxies --benchmark nasbench-macro
--zero-cost all` puts every proxy beside trained ones; docs/measurements.md has that table for 36 networks.)
"""),
code("""
using NasKit.Data;
using NasKit.Estimation.ZeroCost;
using NasKit.Experiments;

var sample = ArchitectureSample.Draw(space, Sized(quick: 20, full: 200), seed: 0);
IZeroCostProxy[] proxies = [new Naswot(), new GradNorm(), new Synflow()];
var sampleAcc = sample.Select(a => macro[a].MeanAccuracy).ToArray();
double[] zcScores(string name, IEnumerable<IReadOnlyDictionary<string, double>> scores) =>
    scores.Select(s => double.IsNaN(s[name]) ? double.NegativeInfinity : s[name]).ToArray(); // an unscorable network ranks last
IReadOnlyDictionary<string, double>[] scored;
using (var scorer = new ZeroCostScorer<MacroArchitecture>(space, DatasetReaders.Cifar10SubsetTrain(), proxies, seed: 0, batchSize: 64, space.ReferenceShape))
    scored = sample.Select(a => scorer.Score(a).Scores).ToArray();
var zcTau = proxies.Select(p => (Score: p.Name, Tau: RankCorrelation.KendallTauB(zcScores(p.Name, scored), sampleAcc)))
    .Append((Score: "params (table)", Tau: RankCorrelation.KendallTauB(sample.Select(a => (double)macro[a].Parameters).ToArray(), sampleAcc)))
    .Append((Score: "FLOPs (table)", Tau: RankCorrelation.KendallTauB(sample.Select(a => (double)macro[a].Flops).ToArray(), sampleAcc))).ToArray();
Show(Chart.Column<double, string, string>(values: zcTau.Select(t => t.Tau), Keys: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(zcTau.Select(t => t.Score).ToArray(), true)),
     yTitle: $"Kendall tau with test accuracy ({sample.Length} networks)", height: 320);
string.Join(", ", zcTau.Select(t => $"{t.Score} {t.Tau:0.00}"))
"""),
md("""
Which layers matter? The mean accuracy of all networks with each op at each layer; the identity row says what
skipping a layer costs where it is (the first layer of each stage halves the resolution and doubles the width).
"""),
code("""
var z = Enumerable.Range(0, MacroArchitecture.OpNames.Count).Select(op =>
    Enumerable.Range(0, MacroArchitecture.Layers).Select(l => rows.Where(r => (int)r.Arch[l] == op).Average(r => r.Acc)).ToArray()).ToArray();
Show(Figures.Heatmap(z, Enumerable.Range(1, 8).Select(l => $"layer {l}").ToArray(), MacroArchitecture.OpNames.ToArray(),
                     "mean test accuracy (%) by layer and op", height: 260, valueFormat: ".2f"));
int worst = Array.IndexOf(z[0], z[0].Min()), cheapest = Array.IndexOf(z[0], z[0].Max());
$"skipping layer {worst + 1} costs most (mean {z[0][worst]:0.00}%), skipping layer {cheapest + 1} least ({z[0][cheapest]:0.00}%)"
"""),
md("""
Every strategy of the kit runs on this space without knowing it: it only sees decisions. The same ask/tell loop as
in chapter 2, with REA, 100 queries, 20 runs when the book's size setting is quick (CI) and 100 when full:
"""),
code("""
using NasKit.Catalogs;
using NasKit.Experiments;
using NasKit.Strategies;

var protocol = new QueryBudgetProtocol<MacroArchitecture>
{
    Space = space, Evaluator = new MacroTabularEvaluator(macro), Fidelity = new Fidelity(Epochs: MacroBenchmark.Epochs),
    Signal = Objective.Max(Metrics.TestAccuracy), OutcomeMetric = Metrics.TestAccuracy, Queries = 100, IntraOpThreads = 1,
};
var found = new[] { "random", "rea" }.Select(s => (s, protocol.Run(Catalog<IStrategyFactory>.Get(s), Sized(quick: 20, full: 100), 0).Select(r => r.Outcome).ToArray())).ToArray();
ShowFrame(Frame.FromRecords(found.Select(f => new { Strategy = f.Item1, Mean = Math.Round(f.Item2.Average(), 2), Std = Math.Round(Statistics.Std(f.Item2), 2),
                                                    GapToBest = Math.Round(best.Acc - f.Item2.Average(), 2) })));
"""),
md("""
## NASNet
The published NASNet-A cells, built the way TF-slim builds the CIFAR model (`nets/nasnet/nasnet.py`): a 3×3 stem of
3F filters, three stacks of N normal cells with a reduction cell between stacks, filters doubling at each reduction.
The paper's CIFAR-10 model is "NASNet-A (6 @ 768)": N = 6, F = 32, 768 filters at the end, 3.3M parameters.
"""),
code("""
var nasnetA = NasNetGenotype.NasNetA;
long count;
using (var network = new NasNetNetwork(nasnetA, NasNetSpace.Cifar10Shape)) count = network.parameters().Sum(p => p.numel());
$"{nasnetA}\\n\\nNASNet-A at F=32, N=6: {count:N0} parameters (paper: 3.3M)"
"""),
md("""
The space itself is 40 decisions: for each of the 10 combinations (5 per cell) two inputs and two ops. A sampled
genotype's cells concatenate the combinations nothing else reads. Sizes of a few random genotypes at the same shape:
"""),
code("""
var nasnet = new NasNetSpace();
var rng = new Random(0);
var sampled = Enumerable.Range(0, 6).Select(_ => nasnet.Sample(rng)).Select(g =>
{
    using var net = nasnet.Build(g, NasNetSpace.Cifar10Shape);
    return new { Parameters_M = Math.Round(net.parameters().Sum(p => p.numel()) / 1e6, 2), NormalOutputs = string.Join(" ", g.Normal.Concat), ReduceOutputs = string.Join(" ", g.Reduce.Concat) };
}).ToArray();
ShowFrame(Frame.FromRecords(sampled));
"""),
md("""
## Weight inheritance, by hand
A parent is trained; its child changes one edge of the NB201 cell. `WeightInheritance` finds the kept network one
edit away and copies every part the edit left alone, even where the edit shifted module positions. Here the
"trained" parent is just a differently initialised network, to show what is copied:
"""),
code("""
var nb201 = new Nb201Space();
var shape = new NetworkShape(Channels: 8, CellsPerStage: 1);
var parent = Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
var child = Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|nor_conv_1x1~0|nor_conv_3x3~1|nor_conv_1x1~2|"); // edge 3->0 gains a conv
var inheritance = new WeightInheritance<Nb201Cell>(nb201);
using (var trained = nb201.Build(parent, shape)) inheritance.Remember(parent, shape, trained, score: 60);
(Nb201Cell Parent, double Fraction)? result;
using (var childNet = nb201.Build(child, shape)) result = inheritance.Initialise(child, shape, childNet);
inheritance.Dispose(); // the kept weights are native memory
$"parent {parent}\\nchild  {child}\\ninherited {result!.Value.Fraction:P1} of the child's parameters"
"""),
md("""
The child then trains its trial's epochs as fine-tuning. Whether that ranks architectures better than the same
short training from scratch is an empirical question; `naskit inherit` measures it (Kendall τ of both against the
NB201 table, over seeds, with their wall time), and `train:inherit=true` turns inheritance on for any search with
the training evaluator:

```
naskit inherit --parents 8 --children 4 --parent-epochs 3 --epochs 1 --seeds 3 --seed 0
naskit search --space nb201 --evaluator train:inherit=true,C=8,N=1 --epochs 1 --strategy rea --queries 30 --runs 1
naskit proxies --benchmark nasbench-macro --sample 36 --proxies "e1-r16:epochs=1,res=16;e4:epochs=4"
```
"""),
])
