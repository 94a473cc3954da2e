# Source of 09-multi-fidelity.ipynb: `python3 notebooks/09-multi-fidelity.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 9. Multi-fidelity search: successive halving, Hyperband, BOHB, ASHA and early stopping

Training every candidate to convergence is what makes NAS expensive. **Multi-fidelity** methods spend little on
most candidates and much on few: they evaluate many architectures briefly (a few epochs), keep the promising ones
and train those longer. Whether this works depends on one question: *does a short run rank architectures the way a
long run would?*

This chapter answers that question on **NAS-Bench-NLP**, where 291 recurrent cells were trained for 50 epochs on
WikiText-2 with the loss recorded after every epoch, and then compares the schedulers against random search at the
same budget of training epochs. In NasKit a scheduler is an ordinary ask/tell strategy whose proposals carry their
fidelity (the epochs to train), and a study's budget can be counted in epochs.
"""),
SETUP,
code("""
using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Estimation.Stopping;
using NasKit.Execution;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.Strategies;
using NasKit.Strategies.MultiFidelity;
using NasKit.SearchSpaces.LcBench;
using NasKit.SearchSpaces.NasBenchNlp;
using NasKit.SearchSpaces.Nb201;
using Plotly.NET.CSharp;
using Deedle;

var nlp = NbNlpBenchmarkEntry.Tables();
int diverged = nlp.Runs.Count(r => r.Status != "OK");
$"{nlp.Runs.Count} training runs, {nlp.Cells.Count} distinct cells, {diverged} diverged"
"""),
md("""
## Learning curves
Each line is one cell's validation perplexity after each epoch (every tenth cell). Curves cross: some
cells start slowly and finish well, which is exactly what a scheduler can get wrong.
"""),
code("""
var shown = nlp.Cells.Where((c, i) => i % 10 == 0).ToArray();
var curves = shown.Select(c => Chart.Line<int, double, string>(
    x: Enumerable.Range(1, 50).Where(e => nlp.At(c, e, r => r.ValidLoss) is not null),
    y: Enumerable.Range(1, 50).Select(e => nlp.At(c, e, r => r.ValidLoss)).Where(v => v is not null).Select(v => Math.Exp(v!.Value)),
    Name: c.ToText(), ShowLegend: false));
Show(Chart.Combine(curves), xTitle: "epoch", yTitle: "validation perplexity");
"""),
md("""
## Does a short run rank cells like a long one?
Rank correlation between the validation loss after *e* epochs and the final (epoch-50) test loss, over the runs that
completed all 50 epochs. The same numbers are pinned against scipy in the test suite.
"""),
code("""
var ranks = nlp.RankVsEpoch([1, 3, 5, 10, 25]);
ShowFrame(Frame.FromRecords(ranks.Select(r => new { Epoch = r.Epoch, Runs = r.Runs, Spearman = Math.Round(r.Spearman, 3), KendallTau = Math.Round(r.Kendall, 3) })));
"""),
md("""
## The mechanism: a successive-halving bracket by hand
Hyperband's bracket *s* starts *n* configurations on a low rung and keeps the best 1/η of each rung for the next.
With rungs from 1 to 50 epochs and η = 3 the ladder is geometric from the top; here are the brackets' shapes
(configurations × epochs per rung):
"""),
code("""
var rungs = FidelityRungs.Geometric(1, 50, 3);
ShowFrame(Frame.FromRecords(Enumerable.Range(0, rungs.Top + 1).Reverse().Select(s => new {
    Bracket = s, Rungs = string.Join("  →  ", Hyperband<NbNlpCell>.BracketShape(rungs, s).Select(r => $"{r.Configurations} × {r.Epochs}")),
    Epochs = Hyperband<NbNlpCell>.BracketShape(rungs, s).Sum(r => r.Configurations * r.Epochs) })));
"""),
md("""
Successive halving is synchronous: it cannot promote anyone until the whole rung has reported. While it waits, `Ask()`
returns null and `Waiting` is true, and a study waits instead of ending. Here is the ask/tell loop by hand for the
first rung:
"""),
code("""
var space = new NbNlpSpace(nlp);
var evaluator = new NbNlpTabularEvaluator(nlp);
var signal = Objective.Min(Metrics.ValidPerplexity);
var sh = new Hyperband<NbNlpCell>(space, signal, rungs, seed: 0, successiveHalvingOnly: true);
var firstRung = new List<Proposal<NbNlpCell>>();
while (sh.Ask() is { } p) firstRung.Add(p);
Console.WriteLine($"asked {firstRung.Count} cells at {firstRung[0].Fidelity!.Epochs} epochs; waiting: {sh.Waiting}");
foreach (var p in firstRung) sh.Tell(p, evaluator.Evaluate(p.Architecture, p.Fidelity!));
var next = sh.Ask()!;
Console.WriteLine($"after the rung: cell {next.Architecture} promoted to {next.Fidelity!.Epochs} epochs");
"""),
md("""
## Random search against the schedulers at the same epoch budget
Each run gets 1,000 training epochs. Random search trains every cell for 50 epochs (20 cells); the schedulers decide
per proposal. The incumbent of a run is the best validation perplexity among its trials at the highest epochs
evaluated, and we plot its true epoch-50 validation perplexity against the epochs spent: the median over the seeds
(30 when the book's size setting is quick, for CI; 60 when full) with the interquartile band.
"""),
code("""
const int Budget = 1000;
int Seeds = Sized(quick: 30, full: 60);
var protocol = new QueryBudgetProtocol<NbNlpCell>
{
    Space = space, Evaluator = evaluator, Fidelity = new Fidelity(Epochs: 50), Signal = signal,
    OutcomeMetric = NbNlpTabularEvaluator.FinalValidPerplexity, Epochs = Budget, Rungs = rungs,
};
var names = new[] { "random", "successive-halving", "hyperband", "asha" };
var runs = names.ToDictionary(n => n, n => protocol.Run(Catalog<IStrategyFactory>.Get(n), Seeds, firstSeed: 0));
var withStopping = new QueryBudgetProtocol<NbNlpCell>
{
    Space = space, Evaluator = evaluator, Fidelity = new Fidelity(Epochs: 50), Signal = signal,
    OutcomeMetric = NbNlpTabularEvaluator.FinalValidPerplexity, Epochs = Budget,
    Stopping = new StoppingSetting(new MedianStoppingRule(), signal),
};
runs["random + median stopping"] = withStopping.Run(Catalog<IStrategyFactory>.Get("random"), Seeds, firstSeed: 0);

var bands = runs.SelectMany(kv =>
{
    var c = AnytimeCurve.Of(kv.Key, kv.Value, Budget);
    var at = Enumerable.Range(0, c.Epochs.Count).Where(i => double.IsFinite(c.Median[i])).ToArray(); // before a run's first incumbent there is none
    var x = at.Select(i => c.Epochs[i]).ToArray();
    return new[] {
        Chart.Line<double, double, string>(x: x, y: at.Select(i => c.Median[i]), Name: kv.Key),
        Chart.Line<double, double, string>(x: x.Concat(x.Reverse()), y: at.Select(i => c.Upper[i]).Concat(at.Reverse().Select(i => c.Lower[i])),
            Name: kv.Key + " IQR", ShowLegend: false, Opacity: 0.15, Fill: Plotly.NET.StyleParam.Fill.ToSelf),
    };
});
Show(Chart.Combine(bands), xTitle: "training epochs spent", yTitle: "final validation perplexity of the incumbent", height: 500);
"""),
code("""
double Best = nlp.Cells.Select(c => nlp.At(c, 50, r => r.ValidLoss)).Where(v => v is not null).Min(v => Math.Exp(v!.Value));
ShowFrame(Frame.FromRecords(runs.Select(kv => new {
    Strategy = kv.Key,
    Mean = Math.Round(kv.Value.Average(r => r.Outcome), 2),
    Std = Math.Round(Statistics.Std(kv.Value.Select(r => r.Outcome).ToArray()), 2),
    Regret = Math.Round(kv.Value.Average(r => r.Outcome) - Best, 2),
    Trials = Math.Round(kv.Value.Average(r => r.Trials.Count), 1),
    MannWhitneyP_vs_random = kv.Key == "random" ? double.NaN
        : Math.Round(Statistics.MannWhitneyU(kv.Value.Select(r => r.Outcome).ToArray(), runs["random"].Select(r => r.Outcome).ToArray()).P, 4),
})));
"""),
md("""
Lower is better; the regret is measured against the best cell of the benchmark, and `Trials` counts evaluations
(a promotion is a new trial). The schedulers run many more trials in the same epochs, and because a few epochs already rank cells well (the table above), the extra breadth pays.
The median stopping rule gets a similar effect without a scheduler: it cuts a random-search trial as soon as its
best perplexity so far is worse than the median of the finished trials' running averages.

## NAS-Bench-201 with two fidelities, and BOHB
NB201 has tables for 12 and 200 epochs: a two-rung ladder. BOHB needs a model over the space's decisions, which
NB201 (six categorical edges) has; it replaces Hyperband's uniform sampling with a TPE-style density ratio fitted on
the largest budget with enough results.
"""),
code("""
var nb201 = Nb201BenchmarkEntry.Tables();
var nb201Protocol = new QueryBudgetProtocol<Nb201Cell>
{
    Space = nb201.Space, Evaluator = new Nb201TabularEvaluator(nb201) { OutcomeEpochs = 200 }, Fidelity = new Fidelity(Epochs: 200),
    Epochs = 4000, Rungs = FidelityRungs.Parse("12,200"),
};
ShowFrame(Frame.FromRecords(new[] { "random", "hyperband", "bohb", "asha" }.Select(n =>
{
    var r = nb201Protocol.Run(Catalog<IStrategyFactory>.Get(n), Seeds, firstSeed: 0);
    return new { Strategy = n, TestAccuracy = $"{r.Average(x => x.Outcome):0.00} ± {Statistics.Std(r.Select(x => x.Outcome).ToArray()):0.00}" };
})));
"""),
md("""
## Joint architecture and hyperparameter search: LCBench
LCBench trained funnel-shaped MLPs on 35 OpenML tasks for 52 epochs, with the architecture (layers, units) and five
training hyperparameters drawn together. YAHPO Gym's surrogate of it is an ONNX network that predicts the learning
curve of any configuration on 34 of the tasks; NasKit loads it with ONNX Runtime and encodes inputs as YAHPO does. The
space comes from the surrogate's `config_space.json`: numeric hyperparameters become ordered grids on their own
scale (log for batch size, learning rate and units).
"""),
code("""
var lcbench = LcBenchBenchmarkEntry.Surrogate();
var lcSpace = lcbench.CreateSpace();
ShowFrame(Frame.FromRecords(lcSpace.Decisions.Select(d => new {
    Decision = d.Name, Options = d.Count, First = d.Options[0], Second = d.Options[1], Last = d.Options[^1] })));
"""),
md("""
The surrogate's learning curves for one configuration (the config space's defaults) on three tasks: validation
accuracy against epochs. Where a curve is still rising at epoch 52 a short run underrates the configuration.
"""),
code("""
var defaults = lcSpace.Create(lcSpace.Decisions.Select(d => d.Count / 2).ToArray()); // the middle of every grid: the config space's defaults
Console.WriteLine(defaults);
var epochsAxis = Enumerable.Range(1, lcbench.MaxEpochs).ToArray();
Show(Chart.Combine(new[] { "3945", "7593", "126025" }.Select(task => Chart.Line<int, double, string>(
    x: epochsAxis, y: lcbench.Predict(task, lcSpace.Values(defaults), epochsAxis).Select(p => p.ValidAccuracy), Name: $"task {task}"))),
    xTitle: "epoch", yTitle: "validation accuracy (%)");
"""),
md("""
Random search against the schedulers on five tasks, 30 seeds each, 2,600 epochs per run (50 full trainings for random
search). The outcome is the incumbent's validation accuracy after 52 epochs; the p-value is a Mann-Whitney U test
against random search on the same seeds' outcomes.
"""),
code("""
string[] lcTasks = ["3945", "7593", "34539", "126025", "126026"];
var lcRungs = FidelityRungs.Geometric(lcbench.MinEpochs, lcbench.MaxEpochs, 3);
var lcRows = new List<object>();
var lcRuns = new Dictionary<(string Task, string Strategy), IReadOnlyList<SearchRun<NasKit.Spaces.Choices>>>();
foreach (var task in lcTasks)
{
    var lcProtocol = new QueryBudgetProtocol<NasKit.Spaces.Choices>
    {
        Space = lcSpace, Evaluator = new LcBenchEvaluator(lcbench, task), Fidelity = new Fidelity(Epochs: lcbench.MaxEpochs),
        Signal = Objective.Max(Metrics.ValidAccuracy), OutcomeMetric = LcBenchEvaluator.FinalValidAccuracy, Epochs = 2600, Rungs = lcRungs,
    };
    foreach (var n in new[] { "random", "hyperband", "bohb", "asha" })
        lcRuns[(task, n)] = lcProtocol.Run(Catalog<IStrategyFactory>.Get(n), Seeds, firstSeed: 0);
}
var lcTable = lcRuns.Select(kv => new {
    Task = kv.Key.Task, Strategy = kv.Key.Strategy,
    Mean = Math.Round(kv.Value.Average(r => r.Outcome), 2),
    Std = Math.Round(Statistics.Std(kv.Value.Select(r => r.Outcome).ToArray()), 2),
    P_vs_random = kv.Key.Strategy == "random" ? double.NaN
        : Math.Round(Statistics.MannWhitneyU(kv.Value.Select(r => r.Outcome).ToArray(), lcRuns[(kv.Key.Task, "random")].Select(r => r.Outcome).ToArray()).P, 4),
}).ToArray();
ShowFrame(Frame.FromRecords(lcTable));
"""),
code("""
int Wins(string strategy) => lcTasks.Count(t => lcTable.First(r => r.Task == t && r.Strategy == strategy).Mean > lcTable.First(r => r.Task == t && r.Strategy == "random").Mean);
$"tasks (of {lcTasks.Length}) where the mean beats random search: hyperband {Wins("hyperband")}, bohb {Wins("bohb")}, asha {Wins("asha")}"
"""),
md("""
Anytime curves on task 7593 (the one with the widest spread): median and interquartile band of the incumbent's
final validation accuracy against the epochs spent.
"""),
code("""
var lcBands = new[] { "random", "hyperband", "bohb", "asha" }.SelectMany(n =>
{
    var c = AnytimeCurve.Of(n, lcRuns[("7593", n)], 2600);
    var at = Enumerable.Range(0, c.Epochs.Count).Where(i => double.IsFinite(c.Median[i])).ToArray();
    var x = at.Select(i => c.Epochs[i]).ToArray();
    return new[] {
        Chart.Line<double, double, string>(x: x, y: at.Select(i => c.Median[i]), Name: n),
        Chart.Line<double, double, string>(x: x.Concat(x.Reverse()), y: at.Select(i => c.Upper[i]).Concat(at.Reverse().Select(i => c.Lower[i])),
            Name: n + " IQR", ShowLegend: false, Opacity: 0.15, Fill: Plotly.NET.StyleParam.Fill.ToSelf),
    };
});
Show(Chart.Combine(lcBands), xTitle: "training epochs spent", yTitle: "final validation accuracy of the incumbent (%)", height: 500);
"""),
md("""
## Joint search trained for real: a JAHS-Bench-201-style space
JAHS-Bench-201 searches NB201's cell jointly with the training recipe. NasKit's `jahs` space is that space scaled down:
six edges, a learning rate and a weight decay on log grids, the activation (ReLU, Hardswish, Mish) and TrivialAugment
on or off. A configuration builds an NB201 network with its activation, and tells the training evaluator its recipe
(`ITrainingRecipeSpace`). Here one configuration trains for one epoch on 600 Fashion-MNIST images, with and without
TrivialAugment:
"""),
code("""
var jahs = new JahsSpace();
var (fmTrain, fmTest) = NasKit.Data.DatasetReaders.ByName("fashion-mnist");
var jahsEvaluator = new TrainingEvaluator<NasKit.Spaces.Choices>(jahs, fmTrain.Split(600, 0).First, fmTest.Split(300, 0).First, seed: 0,
    new NasKit.Networks.NetworkShape(4, 1), new TrainingHyperparameters(BatchSize: 100));
var cfg = jahs.Sample(new Random(4));
Console.WriteLine(jahs.Label(cfg));
foreach (var ta in new[] { "off", "on" })
{
    var c = jahs.Create(new Dictionary<string, string>(jahs.Describe(cfg)) { [JahsSpace.TrivialAugmentName] = ta });
    var e = jahsEvaluator.Evaluate(c, new Fidelity(Epochs: 1));
    Console.WriteLine($"TrivialAugment {ta}: train loss {e[Metrics.TrainLoss]:0.000}, held-out accuracy {e[Metrics.ValidAccuracy]:0.0}% in {e.CostSeconds:0.0} s");
}
"""),
md("""
Random search, Hyperband and BOHB compete on it from the command line at the same total epoch budget (rungs 1, 3, 9);
each run trains a few dozen networks, so it takes minutes on two cores:

```
naskit search --space jahs --evaluator train:train-images=3000,valid-images=1000,batch=128 --data fashion-mnist --channels 8 --fidelities 1-9 --budget-epochs 81 --strategy random,hyperband,bohb --runs 3 --seed 0
```
"""),
md("""
The same experiments run from a terminal:

```
naskit search --benchmark nbnlp --strategy random,successive-halving,hyperband,asha --fidelities 1-50 --budget-epochs 1000 --runs 30 --seed 0
naskit search --benchmark nbnlp --strategy random --stopping median --budget-epochs 1000 --runs 30 --seed 0
naskit search --benchmark nb201 --strategy random,hyperband,bohb,asha --fidelities 12,200 --budget-epochs 4000 --runs 30 --seed 0
naskit search --benchmark lcbench --task 7593 --strategy random,hyperband,bohb,asha --budget-epochs 2600 --runs 30 --seed 0
```
"""),
])
