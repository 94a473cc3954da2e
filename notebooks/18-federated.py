# Source of 18-federated.ipynb: `python3 notebooks/18-federated.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 18. Federated architecture search

When the data lives on many devices that may not share it, both training and architecture search must come to the
data: each client computes on its own shard and only model updates travel. Two things make this hard. The shards
are not alike (one phone's photos are mostly cats), and every byte sent costs battery and bandwidth. This chapter
splits a data set across simulated clients with a Dirichlet label skew, runs FedAvg on a fixed cell, then FedNAS
(He et al., 2020): federated DARTS, where the clients also train and send the architecture weights. It counts the
bytes, and shows what DP-FedAvg's clipping and noise cost.
"""),
SETUP,
code("""
using NasKit.Data;
using NasKit.Federated;
using NasKit.Networks;
using NasKit.Estimation;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies.OneShot;
using Plotly.NET.CSharp;
using Deedle;

var (train, test) = DatasetReaders.ByName("cifar10-subset");
train = train.Subset(Enumerable.Range(0, Sized(quick: 1000, full: 4000)).ToArray());
$"{train.Count:N0} training and {test.Count:N0} test images of {train.Classes} classes"
"""),
md("""
## Label-skewed clients
For every class, the share each client gets is drawn from Dirichlet(α, …, α) (Hsu et al. 2019, as FedML and FedNAS
split data): α = 0.1 gives most clients two or three classes, α = 0.5 a visible skew, and an IID split equal
random shards. Each bar below is one client; its colours are its classes.
"""),
code("""
foreach (var alpha in new double?[] { 0.1, 0.5, null })
{
    var counts = ClientShards.LabelCounts(ClientShards.Split(train, 5, alpha, seed: 0));
    var clients = Enumerable.Range(1, 5).Select(k => $"client {k}").ToArray();
    Show(Chart.Combine(Enumerable.Range(0, 10).Select(c => Chart.StackedColumn<int, string, string>(values: counts.Select(k => k[c]), Keys: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(clients, true), Name: $"class {c}"))),
         xTitle: alpha is { } a ? $"Dirichlet α = {a}" : "IID", yTitle: "images", height: 300);
}
"""),
md("""
## The mechanism: one round of FedAvg, by hand
A round is: the server sends the global weights, every client trains on its own shard, the server averages the
clients' weights in proportion to their shard sizes. `FederatedAveraging.Aggregate` is that average (and the DP
step below); `FederatedTraining` runs rounds of it for any buildable architecture. With one shard holding all the
data, the same loop is centralised training with the same number of steps, which is the comparison that matters.
"""),
code("""
var space = new Nb201Space();
var cell = space.Parse("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|"); // NB201's ResNet cell
var hp = new TrainingHyperparameters(BatchSize: 64, LearningRate: 0.05);
int rounds = Sized(quick: 2, full: 12);
var curves = new List<(string Split, int Round, double Accuracy, long Bytes)>();
foreach (var (name, alpha, clients) in new (string, double?, int)[] { ("central", null, 1), ("IID", null, 5), ("α = 0.5", 0.5, 5), ("α = 0.1", 0.1, 5) })
{
    using var fed = new FederatedTraining<Nb201Cell>(space, cell, ClientShards.Split(train, clients, alpha, seed: 0), test, new NetworkShape(8, 1), rounds, localEpochs: 1, seed: 0, hp);
    foreach (var r in fed.Run()) curves.Add((name, r.Round, r.TestAccuracy, r.Round * (r.UploadBytesPerClient + r.DownloadBytesPerClient)));
}
Show(Chart.Combine(curves.GroupBy(c => c.Split).Select(g => Chart.Line<int, double, string>(x: g.Select(c => c.Round), y: g.Select(c => c.Accuracy), Name: g.Key, ShowMarkers: true))),
     xTitle: "round", yTitle: "test accuracy of the global model (%)", height: 350);
Show(Chart.Combine(curves.Where(c => c.Split != "central").GroupBy(c => c.Split).Select(g => Chart.Line<double, double, string>(x: g.Select(c => c.Bytes / 1048576.0), y: g.Select(c => c.Accuracy), Name: g.Key, ShowMarkers: true))),
     xTitle: "MiB sent and received per client", yTitle: "test accuracy (%)", height: 350);
var final = curves.GroupBy(c => c.Split).Select(g => g.Last()).ToArray();
string.Join("; ", final.Select(f => $"{f.Split}: {f.Accuracy:0.0}% after {f.Round} rounds"))
"""),
md("""
## FedNAS: the clients search too
In federated DARTS every client holds the relaxed NB201 supernet and the architecture weights α. Each round a client
runs one local epoch of first-order DARTS on its shard (α on one half, the weights on the other), and the server
averages the weights and α by shard size. The cell derived from the global α is looked up in NAS-Bench-201, so
every run ends with a real 200-epoch CIFAR-10 accuracy. At this CPU size the α learning rate is raised to 3e-3
(DARTS uses 3e-4 over some 20,000 steps; here there are a few hundred).
"""),
code("""
var bench = Nb201Benchmark.Load();
int batch = Sized(quick: 32, full: 64);
var settings = new DartsSettings(BatchSize: batch, ArchLearningRate: 3e-3);
int searchRounds = Sized(quick: 2, full: 12);
var found = new List<(string Split, Nb201Cell Cell, double Nb201, long Bytes)>();
foreach (var (name, alpha, clients) in new (string, double?, int)[] { ("central", null, 1), ("α = 0.5", 0.5, 5) })
{
    using var fednas = new FederatedDarts<Nb201Cell>(space, ClientShards.Split(train, clients, alpha, seed: 0, minSize: 2 * batch), new NetworkShape(8, 1), searchRounds, seed: 0, settings);
    var last = fednas.Run()[^1];
    found.Add((name, last.Derived, bench.TestAccuracy(last.Derived), searchRounds * (last.UploadBytesPerClient + last.DownloadBytesPerClient)));
}
ShowFrame(Frame.FromRecords(found.Select(f => new { Split = f.Split, Cell = f.Cell.ToText(), Nb201TestAccuracy = f.Nb201, MiBPerClient = Math.Round(f.Bytes / 1048576.0, 2) })));
"""),
md("""
The derived cell of the last run, drawn:
"""),
code("""
display(HTML(Nb201CellDiagram.ToSvg(found[^1].Cell)));
"""),
md("""
## Privacy has a price
DP-FedAvg (McMahan et al. 2018) clips every client's update to a norm S and adds Gaussian noise of standard deviation
z·S to the sum before averaging. With five clients the noise is divided among only five updates, so even modest
multipliers swamp the signal; real deployments average over thousands of clients per round.
"""),
code("""
var shards = ClientShards.Split(train, 5, 0.5, seed: 0);
var privacy = new List<(string Setting, double Accuracy)>();
foreach (var (name, p) in new (string, PrivacySettings?)[] { ("no DP", null), ("clip 2", new(2, 0)), ("clip 2, z = 0.01", new(2, 0.01)), ("clip 2, z = 0.1", new(2, 0.1)) })
{
    using var fed = new FederatedTraining<Nb201Cell>(space, cell, shards, test, new NetworkShape(8, 1), rounds, 1, seed: 0, hp, p);
    privacy.Add((name, fed.Run()[^1].TestAccuracy));
}
Show(Chart.Column<double, string, string>(values: privacy.Select(p => p.Accuracy), Keys: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(privacy.Select(p => p.Setting).ToArray(), true)),
     yTitle: "test accuracy after the last round (%)", height: 320);
string.Join("; ", privacy.Select(p => $"{p.Setting}: {p.Accuracy:0.0}%"))
"""),
md("""
## From a terminal
`naskit federated shards --alpha 0.1` prints the per-client class counts, `naskit federated search --method darts
--alpha 0.1 --rounds 12 --arch-lr 0.003` runs FedNAS (`--method gdas` federated GDAS, `--alpha central` the
centralised search with the same steps, `--clip 2 --noise 0.1` DP), and `naskit federated fedavg --arch ...`
trains a fixed cell; each writes its rounds to `--out`. `docs/measurements.md` has what they measured.
"""),
])
