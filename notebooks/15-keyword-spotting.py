# Source of 15-keyword-spotting.ipynb: `python3 notebooks/15-keyword-spotting.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 15. Keyword spotting under a device budget

A keyword spotter listens all the time on a small device, so its network is judged by three numbers at once:
accuracy, memory (parameters) and time per inference. Zhang et al. ("Hello Edge", 2017) compared fully connected,
convolutional and depthwise-separable convolutional networks (DS-CNN) for microcontrollers on 49 frames × 10 MFCCs
of one-second clips; their DS-CNN-S is the baseline here. The data is the Free Spoken Digit Dataset: 3,000
recordings of the digits 0–9 by six speakers at 8 kHz, whose official split tests on recordings 0–4 of every digit
and speaker. This chapter computes the features, trains DS-CNN-S, searches the space around it under a budget of
parameters and measured latency, and asks how much accuracy a speaker the network never heard costs.
"""),
SETUP,
code("""
using NasKit.Analysis;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Hardware;
using NasKit.Networks;
using NasKit.SearchSpaces.KeywordSpotting;
using NasKit.Spaces;
using NasKit.Strategies;
using Plotly.NET.CSharp;
using Deedle;

var fsdd = SpokenDigits.Fsdd();
$"{fsdd.Recordings.Count:N0} recordings at {fsdd.SampleRate} Hz; speakers {string.Join(", ", fsdd.Speakers)}; " +
$"lengths {fsdd.Recordings.Min(r => r.Samples.Length) / 8000.0:0.00}-{fsdd.Recordings.Max(r => r.Samples.Length) / 8000.0:0.00} s"
"""),
md("""
## From a waveform to a feature map
Each recording is padded with silence (or cropped) to one second around its centre, cut into 40 ms Hann windows
every 20 ms (49 frames), and each frame's power spectrum is summed through 40 triangular filters spaced evenly on the
mel scale between 20 and 4,000 Hz; the log of those sums is the log-mel spectrogram. The MFCCs are the first 10
coefficients of its discrete cosine transform. NWaves computes them; a test checks the values against numpy and
scipy on four recordings. Four digits by four speakers:
"""),
code("""
var logMel = new AudioFeatures(AudioFeatureSettings.HelloEdge with { Kind = AudioFeatureKind.LogMel });
var s = logMel.Settings;
foreach (var name in new[] { "0_george_0", "3_jackson_1", "7_theo_2", "9_yweweler_3" })
{
    var r = fsdd.Recordings.Single(x => $"{x.Digit}_{x.Speaker}_{x.Index}" == name);
    var map = logMel.Compute(AudioFeatures.FixLength(r.Samples, s.ClipSamples));
    var z = Enumerable.Range(0, s.MelBands).Select(b => Enumerable.Range(0, s.Frames).Select(t => (double)map[t * s.MelBands + b]).ToArray()).ToArray();
    Show(Chart.Heatmap<double, double, int, string>(zData: z, X: Enumerable.Range(0, s.Frames).Select(t => t * s.HopSeconds).ToArray(), Y: Enumerable.Range(0, s.MelBands).ToArray(), Name: name),
         xTitle: $"time (s): '{r.Digit}' spoken by {r.Speaker}", yTitle: "mel band", height: 260);
}
$"{s.Frames} frames x {s.MelBands} mel bands; the dark margins are the padding (log floor {Math.Log(s.LogFloor):0.0})"
"""),
md("""
Training clips are augmented afresh in every epoch, as in Hello Edge: shifted by up to 100 ms and, half of the
time, mixed with white noise at a signal-to-noise ratio between 10 and 30 dB. The generator depends only on the
seed and the epoch, so every architecture trained with one seed sees the same clips. One clip before and after:
"""),
code("""
var clip = AudioFeatures.FixLength(fsdd.Recordings.Single(x => x.Digit == 7 && x.Speaker == "theo" && x.Index == 2).Samples, s.ClipSamples);
var noisy = AudioAugmentation.Shift(clip, 600);
AudioAugmentation.AddNoise(noisy, 10, new Random(0));
Show(Chart.Combine([
    Chart.Line<double, float, string>(x: Enumerable.Range(0, clip.Length).Select(i => i / 8000.0), y: noisy, Name: "shifted 75 ms, noise at 10 dB"),
    Chart.Line<double, float, string>(x: Enumerable.Range(0, clip.Length).Select(i => i / 8000.0), y: clip, Name: "original")]), xTitle: "time (s)", yTitle: "amplitude", height: 300);
"""),
md("""
## DS-CNN-S as an architecture of the space
The `kws` space has Hello Edge's layers as decisions: the first convolution's kernel (time × frequency), stride
and width, then up to six layers, each a standard or depthwise-separable convolution with its kernel, stride and
width and an optional max pooling. Every convolution has TensorFlow's SAME padding and is followed by batch norm and
ReLU, as in ARM's reference code, so DS-CNN-S has that code's size. Parameters and multiply-accumulates are computed
without building; latency is measured, batch 1, on this machine:
"""),
code("""
var space = new KwsSpace();
var input = new FeatureMapShape(49, 10);
var ds = space.DsCnnSmall;
var dsCost = AudioClassifierCosts.Measure(space, ds, double.NaN, input, SpokenDigits.Classes);
$"{space.Count:N0} architectures. DS-CNN-S: {dsCost.Parameters:N0} parameters, {dsCost.MultiplyAccumulates:N0} multiply-accumulates " +
$"({2 * dsCost.MultiplyAccumulates / 1e6:0.00} M operations as Hello Edge counts them), {dsCost.LatencyMs:0.000} ms per clip"
"""),
md("""
## Training the baseline
`KeywordSpottingTraining` follows Hello Edge's recipe: Adam, batches of 100, a learning rate that steps down twice
(3·10⁻³, 10⁻³, 3·10⁻⁴ for a third of the epochs each; Hello Edge's own rates serve its 30,000 steps, FSDD gives 24 a
epoch), training clips augmented afresh each epoch. Recordings 5–9 of every digit and speaker are the development
set; the result is the epoch of best development accuracy and its test accuracy. The quick size of this book trains
4 epochs, the full size 20.
"""),
code("""
var official = SpokenDigitTasks.Load(SpokenDigitSplit.Official, AudioFeatureSettings.HelloEdge);
int epochs = Sized(quick: 4, full: 20);
var recipe = KeywordSpottingRecipe.HelloEdge with { Epochs = epochs };
var device = NasKit.Runtime.TorchRuntime.DefaultDevice;
KwsResult baseline;
using (var model = space.Build(ds, input, SpokenDigits.Classes, seed: 0))
    baseline = KeywordSpottingTraining.Train(model, official, recipe, seed: 0, device);
var byEpoch = baseline.Curve.Select(e => e.Epoch).ToArray();
Show(Chart.Combine([
    Chart.Line<int, double, string>(x: byEpoch, y: baseline.Curve.Select(e => e.TrainAccuracy), Name: "training (augmented)"),
    Chart.Line<int, double, string>(x: byEpoch, y: baseline.Curve.Select(e => e.DevAccuracy), Name: "development"),
    Chart.Line<int, double, string>(x: byEpoch, y: baseline.Curve.Select(e => e.TestAccuracy), Name: "test")]), xTitle: "epoch", yTitle: "accuracy (%)");
$"DS-CNN-S, seed 0: test accuracy {baseline.TestAccuracy:0.00}% at epoch {baseline.BestEpoch} (development {baseline.DevAccuracy:0.00}%), {baseline.Seconds:0} s; " +
$"per test speaker: {string.Join(", ", baseline.TestBySpeaker.Select(p => $"{p.Key} {p.Value:0}%"))}"
"""),
md("""
## The ask/tell loop under a device budget
The `kws` evaluator trains each proposal with the same recipe and returns its best development accuracy. The budget
here is at most 20,000 parameters (DS-CNN-S has 23,050) and no slower than DS-CNN-S. The evaluator checks it before
any training (parameters are counted, latency is measured once per architecture), and `WithinBudget` puts that check
between the strategy and the loop: a refused proposal is told to the strategy as a failure at once and it is asked
again, so every query trains a network inside the budget. Regularized evolution proposes:
"""),
code("""
var evaluator = new KeywordSpottingEvaluator<Choices>(space, official, KeywordSpottingRecipe.HelloEdge, seed: 0,
                                                      maxParameters: 20_000, maxLatencyMs: dsCost.LatencyMs);
var rea = new RegularizedEvolution<Choices>(space, Objective.Max(Metrics.ValidAccuracy), seed: 0,
                                            populationSize: Sized(quick: 3, full: 8), sampleSize: Sized(quick: 2, full: 3));
var search = new WithinBudget<Choices>(rea, evaluator);
var trials = new List<(Choices Arch, Evaluation Result)>();
for (int query = 0; query < Sized(quick: 4, full: 24); query++)
{
    var proposal = search.Ask()!;
    var result = evaluator.Evaluate(proposal.Architecture, new Fidelity(Epochs: Sized(quick: 3, full: 10)));
    search.Tell(proposal, result);
    trials.Add((proposal.Architecture, result));
}
var best = trials.MaxBy(t => t.Result[Metrics.ValidAccuracy]);
$"{trials.Count} networks trained, {search.Refused} proposals refused before training; best development accuracy " +
$"{best.Result[Metrics.ValidAccuracy]:0.00}% with {best.Result[Metrics.Parameters] * 1e6:N0} parameters, {best.Result[Metrics.LatencyOn(NasKit.Runtime.TorchRuntime.DefaultDevice.type)]:0.000} ms:\\n{best.Arch}"
"""),
md("""
Accuracy against parameters and against latency: each point a trained network, the line the Pareto front over
all three numbers (higher accuracy, fewer parameters, lower latency), the star DS-CNN-S. The latencies are measured
again here, one network after another in this process, so they share the machine's state:
"""),
code("""
var costed = trials.Select(t => AudioClassifierCosts.Measure(space, t.Arch, t.Result[Metrics.ValidAccuracy], input, SpokenDigits.Classes)).ToList();
var front = AudioClassifierCosts.Front(costed);
foreach (var (title, cost) in new (string, Func<CostedClassifier<Choices>, double>)[] { ("parameters", c => c.Parameters), ("latency (ms, batch 1)", c => c.LatencyMs) })
    Show(Chart.Combine([
        Chart.Point<double, double, string>(x: costed.Select(cost), y: costed.Select(c => c.Accuracy), Name: "trained", MultiText: costed.Select(c => c.Architecture.ToText()).ToArray()),
        Chart.Point<double, double, string>(x: front.Select(cost), y: front.Select(c => c.Accuracy), Name: "Pareto front (all three)"),
        Chart.Point<double, double, string>(x: new[] { cost(dsCost) }, y: new[] { baseline.Curve.Take(Sized(quick: 3, full: 10)).Max(e => e.DevAccuracy) }, Name: "DS-CNN-S (same epochs)")]),
        xTitle: title, yTitle: "development accuracy (%)", height: 360);
ShowFrame(Frame.FromRecords(front.Select(c => new { Architecture = c.Architecture.ToText(), DevAcc = Math.Round(c.Accuracy, 2), c.Parameters, MultAdds = c.MultiplyAccumulates, LatencyMs = Math.Round(c.LatencyMs, 3) })));
"""),
md("""
## A speaker the network never heard
In the official split every test speaker also speaks in the training set. Holding one speaker out of training and
development and testing on the same recordings (that speaker's 0–4) isolates what speaker independence costs:
"""),
code("""
var held = SpokenDigitTasks.Load(SpokenDigitSplit.Parse("speaker:theo"), AudioFeatureSettings.HelloEdge);
KwsResult unseen;
using (var model = space.Build(ds, input, SpokenDigits.Classes, seed: 0))
    unseen = KeywordSpottingTraining.Train(model, held, recipe, seed: 0, device);
$"theo's 50 test recordings: {baseline.TestBySpeaker["theo"]:0.0}% when theo is in the training set, {unseen.TestAccuracy:0.0}% when not " +
$"(gap {baseline.TestBySpeaker["theo"] - unseen.TestAccuracy:0.0} points; {held.TrainCount:N0} training clips instead of {official.TrainCount:N0})"
"""),
md("""
## From a terminal
`naskit kws train --arch ds-cnn-s --split official,speaker:all --seeds 3 --out runs.csv` trains the baseline on the
official split and with each speaker held out in turn (resumable), then prints the gap per speaker;
`naskit search --space kws --evaluator kws:max-params=20000,max-latency=1.1 --epochs 10 --strategy rea,random --out search.csv`
searches with every strategy of the kit, and `naskit kws front --in search.csv` measures the front.
`docs/measurements.md` has what they measured on two cores.
"""),
])
