# Source of 10-reports.ipynb: `python3 notebooks/10-reports.py` rewrites the notebook.
from nbgen import md, code, SETUP, write

write(__file__, [
md("""
# 10. From a study to a paper-style report

A comparison of NAS methods convinces a reviewer when it can be repeated and when its claims survive the noise of
random seeds. Lindauer & Hutter (2020) turned this into a checklist: release the code and the seeds, run every method
on the same benchmark with the same protocol, report several runs, compare against random and local search, test for
significance, state the hardware and the wall-clock time.

NasKit makes the study itself an object: a **manifest** says which benchmarks, which strategies, how many seeded runs
under which budget. Running it writes the trials and a record of where every number came from; the **report** is
computed from those files alone. This chapter walks through the pieces in plain C#; the command line does the same
with `naskit run MANIFEST` and `naskit report FOLDER`.
"""),
SETUP,
code("""
using System.IO;
using NasKit.Analysis;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.Reports.Studies;
using Plotly.NET.CSharp;
using Deedle;

var manifest = ExperimentManifest.Parse(\"\"\"
{
  "schema": "naskit-manifest/1",
  "name": "chapter-10",
  "title": "Three strategies on two NAS-Bench-201 data sets",
  "problems": [
    { "id": "c10", "label": "NB201 CIFAR-10", "benchmark": "nb201", "dataset": "cifar10" },
    { "id": "c100", "label": "NB201 CIFAR-100", "benchmark": "nb201", "dataset": "cifar100" }
  ],
  "strategies": ["random", "rea", "local-search"],
  "budget": { "queries": 50 },
  "runs": 10,
  "seed": 0
}
\"\"\", "chapter-10");
$"manifest {manifest.Name}: {manifest.Strategies.Count} strategies × {manifest.Problems.Count} benchmarks × {manifest.Runs} runs; SHA-256 {manifest.Sha256[..12]}…"
"""),
md("""
The manifest is strict: a misspelt field, an unknown strategy or an impossible budget is refused with the field's
path before anything runs.
"""),
code("""
try { ExperimentManifest.Parse(\"\"\"{ "schema": "naskit-manifest/1", "name": "x", "problems": [], "strategies": ["rea"], "budget": { "queries": 5 }, "runs": 3, "seed": 0, "rnus": 4 }\"\"\", "typo.json"); }
catch (FormatException e) { display(e.Message); }
"""),
md("""
## Running it
`ManifestRunner.Run` executes every problem into a results folder: the manifest verbatim, one table of trials per
benchmark, and `run.json` with the commit, the machine, the data files' SHA-256 and each problem's wall time. Run r of
every strategy uses seed 0 + r, so the runs of two strategies are paired. Running it again resumes: finished problems
are skipped.
"""),
code("""
var folder = Path.Combine(Path.GetTempPath(), $"naskit-chapter-10-{Environment.ProcessId}");
var record = ManifestRunner.Run(manifest, folder);
ShowFrame(Frame.FromRecords(record.Problems.Select(p => new { p.Label, p.Space, p.Evaluator, p.Signal, p.Outcome, Optimum = Math.Round(p.Optimum ?? double.NaN, 2), Seconds = Math.Round(p.WallSeconds, 1) })));
"""),
md("""
## The methods table
`SearchStudyReport.Load` reads the folder back and computes, per benchmark, each method's mean ± std, median,
bootstrap 95% interval of the mean and mean regret against the best architecture of the whole space.
"""),
code("""
var report = SearchStudyReport.Load(folder);
var c10 = report.Problems[0];
ShowFrame(Frame.FromRecords(c10.Methods.Select(m => new { m.Strategy, Mean = Math.Round(m.Mean, 2), Std = Math.Round(m.Std, 2), Median = Math.Round(m.Median, 2),
    CiLow = Math.Round(m.CiLow, 2), CiHigh = Math.Round(m.CiHigh, 2), Regret = Math.Round(m.MeanRegret ?? double.NaN, 2) })));
var best = c10.Methods[0];
$"On {c10.Problem.Label} the best mean is {best.Strategy}'s: {best.Mean:0.00} ± {best.Std:0.00} over {best.Runs} runs, {best.MeanRegret:0.00} below the table's best {c10.Problem.Optimum:0.00}."
"""),
md("""
Anytime performance: the median regret of the incumbent after each query, over the runs.
"""),
code("""
Show(Chart.Combine(c10.Anytime.Select(a => Chart.Line<double, double, string>(
        x: a.Budget.Where((_, i) => double.IsFinite(a.Median[i])), y: a.Median.Where(double.IsFinite), Name: a.Strategy))),
     xTitle: "queries", yTitle: "median regret of test_acc");
"""),
md("""
## Is the difference real? Paired tests by hand
Because run r of each strategy used the same seed, the right test is a paired one: Wilcoxon's signed-rank test on
the per-seed differences. With several pairs, Holm's correction controls the chance of any false claim, and
Vargha–Delaney's A12 says how large the effect is (the probability that a run of the first beats the same seed's run
of the second). These functions are pinned against scipy in the test suite.
"""),
code("""
var a = c10.RunOutcomes[best.Strategy];
var b = c10.RunOutcomes["random"];
var w = SignificanceTests.WilcoxonSignedRank(a, b);
var a12 = SignificanceTests.VarghaDelaneyA12(a, b);
display($"{best.Strategy} vs random on {c10.Problem.Label}: T = {w.Statistic}, p = {w.P:0.0000} ({(w.Exact ? "exact" : "normal approximation")}), A12 = {a12:0.00} ({SignificanceTests.EffectSize(a12)})");
ShowFrame(Frame.FromRecords(c10.Tests.Select(t => new { t.A, t.B, P = Math.Round(t.P, 4), PHolm = Math.Round(t.PHolm, 4), A12 = Math.Round(t.A12, 2), t.Effect })));
"""),
md("""
## Across benchmarks: Friedman and the critical-difference diagram
Demšar (2006): rank the methods within each benchmark, test whether the average ranks differ (Friedman), then draw
which methods are closer than the Nemenyi critical difference. Two benchmarks give the test little power; the
reference manifests in `manifests/` use 3 NB201 data sets and LCBench's 34 tasks.
"""),
code("""
var f = report.Friedman!;
display($"Friedman χ² = {f.ChiSquare:0.00}, p = {f.P:0.000}; Nemenyi CD = {report.Cd:0.00} ranks over {f.Blocks} benchmarks");
display(HTML(CriticalDifferenceDiagram.Svg(report.Methods, f.AverageRanks, report.Cd!.Value, "critical-difference diagram")));
"""),
md("""
## The checklist and the verification
The Lindauer & Hutter questions are answered from the manifest and the record; what the run cannot know (ablations,
how hyperparameters were tuned) is marked as such unless the manifest says. Verification re-runs recorded runs from
their seeds and compares every trial bit for bit.
"""),
code("""
ShowFrame(Frame.FromRecords(report.Checklist.Select(c => new { c.Question, Answer = c.Answer.ToString() })), maxRows: 30);
Verification.Verify(folder, report, perProblem: 1).Text
"""),
md("""
## The report file
`HtmlReport.Render` writes all of it (with plots, the diagram, provenance and the formulas) into one self-contained
HTML file; the command line adds a PDF with headless Chromium. The same study from a terminal:

```bash
./naskit run manifests/nb201-strategies-ci.json --out runs/nb201-strategies-ci
./naskit report runs/nb201-strategies-ci --out reports/nb201-strategies-ci.html --pdf reports/nb201-strategies-ci.pdf --verify 2
```
"""),
code("""
var html = Path.Combine(folder, "report.html");
File.WriteAllText(html, HtmlReport.Render(report, PlotlyJs.Source()));
$"{html}: {new FileInfo(html).Length / 1024} KiB, self-contained: {!File.ReadAllText(html).Contains("<script src")}"
"""),
])
