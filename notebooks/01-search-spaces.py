# Source of 01-search-spaces.ipynb: `python3 notebooks/01-search-spaces.py` rewrites the notebook.
import json, sys, os

def md(text): return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n").splitlines(True)}
def code(text): return {"cell_type": "code", "execution_count": None, "outputs": [],
                        "metadata": {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}},
                        "source": text.strip("\n").splitlines(True)}

cells = [
md("""
# 1. Cell-based search spaces: NAS-Bench-201

Neural architecture search needs a **search space**: the set of networks a strategy may pick from. Designing
whole networks is expensive, so most modern spaces fix a *macro skeleton* (stem, stages, down-sampling) and search
only a small repeated unit, the **cell**.

A NAS-Bench-201 cell (Dong & Yang, ICLR 2020) is a directed acyclic graph on 4 nodes. Node 0 is the cell's input,
node 3 its output, and each of the 6 edges *i → j* (i < j) carries one of five operations:
`none`, `skip_connect`, `nor_conv_1x1`, `nor_conv_3x3`, `avg_pool_3x3`. Each node sums what its incoming edges
produce. That gives 5⁶ = 15,625 cells, and NAS-Bench-201 trained every one of them, so a search can be
simulated by looking results up in a table.

This chapter samples and draws a cell, counts the space, builds the benchmark's network, and looks at the
distribution of accuracies over the whole space.
"""),
code("""
#r "../artifacts/naskit/NasKit.dll"
#r "nuget: Plotly.NET, 6.0.0"
#r "nuget: Plotly.NET.CSharp, 0.14.0"
#r "nuget: Deedle, 8.1.0"
#load "setup.csx"
"""),
md("""
## The benchmark tables
`Nb201Benchmark.Load()` finds the tables through the data locator (`NASKIT_DATA`, then `datasets/`) and joins the
200- and 12-epoch accuracies with HW-NAS-Bench's latencies by the official index.
"""),
code("""
using NasKit.Benchmarks;
using NasKit.SearchSpaces.Nb201;
using NasKit.Networks;
using NasKit.Hardware;
using NasKit.Reports;

var bench = Nb201Benchmark.Load();
var space = bench.Space;
$"{space.Count:N0} cells, tables loaded in {bench.LoadTime.TotalMilliseconds:0} ms"
"""),
md("""
## Sampling a cell
All randomness takes an explicit seed. The canonical text form is the benchmark's own string: three groups, one
per node 1, 2, 3, each listing `op~input` for its incoming edges.
"""),
code("""
var rng = new Random(42);
var cell = space.Sample(rng);
display(cell.ToText());
display(HTML(Nb201CellDiagram.ToSvg(cell)));
"""),
md("""
The same cell as a table of edges:
"""),
code("""
using Deedle;
var edges = Frame.FromRecords(Nb201Cell.Edges.Select((e, i) => new { Edge = $"{e.From} -> {e.To}", Op = cell[i].Name() }));
ShowFrame(edges);
"""),
md("""
## Building the benchmark's network
The cell is stacked into NB201's skeleton: a 3×3 stem, three stages of N = 5 cells at C = 16, 32, 64 channels,
a ResNet block between stages, then BN-ReLU, global pooling and a linear classifier. NasKit builds it with
TorchSharp, and its parameter count equals the benchmark's `cifar10_params_mb` (for all 15,421 rows where that
column is sound). FLOPs are counted analytically.
"""),
code("""
using TorchSharp;
var device = NasKit.Runtime.TorchRuntime.DefaultDevice;
var net = space.Build(cell, Nb201Network.Cifar10Shape);
net.to(device);
var x = TorchSharp.torch.randn(2, 3, 32, 32, device: device);
var logits = net.forward(x);
display(new {
    Device = device.ToString(),
    Params = net.ParameterCount(),
    TableParams = bench.ParamsMb(cell) * 1e6,
    MFlops = Nb201CostModel.Flops(cell, Nb201Network.Cifar10Shape) / 1e6,
    Logits = string.Join("x", logits.shape),
});
logits.Dispose(); x.Dispose(); net.Dispose(); // native memory is freed deterministically, not by the GC
"""),
md("""
## The whole space in a Deedle frame
One row per cell: its 200-epoch CIFAR-10 accuracies, parameter count and FLOPs.
"""),
code("""
var rows = bench.Cells.Select(c => new {
    Index = bench.IndexOf(c),
    Arch = c.ToText(),
    ValidAcc = bench.ValidAccuracy(c),
    TestAcc = bench.TestAccuracy(c),
    ParamsM = Nb201CostModel.Parameters(c, Nb201Network.Cifar10Shape) / 1e6,
    MFlops = Nb201CostModel.Flops(c, Nb201Network.Cifar10Shape) / 1e6,
}).ToArray();
var frame = Frame.FromRecords(rows).IndexRows<int>("Index");
var top = rows.OrderByDescending(r => r.TestAcc).Take(5).Select(r => r.Index).ToArray();
ShowFrame(frame.Rows[top]);
"""),
md("""
## How good is a random cell?
The distribution of test accuracy is heavily skewed: most cells are decent, a long tail (cells whose output
is cut off by `none` edges, or that only pool) is very poor, and the best few are rare. This is why random search
is a strong baseline here, and why the differences between strategies live in the last few tenths of a percent.
"""),
code("""
using Plotly.NET.CSharp;
var testAcc = rows.Select(r => r.TestAcc).ToArray();
Show(Chart.Histogram<double, double, string>(X: testAcc, NBinsX: 100),
     xTitle: "CIFAR-10 test accuracy (%), 200 epochs", yTitle: "cells");
"""),
md("""
## Accuracy against size
Bigger cells (more convolutions) tend to do better, but the relation saturates: cells of very different sizes
reach the top accuracies (the line under the plot counts them). Hover shows the cell.
"""),
code("""
var good = rows.Where(r => r.TestAcc > 10).ToArray();
Show(Chart.Point<double, double, string>(x: good.Select(r => r.ParamsM), y: good.Select(r => r.TestAcc),
        MultiText: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(good.Select(r => r.Arch).ToArray(), true), Opacity: 0.4),
     xTitle: "parameters (M)", yTitle: "CIFAR-10 test accuracy (%)", height: 450);
var top = good.Where(r => r.TestAcc >= 93).ToArray();
$"{top.Length:N0} cells reach at least 93% test accuracy, with {top.Select(r => r.ParamsM).Distinct().Count()} distinct sizes from {top.Min(r => r.ParamsM):0.000} M to {top.Max(r => r.ParamsM):0.000} M parameters"
"""),
md("""
## Writing your own space
NB201 is one space among many. A space is a list of **decisions**: categorical (an op), ordinal (a width, a depth)
or conditional (a choice that exists only when another has some value). From the list alone, NasKit derives what
every strategy needs: sampling, mutation, neighbours, crossover, the decisions a controller emits and a one-hot
encoding for predictors. NB201 itself is six categorical decisions written this way.

Here is a small MLP space, an evaluator (a made-up score standing in for training), and the ask/tell loop that
every strategy follows: `Ask()` proposes, `Tell(proposal, result)` reports.
"""),
code("""
using NasKit.Spaces;
using NasKit.Estimation;
using NasKit.Strategies;

var mlp = new DecisionSpace("mlp",
    Decision.Integer("layers", 1, 4),
    Decision.Ordinal("width", "16", "32", "64", "128"),
    Decision.Categorical("activation", "relu", "gelu", "tanh"),
    Decision.Categorical("dropout", "0", "0.1", "0.3").When("layers", "3", "4")); // only deep nets get dropout

sealed class MadeUpScore : IEvaluator<Choices>
{
    public Evaluation Evaluate(Choices a, Fidelity f, TrialContext? context = null) => new(new Dictionary<string, double>
    {
        ["valid_acc"] = 80 + 3 * a.Number("layers") + Math.Log2(a.Number("width")) - (a["activation"] == "tanh" ? 4 : 0) - (a["dropout"] == "0.3" ? 2 : 0),
    }, CostSeconds: 1);
}

var evaluator = new MadeUpScore();
var rea = new RegularizedEvolution<Choices>(mlp, Objective.Max("valid_acc"), seed: 0);
for (int i = 0; i < 3; i++)
{
    var proposal = rea.Ask()!;
    var result = evaluator.Evaluate(proposal.Architecture, Fidelity.Full);
    rea.Tell(proposal, result);
    display($"{proposal.Architecture}  ->  {result["valid_acc"]:0.00}");
}
$"{mlp.Count} architectures; a mutation of the last one: {mlp.Mutate(mlp.Sample(new Random(1)), new Random(2))}"
"""),
md("""
A **study** runs that loop under a budget and records every trial in a ledger (in memory here; an SQLite file or a
PostgreSQL database for runs that must survive a crash or use many machines), so a killed run resumes exactly.
"""),
code("""
using NasKit.Execution;

var study = new Study<Choices>(new InMemoryTrialQueue(), new StudySpec("my-mlp", mlp.Name, "rea", Seed: 0), mlp, Budget.OfQueries(30));
var run = study.Run(new RegularizedEvolution<Choices>(mlp, Objective.Max("valid_acc"), seed: 0).WithStandardWrappers(), evaluator);
var best = run.Best("valid_acc")!;
$"{run.Trials.Count} trials, stopped by {run.StopReason}; best {best.Architecture} with {best.Evaluation["valid_acc"]:0.00}"
"""),
md("""
## Summary
* The space: 15,625 cells, each a 6-edge DAG. NasKit's `Nb201Cell` is an immutable value with the official text
  form, and parsing names what is wrong with a malformed string.
* The network: built with TorchSharp, and its size matches the benchmark.
* The tables: every accuracy and latency is one array lookup, so searches over this space cost nothing but
  the strategy's own time. The next chapter uses that to compare search strategies.
* Your own space: a list of decisions and an evaluator; every strategy, predictor and study works on it.
"""),
]

nb = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
      "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
                   "language_info": {"name": "polyglot-notebook", "file_extension": ".cs"},
                   "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"name": "csharp"}]}}}}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "01-search-spaces.ipynb")
json.dump(nb, open(out, "w"), indent=1)
print(out)
