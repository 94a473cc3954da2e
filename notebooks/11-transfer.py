# Source of 11-transfer.ipynb: `python3 notebooks/11-transfer.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 11. Transfer across data sets and tasks

A search costs what its evaluations cost, so the cheapest search is the one not run: find an architecture on one
task and reuse it on another. Whether that works is an empirical question with two parts:

1. **Do tasks rank architectures alike?** Rank correlation between the tasks' scores, over every architecture and,
   more to the point, among the good ones (a search only ever chooses among those).
2. **Does a search on one task find something good on another?** Search on task *A* under a query budget, then look
   the architecture it picked up on task *B*: its *regret* is *B*'s best score minus the pick's.

Two benchmarks let us answer both from tables: NAS-Bench-201 (one cell space trained on CIFAR-10, CIFAR-100 and
ImageNet16-120) and TransNAS-Bench-101 (cell and skeleton spaces trained on seven Taskonomy tasks, from
classification to autoencoding). In NasKit a *task* is any benchmark descriptor (`nb201:dataset=cifar100`,
`transnas-micro:task=jigsaw`); tasks over one space are compared together.
"""),
SETUP,
code("""
using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.SearchSpaces.TransNasBench101;
using NasKit.Spaces;
using NasKit.Strategies;
using Deedle;

// A visitor receives the benchmarks with their architecture type, whatever the space.
sealed class TableOf(string[] names, string[] metrics) : IBenchmarkListVisitor<TransferTable>
{
    public TransferTable Visit<TArch>(IReadOnlyList<TabularBenchmark<TArch>> tasks) where TArch : class, IArchitecture =>
        TransferStudy.Table(tasks, names, metrics);
}

TransferTable Table(string[] descriptors, params string[] metrics) =>
    BenchmarkCatalog.WithAll(descriptors, new TableOf(BenchmarkCatalog.TaskNames(descriptors), metrics));

string[] nb201 = ["nb201:dataset=cifar10", "nb201:dataset=cifar100", "nb201:dataset=imagenet16-120"];
var table = Table(nb201);
$"{table.Architectures.Count} cells scored on {string.Join(", ", table.Tasks)} (200-epoch test accuracy)"
"""),
md("""
## NAS-Bench-201: one space, three data sets
Each point is a cell; the axes are its test accuracy on two data sets. The bulk lies on a line, but the top right
corner, where a search ends up, is a cloud.
"""),
code("""
var rng = new Random(0);
var shown = Enumerable.Range(0, table.Architectures.Count).Where(_ => rng.NextDouble() < 0.25).ToArray();
Show(Figures.ScatterGrid([
    ("CIFAR-10 (x) vs CIFAR-100 (y)", shown.Select(a => table[0, a]).ToArray(), shown.Select(a => table[1, a]).ToArray()),
    ("CIFAR-10 (x) vs ImageNet16-120 (y)", shown.Select(a => table[0, a]).ToArray(), shown.Select(a => table[2, a]).ToArray())]));
"""),
md("""
Kendall τ between the data sets over all 15,625 cells, and among the top 5% and top 1% of the row's data set (so
these matrices are not symmetric: row *A*, column *B* asks "among *A*'s best cells, does *B* agree on the order?").
The test suite pins these numbers against scipy.
"""),
code("""
foreach (var (title, fraction) in new[] { ("all cells", 1.0), ("top 5%", 0.05), ("top 1%", 0.01) })
    Show(Figures.Heatmap(TransferStudy.Correlations(table, RankCorrelation.KendallTauB, fraction), table.Tasks, table.Tasks,
                         $"Kendall τ, {title}", height: 300, valueFormat: ".2f"));
var all = TransferStudy.Correlations(table, RankCorrelation.KendallTauB);
var top1 = TransferStudy.Correlations(table, RankCorrelation.KendallTauB, 0.01);
$"CIFAR-10 vs ImageNet16-120: τ = {all[0][2]:0.00} over all cells, {top1[0][2]:0.00} among CIFAR-10's top 1%"
"""),
md("""
## Search on one data set, deploy on another
REA with 100 queries, 100 runs per data set (seeds 0–99, the same seeds on every row), searching on the data set's
validation accuracy as NB201's protocol prescribes. Row: where the search ran; column: where its pick is scored;
value: mean regret in accuracy points.
"""),
code("""
sealed class SearchEach(TransferTable table, string strategy, int runs) : IBenchmarkListVisitor<IReadOnlyList<TransferSearchRun>>
{
    public IReadOnlyList<TransferSearchRun> Visit<TArch>(IReadOnlyList<TabularBenchmark<TArch>> tasks) where TArch : class, IArchitecture =>
        TransferStudy.SearchAcrossTasks(tasks, table, Catalog<IStrategyFactory>.Get(strategy), queries: 100, runs, firstSeed: 0);
}

var runs = BenchmarkCatalog.WithAll(nb201, new SearchEach(table, "rea", 100));
var (regret, regretStd) = TransferStudy.RegretMatrix(table, runs, "rea");
Show(Figures.Heatmap(regret, table.Tasks, table.Tasks, "REA, 100 queries: mean regret (row searched, column scored)", height: 300, valueFormat: ".2f"));
var cifar100Pick = runs.Where(r => r.SearchedTask == "cifar100").Select(r => r.Regret[0]).ToArray();
var cifar10Pick = runs.Where(r => r.SearchedTask == "cifar10").Select(r => r.Regret[0]).ToArray();
var (_, p) = Statistics.MannWhitneyU(cifar10Pick, cifar100Pick);
$"scored on CIFAR-10: searching CIFAR-10 leaves {regret[0][0]:0.00} ± {regretStd[0][0]:0.00} points, searching CIFAR-100 " +
$"{regret[1][0]:0.00} ± {regretStd[1][0]:0.00} (Mann-Whitney p = {p:0.000})"
"""),
md("""
Compare the first column's rows above. A search on another data set is not necessarily worse: NB201's CIFAR-10
validation signal comes from networks trained on half the training set (its `cifar10-valid` split), while the
CIFAR-100 signal is a held-out split of a full training run. What transfers is not only the ranking but the quality
of the signal a search sees.

## TransNAS-Bench-101: seven tasks
The micro space is NB201-like (4-node cells, 4 ops); the macro space varies the network skeleton (4–6 modules, each
basic, widening, down-sampling or both). The released sample scores about 700 architectures per task; the spaces
here are the architectures every task scores, and strategies move only among them.
"""),
code("""
string[] Tasks(string family) => TnbBenchmark.Tasks.Select(t => $"{family}:task={t}").ToArray();
var micro = Table(Tasks("transnas-micro"), "zc_jacov", "zc_nwot", "zc_snip", "zc_grad_norm", "zc_params", "zc_flops");
var macro = Table(Tasks("transnas-macro"), "zc_jacov", "zc_nwot", "zc_snip", "zc_grad_norm", "zc_params", "zc_flops");
Show(Figures.Heatmap(TransferStudy.Correlations(micro, RankCorrelation.KendallTauB), micro.Tasks, micro.Tasks,
                     $"micro ({micro.Architectures.Count} cells): Kendall τ between tasks", height: 420, valueFormat: ".2f"));
Show(Figures.Heatmap(TransferStudy.Correlations(macro, RankCorrelation.KendallTauB), macro.Tasks, macro.Tasks,
                     $"macro ({macro.Architectures.Count} skeletons): Kendall τ between tasks", height: 420, valueFormat: ".2f"));

// Which task agrees least with the others? Mean τ of its row, off the diagonal.
string Odd(TransferTable t)
{
    var tau = TransferStudy.Correlations(t, RankCorrelation.KendallTauB);
    var mean = tau.Select((row, i) => row.Where((_, j) => j != i).Average()).ToArray();
    int odd = Array.IndexOf(mean, mean.Min());
    return $"{t.Tasks[odd]} (mean τ {mean[odd]:0.00} with the others; all pairs {tau.SelectMany((r, i) => r.Where((_, j) => j != i)).Average():0.00})";
}
$"least transferable: micro {Odd(micro)}, macro {Odd(macro)}"
"""),
md("""
The task that agrees least with the others is where reusing a searched architecture is riskiest: what makes a good
classifier cell may say little about a good cell for a dense, generative task.

## Do zero-cost proxies transfer?
A zero-cost proxy is validated on one task and then trusted on others. NAS-Bench-Suite-Zero scored these same
architectures; here is each proxy's Spearman ρ with each task's score.
"""),
code("""
string[] proxies = ["zc_jacov", "zc_nwot", "zc_snip", "zc_grad_norm", "zc_params", "zc_flops"];
var present = proxies.Where(p => micro.Extra[0].ContainsKey(p)).ToArray();
Show(Figures.Heatmap(TransferStudy.MetricCorrelations(micro, present, RankCorrelation.Spearman), micro.Tasks, present,
                     "micro: Spearman ρ of each proxy with each task", height: 360, valueFormat: ".2f"));
Show(Figures.Heatmap(TransferStudy.MetricCorrelations(macro, present, RankCorrelation.Spearman), macro.Tasks, present,
                     "macro: Spearman ρ of each proxy with each task", height: 360, valueFormat: ".2f"));
"""),
md("""
The same analysis from a terminal, with search regret for every task pair and a CSV of every run:

```
naskit transfer --queries 100 --runs 100 --seed 0
naskit transfer --tasks "transnas-micro:task=class_scene;transnas-micro:task=jigsaw;transnas-micro:task=autoencoder" --metrics zc_* --runs 100
```
"""),
])
