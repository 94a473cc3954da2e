# Source of 03-performance-estimation.ipynb: `python3 notebooks/03-performance-estimation.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 3. Performance estimation: proxy tasks and rank correlation

A search strategy needs a number for every architecture it proposes. Training each candidate to convergence
(NB201: 200 epochs) is what made early NAS cost thousands of GPU days. **Proxy tasks** train less: fewer epochs,
a fraction of the data, smaller images, or a narrower and shallower network. A proxy does not need to predict
the final accuracy, only to **rank** architectures the same way, so we measure it by rank correlation:

* **Kendall τ-b**: the fraction of concordant minus discordant pairs (ties handled), in [-1, 1];
* **Spearman ρ**: the Pearson correlation of ranks;
* **top-k overlap**: how many of the truly best k the proxy also puts in its top k.

This chapter first shows the analysis for free from the benchmark tables (12 against 200 epochs), then trains
real networks with TorchSharp under a few proxy settings. The full experiment (50 cells, five settings) runs
from the CLI: `naskit proxies --sample 50 --seed 0`. Here the sample follows the size setting: 12 cells when quick
(CI, a few minutes), 30 when full.
"""),
SETUP,
code("""
using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.SearchSpaces.Nb201;
using Plotly.NET.CSharp;
using Deedle;

var bench = Nb201Benchmark.Load();
"""),
md("""
## The free example: 12 epochs against 200 epochs
NAS-Bench-201 also trained every cell with a short 12-epoch schedule. How well does that cheap schedule rank the
15,625 cells by their final test accuracy?
"""),
code("""
var cells = bench.Cells;
var acc12 = cells.Select(c => bench.ValidAccuracy(c, Nb201Dataset.Cifar10, 12)).ToArray();
var acc200 = cells.Select(c => bench.TestAccuracy(c)).ToArray();
var tau = RankCorrelation.KendallTauB(acc12, acc200);
var rho = RankCorrelation.Spearman(acc12, acc200);
var top = RankCorrelation.TopKOverlap(acc12, acc200, cells.Count / 20);
display($"12-epoch valid vs 200-epoch test: tau = {tau:0.000}, rho = {rho:0.000}, top-5% overlap = {top:0.00}");
var good = Enumerable.Range(0, cells.Count).Where(i => acc200[i] > 80).ToArray();
Show(Chart.Point<double, double, string>(x: good.Select(i => acc12[i]), y: good.Select(i => acc200[i]), Opacity: 0.25),
     xTitle: "12-epoch validation accuracy (%)", yTitle: "200-epoch test accuracy (%)", height: 450);
"""),
md("""
Over the whole space the correlation looks fine, but it is carried by the bad cells; among good cells (the ones
a search cares about) the short schedule orders them much less reliably. That is the usual story of proxies.
"""),
code("""
var goodTau = RankCorrelation.KendallTauB(good.Select(i => acc12[i]).ToArray(), good.Select(i => acc200[i]).ToArray());
$"among the {good.Length} cells above 80%: tau = {goodTau:0.000}"
"""),
md("""
## Training for real
`TrainingEvaluator` trains any buildable space's network with NB201's recipe (SGD with Nesterov momentum,
weight decay 5e-4, cosine learning rate from 0.1), on CUDA when present and on the CPU otherwise, inside a dispose
scope per evaluation. Every knob of a proxy is a field of `Fidelity`. Data: the 4,000-image CIFAR-10 training
subset, evaluated on the 1,000 held-out test images, with crop-and-flip augmentation.
"""),
code("""
TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
var train = DatasetReaders.Cifar10SubsetTrain();
var test = DatasetReaders.Cifar10SubsetTest();
var evaluator = new TrainingEvaluator<Nb201Cell>(bench.Space, train, test, seed: 0, shape: new NetworkShape(8, 1),
    hyperparameters: new TrainingHyperparameters(BatchSize: 128));
var one = evaluator.Evaluate(bench.CellAt(6111), new Fidelity(Epochs: 2, Resolution: 16));
display(one.Metrics.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 3)));
Show(Chart.Combine(new[] {
        Chart.Line<double, double, string>(x: new double[] { 1, 2 }, y: one.Curves!["train_acc"], Name: "train"),
        Chart.Line<double, double, string>(x: new double[] { 1, 2 }, y: one.Curves!["valid_acc"], Name: "held-out") }),
     xTitle: "epoch", yTitle: "accuracy (%)", height: 350);
"""),
md("""
## Several proxies on the same cells
A small version of the experiment: 12 random cells (seed 0), three settings of increasing cost. Each setting is
scored against the NB201 200-epoch CIFAR-10 test accuracy and against the most expensive setting.
"""),
code("""
var rng = new Random(0);
var sample = bench.Cells.OrderBy(_ => rng.Next()).Take(Sized(quick: 12, full: 30)).ToArray();
var settings = new[] {
    new ProxySetting("e1-r16-quarter", new Fidelity(Epochs: 1, Resolution: 16, DataFraction: 0.25)),
    new ProxySetting("e1-r16", new Fidelity(Epochs: 1, Resolution: 16)),
    new ProxySetting("e3-r16", new Fidelity(Epochs: 3, Resolution: 16)),
};
var measurements = ProxyStudy.Measure(evaluator, sample, settings, c => bench.TestAccuracy(c));
var correlations = ProxyStudy.Correlate(measurements, seed: 0);
ShowFrame(Frame.FromRecords(correlations.Select(c => new {
    c.Proxy, c.Cells,
    TauBench = Math.Round(c.KendallVsBenchmark, 3), RhoBench = Math.Round(c.SpearmanVsBenchmark, 3),
    TauCI = $"[{c.KendallCi.Low:0.00}, {c.KendallCi.High:0.00}]",
    TauTop = Math.Round(c.KendallVsMostExpensive, 3), RhoTop = Math.Round(c.SpearmanVsMostExpensive, 3),
    SecondsPerCell = Math.Round(c.SecondsPerCell, 2) })));
var widths = correlations.Select(c => c.KendallCi.High - c.KendallCi.Low).ToArray();
$"95% intervals of tau: {widths.Min():0.00} to {widths.Max():0.00} wide (tau itself lies in [-1, 1])"
"""),
md("""
## Proxy against reference
Each point is one cell: its proxy score against its NB201 test accuracy.
"""),
code("""
var scatters = settings.Select(s => {
    var m = measurements.Where(x => x.Proxy == s.Name && !x.Failed).ToArray();
    return Chart.Point<double, double, string>(x: m.Select(x => x.Score), y: m.Select(x => x.Reference), Name: s.Name,
        MultiText: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(m.Select(x => x.Architecture).ToArray(), true));
});
Show(Chart.Combine(scatters), xTitle: "proxy held-out accuracy (%)", yTitle: "NB201 200-epoch test accuracy (%)", height: 450);
"""),
md("""
## Rank correlation against cost
The seed's trade-off: how much ranking quality each second of training buys.
"""),
code("""
Show(Chart.Point<double, double, string>(x: correlations.Select(c => c.SecondsPerCell), y: correlations.Select(c => c.KendallVsBenchmark),
        MultiText: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(correlations.Select(c => c.Proxy).ToArray(), true),
        TextPosition: Plotly.NET.StyleParam.TextPosition.TopCenter),
     xTitle: "seconds per cell", yTitle: "Kendall tau vs NB201 test accuracy", height: 400);
"""),
md("""
With a dozen cells the confidence intervals are wide (their widths are printed under the table). That is why the full experiment uses at least 50 cells and reports bootstrap intervals. Its results, and the speed
comparison with PyTorch (`naskit bench train-step`), are in the project notes.
"""),
])
