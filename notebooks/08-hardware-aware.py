# Source of 08-hardware-aware.ipynb: `python3 notebooks/08-hardware-aware.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 8. Hardware-aware, multi-objective NAS

Accuracy is not the only thing a deployed network is judged on. Each platform has its own bottleneck:

| platform | examples | what it cares about |
|---|---|---|
| mobile | Pixel 3, Samsung A50 | latency at batch 1, energy, memory |
| edge | Jetson TX2 (Edge GPU), Raspberry Pi 4, Edge TPU | latency and energy within a few watts; supported ops |
| cloud GPU | Titan RTX, 1080 Ti | throughput at large batch; cost per image |
| specialised | Eyeriss (ASIC), FPGA | dataflow fit, memory traffic, energy per inference |

HW-NAS-Bench measured (or simulated) every NB201 cell on six of these devices, and HELP on more. This chapter
asks how well *theoretical* cost (FLOPs, parameters) predicts *real* latency, fits latency predictors, and then
searches for the Pareto front of accuracy against latency with NSGA-II, random search and a constrained
regularized evolution.
"""),
SETUP,
code("""
using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Strategies;
using NasKit.Experiments;
using NasKit.Hardware;
using NasKit.Networks;
using NasKit.SearchSpaces.Nb201;
using Plotly.NET.CSharp;
using Deedle;

var bench = Nb201Benchmark.Load();
var cells = bench.Cells;
var flops = cells.Select(c => Nb201CostModel.Flops(c, Nb201Network.Cifar10Shape) / 1e6).ToArray();
var latencies = LatencyStudy.TableLatencies(bench);
"""),
md("""
## FLOPs against latency, device by device
Each panel is one device; each point one cell. A perfect proxy would be a thin increasing curve.
"""),
code("""
var devices = new[] { "edgegpu", "raspi4", "edgetpu", "pixel3", "eyeriss", "fpga" };
var idx = Enumerable.Range(0, cells.Count).Where(i => i % 5 == 0).ToArray();
var panels = devices.Select(d => Chart.Point<double, double, string>(
    x: idx.Where(i => !double.IsNaN(latencies[d][i])).Select(i => flops[i]),
    y: idx.Where(i => !double.IsNaN(latencies[d][i])).Select(i => latencies[d][i]), Name: d, Opacity: 0.3));
Show(Chart.Grid(panels, 2, 3), xTitle: "MFLOPs", height: 600);
"""),
md("""
The rank correlation over all cells makes it quantitative. FLOPs track latency well on some devices (FPGA,
Raspberry Pi) and poorly on others (Edge GPU, Edge TPU), where memory traffic, kernel launches and unsupported
ops dominate: the HW-NAS-Bench paper's point.
"""),
code("""
var agreement = LatencyStudy.TheoreticalVsMeasured(cells, latencies);
ShowFrame(Frame.FromRecords(agreement.GroupBy(a => a.Device).Select(g => new {
    Device = g.Key,
    TauFlops = Math.Round(g.Single(a => a.Predictor == "flops").Kendall, 3),
    TauParams = Math.Round(g.Single(a => a.Predictor == "params").Kendall, 3),
    Cells = g.First().TestCells })), maxRows: 20);
"""),
md("""
## Measuring on this machine
`LatencyMeter` times the kit's own networks directly: warm-up, then repeated forward passes, median and
percentiles. Here 12 cells at batch 1 on this machine's device when the book's size setting is quick (CI), 50 when
full (the CLI measures 100:
`naskit latency --space nb201 --sample 100 --device cpu`).
"""),
code("""
var rng = new Random(0);
var sample = cells.OrderBy(_ => rng.Next()).Take(Sized(quick: 12, full: 50)).ToArray();
var measured = LatencyStudy.Measure(sample, batch: 1, NasKit.Runtime.TorchRuntime.DefaultDevice, repeats: 5);
var sampleFlops = sample.Select(c => Nb201CostModel.Flops(c, Nb201Network.Cifar10Shape) / 1e6).ToArray();
display($"this machine, batch 1, {sample.Length} cells: tau(FLOPs, latency) = {RankCorrelation.KendallTauB(sampleFlops, measured):0.000}");
Show(Chart.Point<double, double, string>(x: sampleFlops, y: measured), xTitle: "MFLOPs", yTitle: "measured latency (ms)", height: 380);
"""),
md("""
## Learned latency predictors
A per-operation lookup table (ProxylessNAS, FBNet) sums fitted per-op costs; a ridge regression works on the
one-hot encoding of the cell. Both are fitted on 100 cells per device and tested on 1,000 others, by Kendall τ and
mean absolute percentage error.
"""),
code("""
var order = Enumerable.Range(0, cells.Count).OrderBy(_ => rng.Next()).ToArray();
var rows = new List<CostAgreement>();
foreach (var (device, lat) in latencies)
{
    var ok = order.Where(i => !double.IsNaN(lat[i]) && lat[i] > 0).ToArray();
    var train = ok.Take(100).ToArray();
    var test = ok.Skip(100).Take(1000).ToArray();
    rows.AddRange(LatencyStudy.Predictors(device, train.Select(i => cells[i]).ToArray(), train.Select(i => lat[i]).ToArray(),
        test.Select(i => cells[i]).ToArray(), test.Select(i => lat[i]).ToArray(), bench.Space));
}
ShowFrame(Frame.FromRecords(rows.Select(r => new { r.Device, r.Predictor, Tau = Math.Round(r.Kendall, 3), MapePercent = Math.Round(r.MapePercent, 1), MedianApePercent = Math.Round(r.MedianApePercent, 1) })), maxRows: 30);
"""),
md("""
## The Pareto front of accuracy and latency
With two objectives (maximise CIFAR-10 test accuracy, minimise Pixel 3 latency), no single cell is best; the
**Pareto front** is the set of cells no other cell beats on both. The **hypervolume** measures a front: the area it
dominates up to a reference point, here the worst value of each objective over the whole space.
"""),
code("""
var protocol = new ParetoProtocol<Nb201Cell>(bench.Space, new Nb201TabularEvaluator(bench), Objective.ParseList("test_acc,pixel3_latency"),
    constraints: [Objective.Parse("pixel3_latency<=5")], fidelity: new Fidelity(Epochs: 200)) { Queries = 300 };
var (trueHv, trueSize) = protocol.TrueFront();
var nsga = protocol.RunOne(Catalog<IStrategyFactory>.Get("nsga2"), seed: 0);
var acc = cells.Select(c => bench.TestAccuracy(c)).ToArray();
var pix = cells.Select(c => bench.Hardware(c, "pixel3_latency")).ToArray();
var truePts = Pareto.Front(cells.Select((c, i) => (IReadOnlyList<double>)new[] { -acc[i], pix[i] }).ToArray()).OrderBy(i => pix[i]).ToArray();
var found = nsga.Front.OrderBy(p => p.Values[1]).ToArray();
Show(Chart.Combine(new[] {
    Chart.Point<double, double, string>(x: idx.Select(i => pix[i]), y: idx.Select(i => acc[i]), Name: "all cells (every 5th)", Opacity: 0.15,
        MultiText: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(idx.Select(i => cells[i].ToText()).ToArray(), true)),
    Chart.Line<double, double, string>(x: truePts.Select(i => pix[i]), y: truePts.Select(i => acc[i]), Name: $"true front ({trueSize} cells)", ShowMarkers: true,
        MultiText: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(truePts.Select(i => cells[i].ToText()).ToArray(), true)),
    Chart.Line<double, double, string>(x: found.Select(p => p.Values[1]), y: found.Select(p => p.Values[0]), Name: "NSGA-II, 300 queries", ShowMarkers: true,
        MultiText: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(found.Select(p => p.Architecture.ToText()).ToArray(), true)),
}), xTitle: "Pixel 3 latency (ms)", yTitle: "CIFAR-10 test accuracy (%)", height: 520);
$"reference point: test_acc = {-protocol.Reference[0]:0.##}%, pixel3_latency = {protocol.Reference[1]:0.##} ms; true front hypervolume {trueHv:0.#}"
"""),
md("""
## Hypervolume: strategies at equal budgets
Ten seeds per strategy when the size setting is quick, 30 when full, as the CLI's protocol (`naskit pareto --objectives
test_acc,pixel3_latency --strategy all --queries 300 --runs 30 --seed 0`). The gap to the true front's hypervolume is
the figure that separates them.
"""),
code("""
var results = Catalog<IStrategyFactory>.All.Where(StrategyFactories.MultiObjective).ToDictionary(f => f.Name, f => protocol.Run(f, Sized(quick: 10, full: 30), 0));
ShowFrame(Frame.FromRecords(results.Select(kv => new {
    Strategy = kv.Key,
    Hypervolume = $"{Statistics.Mean(kv.Value.Select(r => r.Hypervolume).ToArray()):0.0} ± {Statistics.Std(kv.Value.Select(r => r.Hypervolume).ToArray()):0.0}",
    Gap = Math.Round(kv.Value.Average(r => trueHv - r.Hypervolume), 1),
    BestUnder5ms = Math.Round(kv.Value.Average(r => r.BestFeasible), 2) })));
var q = Enumerable.Range(1, 300).Select(i => (double)i).ToArray();
Show(Chart.Combine(results.Select(kv => Chart.Line<double, double, string>(x: q,
        y: q.Select((_, i) => kv.Value.Average(r => trueHv - r.HypervolumeSoFar[i])), Name: kv.Key))),
     xTitle: "queries", yTitle: "hypervolume gap to the true front", height: 420);
"""),
md("""
## Constrained search
"The best cell that runs in at most 5 ms on a Pixel 3": constrained regularized evolution scores infeasible cells
below every feasible one, so the same strategy code searches under the constraint. The table above gives the best
accuracy found under the cap (mean over seeds); the true best under the cap is:
"""),
code("""$"{protocol.TrueBestFeasible():0.00}% (over all cells with pixel3_latency <= 5 ms)" """),
])
