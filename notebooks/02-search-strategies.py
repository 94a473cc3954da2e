# Source of 02-search-strategies.ipynb: `python3 notebooks/02-search-strategies.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 2. Search strategies on NAS-Bench-201

A **search strategy** decides which architecture to evaluate next, given everything evaluated so far. In NasKit
every strategy has the same ask/tell shape (`Ask()` proposes, `Tell(proposal, result)` reports), and it works with
any space that offers the capabilities it needs: evolution needs mutation, REINFORCE needs categorical
decisions, BANANAS needs an encoding.

Because NAS-Bench-201 trained every cell, we can compare strategies exactly as NASLib does, at no training cost:

* **signal**: the CIFAR-10 validation accuracy after 200 epochs (what the strategy sees);
* **outcome**: the CIFAR-10 *test* accuracy of the cell with the best signal among those queried;
* **budget**: 100 queries per run, many independent runs with consecutive seeds.

The CLI runs the full protocol (`naskit search --strategy all --queries 100 --runs 500 --seed 0`). This
notebook's number of runs follows the book's size setting (`Sized(quick, full)`, from `NASKIT_SIZE`): quick, which CI
uses, runs 50 seeds per strategy in a couple of minutes on two cores; full runs 200.
"""),
SETUP,
code("""
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Strategies;
using NasKit.Analysis;
using NasKit.Reports;
using NasKit.SearchSpaces.Nb201;
using Plotly.NET.CSharp;
using Deedle;

var bench = Nb201Benchmark.Load();
// Runs execute in parallel, each with one intra-op thread: the strategies' tiny models gain nothing from more.
var protocol = new QueryBudgetProtocol<Nb201Cell> { Space = bench.Space, Evaluator = new Nb201TabularEvaluator(bench), Queries = 100, IntraOpThreads = 1 };
int Runs = Sized(quick: 50, full: 200);
var results = new Dictionary<string, IReadOnlyList<SearchRun<Nb201Cell>>>();
IReadOnlyList<SearchRun<Nb201Cell>> RunStrategy(string name) => results[name] = protocol.Run(Catalog<IStrategyFactory>.Get(name), Runs, firstSeed: 0);
string Line(string name) { var o = results[name].Select(r => r.Outcome).ToArray(); return $"{name}: {Statistics.Mean(o):0.00}±{Statistics.Std(o):0.00} over {o.Length} runs"; }
"""),
md("""
## The ask/tell loop
Every strategy is driven by the same three lines: `Ask` proposes an architecture, the evaluator answers (here the
NB201 table: metrics of a cell trained for 200 epochs), `Tell` hands the answer back so the strategy can learn from
it. The run's incumbent is the queried cell with the best *signal*; its *outcome* is what we report. Here is
regularized evolution driven by hand for 100 queries:
"""),
code("""
var rea = new RegularizedEvolution<Nb201Cell>(bench.Space, Objective.Max(Metrics.ValidAccuracy), seed: 0, populationSize: 10, sampleSize: 3);
var table = new Nb201TabularEvaluator(bench);
Nb201Cell? incumbent = null;
double bestSignal = double.NegativeInfinity;
for (int query = 0; query < 100; query++)
{
    var proposal = rea.Ask()!;                                         // the strategy proposes
    var result = table.Evaluate(proposal.Architecture, Fidelity.Full);  // the benchmark answers
    rea.Tell(proposal, result);                                        // the strategy learns
    if (result[Metrics.ValidAccuracy] > bestSignal) (incumbent, bestSignal) = (proposal.Architecture, result[Metrics.ValidAccuracy]);
}
$"incumbent after 100 queries: {incumbent!.ToText()}, validation {bestSignal:0.00}%, test {bench.TestAccuracy(incumbent!):0.00}%"
"""),
md("""
In this hand-driven loop a cell proposed twice costs a second query. `QueryBudgetProtocol` runs the same loop for
many seeded runs in parallel, with the standard wrappers around the strategy: a repeated proposal is told its
recorded result at once and costs no budget (NNI's deduplication middleware), and a failed evaluation is kept from
the strategy. The sections below use it, one strategy at a time.

## Random search
Draw cells uniformly without repeats. It is the baseline every NAS paper must beat, and on NB201 it is strong:
most cells are good, so 100 random draws usually include a very good one.
"""),
code("""RunStrategy("random"); Line("random")"""),
md("""
## Regularized evolution
Real et al. (2019) keep a population of the last *P* evaluated cells. Each child is a one-edge mutation of the
best of *S* members sampled at random, and each new result pushes out the **oldest** member, not the worst.
Aging regularises: a cell survives only as long as its descendants keep doing well. The NB201 paper used P = 10
and S = 3.
"""),
code("""RunStrategy("rea"); Line("rea")"""),
md("""
## REINFORCE
Learn a distribution over architectures and sample from it. NB201's version keeps an independent softmax over the
5 ops of each edge and follows the policy gradient (reward − baseline) · ∇ log p(arch), with a moving-average
baseline. The LSTM controller of Zoph & Le and ENAS instead emits the cell op by op, feeding each choice back in,
so it can learn dependencies between edges. Both learn slowly at a budget of 100 queries.
"""),
code("""RunStrategy("reinforce"); RunStrategy("reinforce-lstm"); Line("reinforce") + "\\n" + Line("reinforce-lstm")"""),
md("""
## Local search
White et al. (2021) showed that plain hill climbing is state of the art on NAS benchmarks: start from the best of
a few random cells, evaluate the 24 one-edge neighbours in random order, move to the first that improves, and
restart from a random cell at a local optimum. NB201's landscape is smooth enough that this works very well.
"""),
code("""RunStrategy("local-search"); Line("local-search")"""),
md("""
## BANANAS
Bayesian optimisation with a neural predictor (White et al., 2021): fit an ensemble of 5 MLPs to the path encoding
of everything evaluated, mutate the best cells into candidates, and pick the candidates with the best
independent Thompson sample from the ensemble's mean and spread. It is the slowest to run here, because each
round trains the ensemble.
"""),
code("""RunStrategy("bananas"); Line("bananas")"""),
md("""
## Trajectories
Best-so-far test accuracy (of the best-validation cell) against the number of queries: the mean over runs with
a 95% band of the mean. The dashed line is the best test accuracy in the whole table (printed under the plot).
"""),
code("""
var optimum = bench.Cells.Max(c => bench.TestAccuracy(c));
var queries = Enumerable.Range(1, 100).Select(q => (double)q).ToArray();
var traces = new List<Plotly.NET.GenericChart>();
foreach (var (name, runs) in results)
{
    var (mean, low, high) = SearchSummary.Trajectory(runs);
    traces.Add(Chart.Line<double, double, string>(x: queries, y: mean, Name: name));
    traces.Add(Chart.Line<double, double, string>(x: queries.Concat(queries.Reverse()), y: high.Concat(low.Reverse()),
        Name: name + " 95% band", ShowLegend: false, Opacity: 0.15, Fill: Plotly.NET.StyleParam.Fill.ToSelf));
}
traces.Add(Chart.Line<double, double, string>(x: new[] { 1.0, 100 }, y: new[] { optimum, optimum }, Name: "optimum",
    LineDash: Plotly.NET.StyleParam.DrawingStyle.Dash));
Show(Chart.Combine(traces), xTitle: "queries", yTitle: "test accuracy of best-validation cell (%)", height: 500);
$"optimum of the table: {optimum:0.00}"
"""),
md("""
## Final distributions
The outcome after 100 queries, one point per run.
"""),
code("""
var boxes = results.Select(kv => Chart.BoxPlot<string, double, string>(
    X: Enumerable.Repeat(kv.Key, kv.Value.Count).ToArray(), Y: kv.Value.Select(r => r.Outcome).ToArray(), Name: kv.Key));
Show(Chart.Combine(boxes), yTitle: "test accuracy after 100 queries (%)", height: 450);
"""),
md("""
## A paper-style table
Mean ± standard deviation over runs, a 95% bootstrap confidence interval of the mean, and a two-sided
Mann-Whitney U test against the strategy with the best mean (p < 0.05: the difference is unlikely to be
chance at this number of runs).
"""),
code("""
var table = SearchSummary.Table(results.Values.SelectMany(r => r), seed: 0);
var frame = Frame.FromRecords(table.OrderByDescending(t => t.Mean).Select(t => new {
    t.Strategy, t.Runs,
    MeanStd = $"{t.Mean:0.00} ± {t.Std:0.00}",
    CI95 = $"[{t.CiLow:0.00}, {t.CiHigh:0.00}]",
    VsBest = t.Strategy == t.ComparedWith ? "(best)" : $"p = {t.PValue:0.###}",
}));
ShowFrame(frame);
"""),
md("""
## Population and sample size in regularized evolution
The sample size sets the selection pressure: S = 1 is a random walk over the population, S = P always mutates
the best. The population size sets the memory. A small grid shows how the outcome at 100 queries depends on both.
"""),
code("""
sealed class ReaVariant(int population, int sample) : IStrategyFactory
{
    public string Name => $"rea P={population} S={sample}";
    public string Description => "Regularized evolution with a given population and sample size.";
    public ISearchStrategy<TArch> Create<TArch>(NasKit.Spaces.ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed)
        where TArch : class, NasKit.Spaces.IArchitecture =>
        new RegularizedEvolution<TArch>(space, objectives[0], seed, population, sample);
}

var grid = new List<(int P, int S, double Mean)>();
foreach (var p in new[] { 5, 10, 20, 50 })
    foreach (var s in new[] { 1, 2, 3, 5 })
        if (s <= p)
            grid.Add((p, s, protocol.Run(new ReaVariant(p, s), 200, firstSeed: 0).Average(r => r.Outcome)));
Show(Chart.Heatmap<double, string, string, string>(
        zData: new[] { 1, 2, 3, 5 }.Select(s => new[] { 5, 10, 20, 50 }.Select(p => grid.Where(g => g.P == p && g.S == s).Select(g => g.Mean).DefaultIfEmpty(double.NaN).First())),
        X: new[] { "P=5", "P=10", "P=20", "P=50" }, Y: new[] { "S=1", "S=2", "S=3", "S=5" }),
     xTitle: "population size", yTitle: "sample size", height: 420);
grid.OrderByDescending(g => g.Mean).Take(3).Select(g => $"P={g.P}, S={g.S}: {g.Mean:0.00}")
"""),
md("""
## What this shows
The means after 100 queries, from the table above:
"""),
code("""
var byMean = table.OrderByDescending(t => t.Mean).ToArray();
$"strongest: {byMean[0].Strategy} ({byMean[0].Mean:0.00}); random {table.Single(t => t.Strategy == "random").Mean:0.00}; rea {table.Single(t => t.Strategy == "rea").Mean:0.00}"
"""),
md("""
* NASLib and NB201 report regularized evolution ahead of random search (the NB201 paper gives REA 93.92 ± 0.30
  under a 12,000 s simulated budget); the cell above gives this chapter's numbers.
* White et al. found local search a strong baseline on NAS benchmarks; the cell above says where it stands here.
* The whole comparison is cheap because a tabular evaluation is an array lookup; the cost is the strategies'
  own, which matters only for the ones that train a model (the LSTM controller and BANANAS).
"""),
])
