# Source of 14-text-classification.ipynb: `python3 notebooks/14-text-classification.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 14. Searching sentence classifiers

Kim's convolutional network (EMNLP 2014) is the classic baseline of sentence classification: word embeddings,
convolutions over 3, 4 and 5 consecutive words with 100 feature maps each, the maximum of each map over the
sentence, dropout and a linear layer. This chapter turns it into one point of a search space whose layers may also
be wider or narrower convolutions, pooling, self-attention or a recurrent layer, with residual connections, and asks
whether search finds a better classifier at the same number of parameters. The tasks are TREC (six question types)
and SST-2 (binary sentiment), with randomly initialised embeddings: no pre-trained vectors are available offline.
"""),
SETUP,
code("""
using NasKit.Analysis;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Reports;
using NasKit.SearchSpaces.TextClassification;
using NasKit.Spaces;
using NasKit.Strategies;
using Plotly.NET.CSharp;
using Deedle;

var space = new SentenceClassifierSpace();
string.Join("\\n", space.Decisions.Take(7).Select(d => d.ToString())) + $"\\n... and l2..l4 likewise\\n{space.Count:N0} architectures"
"""),
md("""
## The data and Kim's CNN as an architecture
The sentences are read as the harvardnlp reproduction of Kim's paper reads them (its `clean_str`, one vocabulary
over all files, token 0 for padding). TREC has no development set, so each seed holds out a tenth of the training
questions; SST-2 has its own. Kim's CNN is an architecture of the space, and its size is dominated by the
embedding table:
"""),
code("""
var trec = SentenceTask.Trec();
var kim = space.KimCnn;
var kimConfig = space.Configure(kim, trec.VocabularySize, trec.Classes);
$"{kim.ToText()}\\n{kimConfig.TotalParameters:N0} parameters on TREC, {kimConfig.EmbeddingParameters:N0} of them in the embeddings; " +
$"vocabulary {trec.VocabularySize:N0}, longest question {trec.LongestSentence} words, {trec.Train.Count:N0} training and {trec.Test.Count:N0} test questions"
"""),
md("""
A batch is a matrix of token ids: each sentence after 4 padding tokens, the batch padded at the end to its longest
sentence plus 4, so every convolution window of up to 5 words sees each word. Three questions and their ids:
"""),
code("""
var (tokens, labels) = SentenceTask.Batch(trec.Test, new[] { 0, 1, 2 }, padding: 4);
string.Join("\\n", Enumerable.Range(0, 3).Select(i =>
    $"class {labels[i].item<long>()}: {string.Join(' ', tokens[i].data<long>().ToArray().Where(t => t != 0).Select(t => trec.Vocabulary[(int)t]))}\\n   ids {string.Join(' ', tokens[i].data<long>().ToArray())}"))
"""),
md("""
## Training the baseline
`SentenceClassifierTraining` is Kim's recipe: Adadelta (ρ = 0.95), batches of 50, the output layer's rows rescaled
to norm 3 when they grow past it, dropout 0.5. After each epoch it measures development and test accuracy; the
result is the epoch of best development accuracy and its test accuracy. The quick size of this book trains 3
epochs, the full size Kim's 25.
"""),
code("""
int epochs = Sized(quick: 3, full: 25);
var recipe = SentenceClassifierRecipe.Kim with { Epochs = epochs };
var device = NasKit.Runtime.TorchRuntime.DefaultDevice;
SentenceClassifierResult baseline;
using (var model = space.Build(kim, trec.VocabularySize, trec.Classes, seed: 0))
    baseline = SentenceClassifierTraining.Train(model, trec, recipe, seed: 0, device);
var byEpoch = baseline.Curve.Select(e => e.Epoch).ToArray();
Show(Chart.Combine([
    Chart.Line<int, double, string>(x: byEpoch, y: baseline.Curve.Select(e => e.TrainAccuracy), Name: "training"),
    Chart.Line<int, double, string>(x: byEpoch, y: baseline.Curve.Select(e => e.DevAccuracy), Name: "development"),
    Chart.Line<int, double, string>(x: byEpoch, y: baseline.Curve.Select(e => e.TestAccuracy), Name: "test")]), xTitle: "epoch", yTitle: "accuracy (%)");
$"Kim's CNN on TREC, seed 0: test accuracy {baseline.TestAccuracy:0.0}% at epoch {baseline.BestEpoch} (development {baseline.DevAccuracy:0.0}%), {baseline.Seconds:0} s" +
(epochs == 25 ? $"; harvardnlp's reproduction reports 88.2%" : "; NASKIT_SIZE=full trains Kim's 25 epochs")
"""),
md("""
## The ask/tell loop under a parameter budget
The `textcls` evaluator trains a proposal with the same recipe at a budget of epochs the strategy does not see and
returns the best development accuracy as the signal. Given a parameter budget it refuses larger networks without
training them: the strategy sees a failure, which is never the best. Here the budget is Kim's CNN's size, and
regularized evolution proposes:
"""),
code("""
var evaluator = new SentenceClassifierEvaluator<Choices>(space, trec, SentenceClassifierRecipe.Kim, seed: 0, maxParameters: kimConfig.TotalParameters);
var rea = new RegularizedEvolution<Choices>(space, Objective.Max(Metrics.ValidAccuracy), seed: 0,
                                            populationSize: Sized(quick: 3, full: 10), sampleSize: Sized(quick: 2, full: 3));
var trials = new List<(Choices Arch, Evaluation Result)>();
int refused = 0;
for (int query = 0; query < Sized(quick: 6, full: 30); query++)
{
    var proposal = rea.Ask()!;
    var result = evaluator.Evaluate(proposal.Architecture, new Fidelity(Epochs: Sized(quick: 1, full: 4)));
    rea.Tell(proposal, result);
    if (result.Failed) refused++; else trials.Add((proposal.Architecture, result));
}
var best = trials.MaxBy(t => t.Result[Metrics.ValidAccuracy]);
$"{trials.Count} classifiers trained, {refused} refused as over budget; best development accuracy {best.Result[Metrics.ValidAccuracy]:0.0}% " +
$"with {best.Result[Metrics.Parameters]:0.000}M parameters:\\n{best.Arch}"
"""),
md("""
Accuracy against size: each point a trained classifier, the line the Pareto front (fewer parameters and higher
accuracy are both better), the star Kim's CNN at its own size. At a budget of a few epochs, what wins is what learns
fastest; the winner must be retrained at the full budget over several seeds before it is called better
(`naskit textcls train --arch "..." --seeds 3`).
"""),
code("""
var points = trials.Select(t => new[] { t.Result[Metrics.Parameters], -t.Result[Metrics.ValidAccuracy] }).ToArray();
var front = Pareto.Front(points.Select(p => (IReadOnlyList<double>)p).ToArray()).Select(i => trials[i]).OrderBy(t => t.Result[Metrics.Parameters]).ToArray();
Show(Chart.Combine([
    Chart.Point<double, double, string>(x: trials.Select(t => t.Result[Metrics.Parameters]), y: trials.Select(t => t.Result[Metrics.ValidAccuracy]), Name: "trained",
        MultiText: trials.Select(t => t.Arch.ToText()).ToArray()),
    Chart.Line<double, double, string>(x: front.Select(t => t.Result[Metrics.Parameters]), y: front.Select(t => t.Result[Metrics.ValidAccuracy]), Name: "Pareto front"),
    Chart.Point<double, double, string>(x: new[] { kimConfig.TotalParameters / 1e6 }, y: new[] { baseline.Curve.Take(Sized(quick: 1, full: 4)).Max(e => e.DevAccuracy) }, Name: "Kim's CNN (same epochs)")]),
    xTitle: "parameters (M)", yTitle: "development accuracy (%)");
ShowFrame(Frame.FromRecords(trials.OrderByDescending(t => t.Result[Metrics.ValidAccuracy]).Select(t => new
    { Architecture = t.Arch.ToText(), ParamsM = Math.Round(t.Result[Metrics.Parameters], 3), DevAcc = Math.Round(t.Result[Metrics.ValidAccuracy], 2),
      TestAcc = Math.Round(t.Result[Metrics.TestAccuracy], 2), Seconds = Math.Round(t.Result[Metrics.WallSeconds], 1) })));
"""),
md("""
## From a terminal
`naskit textcls train --data trec --arch kim --seeds 3` reproduces the baseline over three seeds (`--data sst2` for
SST-2), and `naskit search --space textcls --evaluator textcls:data=trec,max-params=2991606 --epochs 4 --strategy rea,random`
searches the space under Kim's size with every strategy of the kit; `docs/measurements.md` has what they measured.
"""),
])
