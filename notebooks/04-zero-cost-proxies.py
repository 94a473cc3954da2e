# Source of 04-zero-cost-proxies.ipynb: `python3 notebooks/04-zero-cost-proxies.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 4. Zero-cost proxies: ranking networks without training them

Chapter 3 ranked architectures by training them briefly. **Zero-cost proxies** go further: they score a network at
initialisation, from one minibatch or from no data at all, in well under a second. Most come from pruning at
initialisation, where a score per weight says how much the network needs it; summed over the network, the score
becomes a guess of how trainable the whole architecture is (Abdelfattah et al., ICLR 2021). NASWOT (Mellor et al.,
ICML 2021) instead asks how differently the untrained network's ReLUs carve up a batch of images.

Each proxy in NasKit is one class implementing `IZeroCostProxy`; the catalog finds them all. This chapter scores
random NB201 cells with every proxy, plots each against the benchmark's 200-epoch CIFAR-10 test accuracy, sets the
rank correlations next to the published ones, and combines proxies by a vote. It scores 120 cells when the size
setting is quick (CI) and 1,000 when full, with a minibatch of 16; the CLI's protocol (1,000 cells, minibatch 64) is
`naskit zerocost --proxy all --space nb201 --sample 1000 --seed 0`.
"""),
SETUP,
code("""
using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Data;
using NasKit.Estimation.ZeroCost;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.SearchSpaces.Nb201;
using Plotly.NET.CSharp;
using Deedle;

TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
var bench = Nb201Benchmark.Load();
ShowFrame(Frame.FromRecords(Catalog<IZeroCostProxy>.All.Select(p => new { p.Name, UsesData = p.UsesData, Measures = p.Description })));
"""),
md("""
## Scoring cells
`ZeroCostScorer` draws one minibatch from the CIFAR-10 subset with the seed, gives every network the same seeded
initialisation, and scores each architecture inside its own dispose scope (native memory stays flat over thousands
of networks). The networks are the benchmark's own: C=16, N=5. synflow is computed as its reference does: without
batch norm, in float64, with absolute weights and an all-ones input.
"""),
code("""
var cells = ZeroCostStudy.Sample(bench, Sized(quick: 120, full: 1000), seed: 0);
var scorer = new ZeroCostScorer<Nb201Cell>(bench.Space, DatasetReaders.Cifar10SubsetTrain(), Catalog<IZeroCostProxy>.All, seed: 0, batchSize: 16);
var started = DateTime.UtcNow;
var rows = ZeroCostStudy.Score(scorer, bench, cells);
scorer.Dispose(); // releases the minibatch tensors
display($"{rows.Count} cells scored with {Catalog<IZeroCostProxy>.All.Count} proxies in {(DateTime.UtcNow - started).TotalSeconds:0} s on {scorer.Device}");
"""),
md("""
## Each proxy against test accuracy
Spearman's ρ is the correlation of ranks, so each scatter plots the rank of the proxy score (0 = lowest) against
the benchmark accuracy. Cells that a `none` edge disconnects sit at the bottom at 10%: every proxy should put them
low.
"""),
code("""
var truth = rows.Select(r => r.TestAccuracy).ToArray();
foreach (var proxy in Catalog<IZeroCostProxy>.All.Select(p => p.Name))
{
    var ranks = RankCorrelation.Ranks(rows.Select(r => double.IsNaN(r.Scores[proxy]) ? double.NegativeInfinity : r.Scores[proxy]).ToArray());
    var rho = RankCorrelation.Spearman(ranks, truth);
    Show(Chart.Point<double, double, string>(x: ranks.Select(r => r / rows.Count), y: truth, Opacity: 0.5),
         xTitle: $"{proxy}: score rank (fraction)    rho = {rho:0.00}", yTitle: "test accuracy (%)", width: 520, height: 300);
}
"""),
md("""
## Next to the published numbers
Published |ρ| on NB201 CIFAR-10 are from Abdelfattah et al. (all 15,625 cells) and Mellor et al. (NASWOT).
The last columns compare NasKit's scores with NAS-Bench-Suite-Zero's published scores on the cells both have (their
rank agreement, then each one's ρ with test accuracy on those cells):
the proxies depend on the random initialisation and the minibatch, so agreement is expected in rank, not in digits.
synflow ignores the data and barely depends on the initialisation, so it should agree almost perfectly.
"""),
code("""
var suite = PrecomputedZeroCost.LoadSuiteZero(bench);
var correlations = ZeroCostStudy.Correlate(rows, suite);
ShowFrame(Frame.FromRecords(correlations.Select(c => new {
    c.Proxy, Rho = Math.Round(c.Spearman, 3), Tau = Math.Round(c.Kendall, 3),
    PublishedAbsRho = c.PublishedAbsSpearman?.ToString("0.00") ?? "",
    SuiteZeroRho = c.AgreementSpearman is { } a ? Math.Round(a, 3).ToString() : "", SuiteZeroCells = c.AgreementCells,
    OnThoseCellsOurs = c.SpearmanOnCommonCells is { } o ? Math.Round(o.Ours, 3).ToString() : "",
    OnThoseCellsSuiteZero = c.SpearmanOnCommonCells is { } t ? Math.Round(t.Theirs, 3).ToString() : "",
    ArchPerSecond = Math.Round(c.ArchitecturesPerSecond, 1) })));
var published = correlations.Where(c => c.PublishedAbsSpearman is not null).ToArray();
Show(Chart.Combine(new[] {
        Chart.Column<double, string, string>(values: published.Select(c => Math.Abs(c.Spearman)), Keys: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(published.Select(c => c.Proxy).ToArray(), true), Name: "NasKit |rho|"),
        Chart.Column<double, string, string>(values: published.Select(c => c.PublishedAbsSpearman!.Value), Keys: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(published.Select(c => c.Proxy).ToArray(), true), Name: "published |rho|") }),
     yTitle: "|Spearman rho| with test accuracy", height: 380);
"""),
md("""
## The vote
Abdelfattah et al. combine synflow, jacob_cov and snip by majority: architecture a beats b when at least two of the
three proxies say so. Ranked by how many others each cell beats, the vote is usually steadier than any single
proxy.
"""),
code("""
var vote = correlations.First(c => c.Proxy == ZeroCostStudy.Vote);
var voters = correlations.Where(c => ProxyVote.PaperVoters.Contains(c.Proxy)).Select(c => $"{c.Proxy} {c.Spearman:0.000}");
$"vote rho = {vote.Spearman:0.000} (voters: {string.Join(", ", voters)})"
"""),
])
