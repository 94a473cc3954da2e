# Source of 13-transformers.ipynb: `python3 notebooks/13-transformers.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 13. Transformer architecture search

Cell spaces grew up on images. Language models are searched differently: HAT (Wang et al., ACL 2020) and AutoFormer
(Chen et al., ICCV 2021) let every layer of a Transformer choose its own number of heads and MLP width
(*heterogeneous* layers), and the attention mechanism and the positional encoding are design decisions too.
This chapter builds such a space for decoder-only (GPT) models, reproduces nanoGPT's small character-level
Shakespeare model as the baseline, and searches the space with the same ask/tell strategies as every other chapter,
on the validation loss instead of an accuracy.
"""),
SETUP,
code("""
using NasKit.Analysis;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Reports;
using NasKit.SearchSpaces.Transformer;
using NasKit.Spaces;
using NasKit.Strategies;
using Plotly.NET.CSharp;
using Deedle;

var space = new DecoderSpace();
string.Join("\\n", space.Decisions.Take(8).Select(d => d.ToString())) + $"\\n... and l2..l6 likewise\\n{space.Count:N0} architectures"
"""),
md("""
Per-layer decisions exist only while the network is that deep: a 2-layer model has no `l3.heads`. The window
exists only for local attention. The text form of an architecture lists the decisions that exist, and reads back:
"""),
code("""
var baseline = space.NanoGptBaseline;
var corpus = CharCorpus.TinyShakespeare();
var config = space.Configure(baseline, corpus.VocabularySize, 64);
$"{baseline.ToText()}\\n{config.TotalParameters:N0} parameters ({config.DecoderParameters:N0} in the decoder layers), " +
$"{config.ForwardMacs / 1e6:0.0} M multiply-accumulates per 64-character window; " +
$"vocabulary {corpus.VocabularySize}, {corpus.Train.Length:N0} training and {corpus.Valid.Length:N0} validation characters"
"""),
md("""
## Attention masks and positional biases
Causal attention lets position *i* see positions *j ≤ i*. A local window of *w* keeps only the last *w* of them, so
cost grows linearly with the context instead of quadratically. ALiBi (Press et al., ICLR 2022) adds no position
vector at all: each head subtracts *m·(i − j)* from its attention scores, with slopes *m* = 2^(−8h/H), so some heads
look far back and others only at the last few characters. Below, the additive bias of head 1 and head 4 of a 4-head
ALiBi layer with a window of 8 over 12 positions (white: masked).
"""),
code("""
var bias = PositionalEncodings.AttentionBias(12, 4, window: 8, alibi: true);
double[][] Head(int h) => Enumerable.Range(0, 12).Select(i => Enumerable.Range(0, 12).Select(j =>
    { var v = bias[h, i, j].item<float>(); return float.IsNegativeInfinity(v) ? double.NaN : v; }).ToArray()).ToArray();
var positions = Enumerable.Range(0, 12).Select(i => i.ToString()).ToArray();
Show(Figures.Heatmap(Head(0), positions, positions, "ALiBi head 1 (slope 1/4): key j across, query i down", height: 300, valueFormat: ".1f"));
Show(Figures.Heatmap(Head(3), positions, positions, "ALiBi head 4 (slope 1/256)", height: 300, valueFormat: ".2f"));
string.Join(", ", PositionalEncodings.AlibiSlopes(4).Select(s => s.ToString("0.####")))
"""),
md("""
## The baseline: nanoGPT's shakespeare_char on a CPU
nanoGPT's README trains a 4-layer, 4-head, width-128 model with context 64 and batch 12 for 2,000 iterations on a
CPU (AdamW, learning rate 1e-3 warmed up over 100 iterations and cosine-decayed to 1e-4, gradients clipped at 1)
and reports a validation loss of about 1.88 nats per character. `LanguageModelTraining` is that recipe; the quick
size of this book trains 300 iterations, the full size all 2,000.
"""),
code("""
int iterations = Sized(quick: 300, full: 2000);
var recipe = LanguageModelRecipe.NanoGptShakespeareCpu with { Iterations = iterations, EvalInterval = Sized(quick: 50, full: 250) };
var model = new DecoderTransformer(config, seed: 0); // lives for the notebook: the sample below uses it
var run = LanguageModelTraining.Train(model, corpus, recipe, seed: 0, NasKit.Runtime.TorchRuntime.DefaultDevice);
var train = Chart.Line<int, double, string>(x: run.Curve.Select(p => p.Iteration), y: run.Curve.Select(p => p.TrainLoss), Name: "train");
var valid = Chart.Line<int, double, string>(x: run.Curve.Select(p => p.Iteration), y: run.Curve.Select(p => p.ValidLoss), Name: "validation");
Show(Chart.Combine([train, valid]), xTitle: "iteration", yTitle: "cross-entropy (nats per character)");
$"after {run.Iterations} iterations: validation loss {run.ValidLoss:0.0000} (200 batches), training {run.TrainSeconds:0} s " +
$"({run.TrainSeconds * 1000 / run.Iterations:0.0} ms per iteration)" +
(iterations == 2000 ? $"; nanoGPT reports about 1.88, a difference of {run.ValidLoss - 1.88:+0.000;-0.000}" : "; run with NASKIT_SIZE=full for the 2,000-iteration reproduction")
"""),
md("""A sample from the trained model, one character at a time from a newline, at temperature 1 (seeded):"""),
code("""corpus.Decode(model.Generate(corpus.Encode("\\n"), 300, seed: 0))"""),
md("""
## Searching the space: the ask/tell loop
The `lm` evaluator trains each proposal with the same recipe at a budget the strategy does not see (here a few
hundred iterations) and reports `valid_loss`; the objective says lower is better. Regularized evolution, driven by
hand as in chapter 2:
"""),
code("""
var evaluator = new LanguageModelEvaluator<Choices>(space, corpus, LanguageModelRecipe.NanoGptShakespeareCpu with { EvalIterations = 10, FinalEvalIterations = 40 },
                                                     seed: 0, stepsPerEpoch: Sized(quick: 40, full: 150));
var signal = Objective.Min(Metrics.ValidLoss);
var rea = new RegularizedEvolution<Choices>(space, signal, seed: 0, populationSize: Sized(quick: 4, full: 10), sampleSize: Sized(quick: 2, full: 3));
var trials = new List<(Choices Arch, Evaluation Result)>();
for (int query = 0; query < Sized(quick: 8, full: 40); query++)
{
    var proposal = rea.Ask()!;
    var result = evaluator.Evaluate(proposal.Architecture, new Fidelity(Epochs: 2));
    rea.Tell(proposal, result);
    if (!result.Failed) trials.Add((proposal.Architecture, result));
}
var bestTrial = trials.MinBy(t => t.Result[Metrics.ValidLoss]);
$"{trials.Count} models trained; best validation loss {bestTrial.Result[Metrics.ValidLoss]:0.000} with {bestTrial.Result[Metrics.Parameters]:0.000}M parameters:\\n{bestTrial.Arch}"
"""),
md("""
## Loss against size
Each point is a trained model; the line is the Pareto front of validation loss against parameters (smaller and
better). At such short budgets small models often win: they learn faster per iteration, which is why a search at a
proxy budget must be checked at the full one.
"""),
code("""
var points = trials.Select(t => (Params: t.Result[Metrics.Parameters], Loss: t.Result[Metrics.ValidLoss], Arch: t.Arch)).ToArray();
var frontIdx = Pareto.Front(points.Select(p => (IReadOnlyList<double>)new[] { p.Params, p.Loss }).ToArray());
var frontPts = frontIdx.Select(i => points[i]).OrderBy(p => p.Params).ToArray();
var cloud = Chart.Point<double, double, string>(x: points.Select(p => p.Params), y: points.Select(p => p.Loss), Name: "trained models");
var frontLine = Chart.Line<double, double, string>(x: frontPts.Select(p => p.Params), y: frontPts.Select(p => p.Loss), Name: "Pareto front");
Show(Chart.Combine([cloud, frontLine]), xTitle: "parameters (M)", yTitle: "validation loss (nats per character)");
var decoder = trials.Select(t => (double)space.Configure(t.Arch, corpus.VocabularySize, 64).DecoderParameters).ToArray();
var losses = trials.Select(t => t.Result[Metrics.ValidLoss]).ToArray();
var tau = RankCorrelation.KendallTauB(decoder, losses);
$"{frontPts.Length} models on the front. Kendall tau between decoder parameters and validation loss over these {trials.Count} models: " +
$"{tau:0.00} ({(tau < 0 ? "larger decoders reached lower loss" : "larger decoders did not reach lower loss")} at this budget; these are evolution's picks, " +
$"not a uniform sample, so this is no test of the parameter-count proxy)"
"""),
md("""
## Loss against measured latency
Parameters are a stand-in for cost; what a deployment pays is time. Each trained architecture is built again and
timed on this machine generating one token (batch 1, the 64-character window recomputed: these models keep no
key/value cache), the median of 10 forward passes after 3 warm-up passes.
"""),
code("""
using NasKit.Hardware;
var timed = trials.Select(t =>
{
    using var net = space.Build(t.Arch, corpus.VocabularySize, 64, seed: 0);
    return (Ms: LatencyMeter.MeasureTokens(net, batch: 1, context: 64, vocabulary: corpus.VocabularySize).MedianMs, Loss: t.Result[Metrics.ValidLoss]);
}).ToArray();
var latencyFront = Pareto.Front(timed.Select(p => (IReadOnlyList<double>)new[] { p.Ms, p.Loss }).ToArray()).Select(i => timed[i]).OrderBy(p => p.Ms).ToArray();
Show(Chart.Combine([
    Chart.Point<double, double, string>(x: timed.Select(p => p.Ms), y: timed.Select(p => p.Loss), Name: "trained models"),
    Chart.Line<double, double, string>(x: latencyFront.Select(p => p.Ms), y: latencyFront.Select(p => p.Loss), Name: "Pareto front")]),
    xTitle: "latency per generated token, batch 1 (ms)", yTitle: "validation loss (nats per character)");
$"latency {timed.Min(p => p.Ms):0.00}..{timed.Max(p => p.Ms):0.00} ms per token; {latencyFront.Length} models on the loss-latency front"
"""),
md("""
## Searching the trade-off directly: NSGA-II
Above, one objective was searched and the costs were looked at afterwards. NSGA-II (Deb et al. 2002) is given all
three at once: validation loss, parameters and the latency the `lm` evaluator measures after training each model
(`cpu_latency`, one generated token at batch 1). Each generation keeps the models no other beats on all three, and
among equals the ones in the sparsest part of the front. The loop is the same ask/tell loop:
"""),
code("""
var objectives = new[] { Objective.Min(Metrics.ValidLoss), Objective.Min(Metrics.Parameters), Objective.Min(Metrics.LatencyOn(evaluator.Device.type)) };
var nsga = new Nsga2<Choices>(space, objectives, seed: 0, populationSize: Sized(quick: 4, full: 8));
var moTrials = new List<(Choices Arch, Evaluation Result)>();
for (int query = 0; query < Sized(quick: 8, full: 24); query++)
{
    var proposal = nsga.Ask()!;
    var result = evaluator.Evaluate(proposal.Architecture, new Fidelity(Epochs: 2));
    nsga.Tell(proposal, result);
    if (!result.Failed) moTrials.Add((proposal.Architecture, result));
}
var costs = moTrials.Select(t => (IReadOnlyList<double>)objectives.Select(o => t.Result[o.Metric]).ToArray()).ToArray();
var moFront = Pareto.Front(costs).Select(i => moTrials[i]).OrderBy(t => t.Result[Metrics.ValidLoss]).ToArray();
ShowFrame(Frame.FromRecords(moFront.Select(t => new { ValidLoss = Math.Round(t.Result[Metrics.ValidLoss], 3), ParamsM = Math.Round(t.Result[Metrics.Parameters], 3),
                                                     LatencyMs = Math.Round(t.Result[objectives[2].Metric], 3), Architecture = t.Arch.ToText() })));
Show(Chart.Combine([
    Chart.Point<double, double, string>(x: moTrials.Select(t => t.Result[objectives[2].Metric]), y: moTrials.Select(t => t.Result[Metrics.ValidLoss]), Name: "NSGA-II's models"),
    Chart.Point<double, double, string>(x: moFront.Select(t => t.Result[objectives[2].Metric]), y: moFront.Select(t => t.Result[Metrics.ValidLoss]), Name: "on the 3-objective front")]),
    xTitle: "latency per generated token, batch 1 (ms)", yTitle: "validation loss (nats per character)");
$"{moFront.Length} of {moTrials.Count} models are on the front of loss, parameters and latency"
"""),
md("""
## Predicting latency: HAT's predictor
Measuring every candidate on the target device is slow when the device is a phone or a Raspberry Pi. HAT measured
2,000 encoder-decoder Transformers per device once and trained a small MLP on ten features (widths, depths, average
heads and FFN sizes) to predict the rest. Here HAT's own MLP, ridge regression and gradient-boosted trees are fitted
on 80% of two of its data sets and scored on the last 10%, as HAT's script splits them.
"""),
code("""
using NasKit.SearchSpaces.HatTransformer;
var hat = new[] { "wmt14ende_cpu_xeon", "wmt14ende_cpu_raspberrypi" }.SelectMany(name =>
    HatLatencyStudy.Run(name, HatLatencyData.Load(name), seed: 0, HatLatencyStudy.DefaultPredictors(0, mlpSteps: Sized(quick: 1000, full: 5000)))).ToArray();
ShowFrame(Frame.FromRecords(hat.Select(r => new { r.DataSet, r.Predictor, MeanLatencyMs = Math.Round(r.MeanLatencyMs, 1), RmseMs = Math.Round(r.RmseMs, 2),
                                                  MapdPercent = Math.Round(100 * r.Mapd, 1), KendallTau = Math.Round(r.KendallTau, 3) })));
var bestHat = hat.GroupBy(r => r.DataSet).Select(g => g.MinBy(r => r.RmseMs)!).ToArray();
string.Join("; ", bestHat.Select(r => $"{r.DataSet}: lowest RMSE {r.RmseMs:0.00} ms by {r.Predictor} (tau {r.KendallTau:0.000})"))
"""),
md("""
The same experiments from a terminal: `naskit lm train --seeds 3` reproduces the baseline over three seeds,
`naskit search --space transformer --evaluator lm --epochs 2 --strategy rea,random` compares strategies on the space,
`naskit search --space transformer --evaluator lm --epochs 2 --objectives valid_loss,params_m,cpu_latency --strategy nsga2` runs the search above,
`naskit lm latency` times a model, `naskit lm hat-latency` fits the latency predictors on all eight HAT data sets and
`naskit lm proxies` asks which training-free score ranks trained Transformers.
"""),
])
