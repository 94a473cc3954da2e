using System.Globalization;
using System.Net;
using System.Text;

namespace NasKit.Reports;

/// <summary>
/// Writes a <see cref="SearchStudyReport"/> as one self-contained HTML file: plotly.js inside it (no network), tables,
/// the critical-difference diagram as SVG, formulas in plain HTML (no math renderer to fetch), print styles for PDF.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="plotlyJs">The plotly.js bundle's source, embedded verbatim.</param>
    /// <param name="verification">The outcome of <c>--verify</c>, shown under provenance when given.</param>
    public static string Render(SearchStudyReport report, string plotlyJs, string? verification = null)
    {
        // Every number in the page is formatted invariantly (a decimal point, whatever the user's locale).
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = Inv;
        try { return RenderInvariant(report, plotlyJs, verification); }
        finally { CultureInfo.CurrentCulture = culture; }
    }

    private static string RenderInvariant(SearchStudyReport report, string plotlyJs, string? verification)
    {
        var m = report.Manifest;
        var r = report.Record;
        var sb = new StringBuilder();
        string title = m.Title ?? m.Name;
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">");
        sb.Append($"<title>{E(title)}</title><style>{Css}</style>");
        sb.Append("<script>").Append(plotlyJs.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)).Append("</script></head><body><main>");
        sb.Append($"<h1>{E(title)}</h1>");
        if (m.Description is { } d) sb.Append($"<p class=\"lede\">{E(d)}</p>");
        sb.Append($"<p class=\"meta\">{report.Methods.Count} methods × {m.Problems.Count} benchmark(s) × {m.Runs} seeded runs, {E(report.Budget)}. " +
                       $"NasKit {E(r.Commit)} · manifest {E(m.Sha256[..12])} · {E(r.Machine.Cpu)}, {r.Machine.LogicalCores} cores · " +
                       $"total wall time {r.Problems.Sum(p => p.WallSeconds):0.0} s.</p>");
        Toc(sb, report);

        if (report.IsEstimation) EstimationSetup(sb, report);
        else SearchSetup(sb, report);

        // The comparison across benchmarks first, as a paper's summary; then each benchmark in detail.
        int section = 2;
        Across(sb, report, section++);
        bool compact = report.Problems.Count > 6; // many benchmarks: no box plot per benchmark, so the PDF stays readable
        foreach (var s in report.Problems) ProblemSection(sb, s, section++, m.Runs, compact);
        ChecklistSection(sb, report, section++);
        ProvenanceSection(sb, report, section++, verification);
        Methods(sb, section, report.IsEstimation);
        sb.Append("</main></body></html>");
        return sb.ToString();
    }

    private static void SearchSetup(StringBuilder sb, SearchStudyReport report)
    {
        var m = report.Manifest;
        sb.Append("<section id=\"setup\"><h2>1. Setup</h2><table><thead><tr><th>Benchmark</th><th>Space</th><th>Evaluator</th><th>Search signal</th><th>Reported outcome</th><th>Space size</th><th>Optimum</th></tr></thead><tbody>");
        // Benchmarks that differ only in their data set or task share one row when there are many of them.
        var groups = report.Problems.Count > 6
            ? report.Problems.GroupBy(s => (s.Problem.Benchmark, s.Problem.Space, s.Problem.Signal, s.Problem.Outcome, s.Problem.SpaceSize, s.Problem.Optimum is null))
                .Select(g => g.Select(s => s.Problem).ToArray()).ToArray()
            : report.Problems.Select(s => new[] { s.Problem }).ToArray();
        foreach (var g in groups)
        {
            var p = g[0];
            string label = g.Length == 1 ? E(p.Label) : $"{g.Length} benchmarks (listed below)";
            string evaluator = g.Length == 1 ? E(p.Evaluator) : E(p.Evaluator) + " …";
            string optimum = g.Length == 1 ? (p.Optimum is { } o ? o.ToString("0.00", Inv) : "unknown") : g.All(x => x.Optimum is null) ? "unknown" : "per benchmark below";
            sb.Append($"<tr><td>{label}</td><td>{E(p.Space)}</td><td><code>{evaluator}</code></td><td>{E(p.Signal)} ({(p.SignalMaximize ? "max" : "min")})</td>" +
                      $"<td>{E(p.Outcome)}</td><td>{SpaceSize(p)}</td><td>{optimum}</td></tr>");
        }
        sb.Append("</tbody></table>");
        foreach (var g in groups.Where(g => g.Length > 1))
            sb.Append($"<p class=\"note\">{g.Length} benchmarks: {E(string.Join(", ", g.Select(x => x.Label)))}.</p>");
        sb.Append($"<p>Methods: {string.Join(", ", report.Methods.Select(s => $"<code>{E(s)}</code>"))}{(m.Predictor is null ? "" : $" (BANANAS's predictor: <code>{E(m.Predictor)}</code>)")}. " +
                       $"Each method's run <i>r</i> uses seed {m.Seed} + <i>r</i> for <i>r</i> = 0…{m.Runs - 1}, so runs are paired across methods. " +
                       "A run searches on the signal and reports the outcome of its incumbent (the best-signal architecture among those at the highest fidelity it queried).</p></section>");
    }

    private static void EstimationSetup(StringBuilder sb, SearchStudyReport report)
    {
        var m = report.Manifest;
        sb.Append("<section id=\"setup\"><h2>1. Setup</h2><table><thead><tr><th>Benchmark</th><th>Space</th><th>Evaluator (truth)</th><th>Score</th><th>Ranked against</th><th>Space size</th><th>Architectures ranked per run</th></tr></thead><tbody>");
        foreach (var p in report.Problems.Select(s => s.Problem))
            sb.Append($"<tr><td>{E(p.Label)}</td><td>{E(p.Space)}</td><td><code>{E(p.Evaluator)}</code></td><td>{E(p.Estimation!.Score)}</td><td>{E(p.Estimation.Truth)}</td>" +
                      $"<td>{SpaceSize(p)}</td><td>{p.Estimation.Architectures:N0}</td></tr>");
        sb.Append("</tbody></table>");
        var e = report.Problems[0].Problem.Estimation!;
        sb.Append($"<p>Methods: {string.Join(", ", report.Methods.Select(s => $"<code>{E(s)}</code>"))}. Run <i>r</i> (seed {m.Seed} + <i>r</i>, <i>r</i> = 0…{m.Runs - 1}) ");
        sb.Append(e.TrainSizes is { } sizes
            ? $"splits the architectures with its seed into {e.Architectures} held out and a training order; every method is fitted on the first <i>n</i> of that order for <i>n</i> = {string.Join(", ", sizes)} and predicts the held-out ones (White et al. 2021). The methods table uses <i>n</i> = {sizes.Max()}. "
            : $"draws {e.Architectures} distinct architectures with its seed, and every method scores the same ones. Input: {E(e.Input ?? "")}. ");
        sb.Append($"Each run's value is Kendall's τ-b between a method's scores and {E(e.Truth)} over those architectures, so runs are paired across methods.</p></section>");
    }

    private static string SpaceSize(ProblemRecord p) => p.SpaceSize is { } n ? n.ToString("N0", Inv) : "not enumerable";

    private static void Toc(StringBuilder sb, SearchStudyReport report)
    {
        sb.Append("<nav><ol><li><a href=\"#setup\">Setup</a></li><li><a href=\"#across\">Across benchmarks</a></li>");
        foreach (var s in report.Problems) sb.Append($"<li><a href=\"#p-{E(s.Problem.Id)}\">{E(s.Problem.Label)}</a></li>");
        sb.Append("<li><a href=\"#checklist\">Checklist</a></li><li><a href=\"#provenance\">Provenance</a></li><li><a href=\"#methods\">Statistical methods</a></li></ol></nav>");
    }

    private static void ProblemSection(StringBuilder sb, ProblemSection s, int number, int runs, bool compact)
    {
        var p = s.Problem;
        if (p.Estimation is not null)
        {
            EstimationProblem(sb, s, number, runs);
            return;
        }
        string better = p.SignalMaximize ? "higher" : "lower";
        sb.Append($"<section id=\"p-{E(p.Id)}\"><h2>{number}. {E(p.Label)}</h2>");
        sb.Append(p.Objectives is { } objs
            ? $"<p>Hypervolume of everything each run queried, over {runs} runs (objectives {E(string.Join(", ", objs))}; higher is better). The 95% interval is a percentile bootstrap of the mean (10,000 resamples)."
            : $"<p>{E(p.Outcome)} of each run's incumbent ({better} is better) over {runs} runs. The 95% interval is a percentile bootstrap of the mean (10,000 resamples).");
        if (p.Optimum is { } opt) sb.Append(p.Objectives is null ? $" Regret is the gap to the best {E(p.Outcome)} in the whole space ({opt:0.00})."
                                                                 : $" Regret is the gap to the hypervolume of the true front of the whole space ({opt:0.00}).");
        sb.Append("</p><table><thead><tr><th>Method</th><th>Mean ± std</th><th>Median</th><th>95% CI of the mean</th>");
        if (s.Regret) sb.Append("<th>Mean regret</th>");
        sb.Append("<th>Benchmark cost per run</th><th>Failed trials</th></tr></thead><tbody>");
        for (int i = 0; i < s.Methods.Count; i++)
        {
            var row = s.Methods[i];
            string cls = i == 0 ? " class=\"best\"" : "";
            sb.Append($"<tr{cls}><td>{E(row.Strategy)}</td><td>{row.Mean:0.00} ± {row.Std:0.00}</td><td>{row.Median:0.00}</td><td>[{row.CiLow:0.00}, {row.CiHigh:0.00}]</td>");
            if (s.Regret) sb.Append($"<td>{row.MeanRegret:0.00}</td>");
            sb.Append($"<td>{Duration(row.MeanCostSeconds)}</td><td>{row.FailedTrials}</td></tr>");
        }
        sb.Append("</tbody></table>");
        sb.Append("<p class=\"note\">Benchmark cost is the training time the benchmark charges for the architectures a run queried (recorded, predicted by a surrogate or modelled, as each benchmark documents): what the search would have cost without the benchmark.</p>");

        string yTitle = s.Regret ? $"regret of {p.Outcome} (median, IQR)" : $"{p.Outcome} of the incumbent (median, IQR)";
        // Regret on a log axis, as NAS papers plot it, unless a band reaches 0 (a run found the optimum): log would drop it.
        bool LogY(IReadOnlyList<AnytimeSeries> series) => s.Regret && series.All(a => a.Lower.Where(double.IsFinite).All(v => v > 0));
        sb.Append("<h3>Anytime performance</h3>");
        sb.Append(Figures.Bands(s.Anytime, s.BudgetAxis, yTitle, logY: LogY(s.Anytime)).ToHtml($"anytime-{p.Id}"));
        if (s.AnytimeByCost is { } byCost)
        {
            sb.Append("<p class=\"note\">Against the training time the benchmark charges for the architectures each run queried (simulated wall-clock, log axis):</p>");
            sb.Append(Figures.Bands(byCost.Select(a => a with { Budget = a.Budget.Select(x => x / 3600).ToArray() }).ToArray(),
                 "simulated training time (hours)", yTitle, logX: true, logY: LogY(byCost)).ToHtml($"anytime-cost-{p.Id}"));
        }

        if (p.TrueFront is { } trueFront && s.MedianFronts is { } fronts && p.Objectives is { Count: 2 } names)
        {
            var series = new List<(string, IReadOnlyList<double[]>)> { ("true front", trueFront) };
            series.AddRange(s.Methods.Select(m => (m.Strategy, fronts[m.Strategy])));
            sb.Append($"<h3>Fronts</h3><p class=\"note\">Each method's front from its run of median hypervolume, against the true front of the whole space. Reference point: " +
                      $"{string.Join(", ", names.Zip(p.ReferencePoint ?? []).Select(x => $"{E(x.First)} {x.Second:0.###}"))}. Constrained strategies use {E(p.Constraint ?? "no constraint")}.</p>");
            sb.Append(Figures.Fronts(series, names[0], names[1], referenceFirst: true).ToHtml($"front-{p.Id}"));
        }
        if (!compact)
        {
            sb.Append("<h3>Outcomes of the runs</h3><p class=\"note\">Each point is one seeded run's final incumbent; boxes show the median and quartiles.</p>");
            sb.Append(Box(s, p.Outcome, 360).ToHtml($"box-{p.Id}"));
        }

        PairwiseTable(sb, s);
        sb.Append("</section>");
    }

    private static void PairwiseTable(StringBuilder sb, ProblemSection s)
    {
        sb.Append("<h3>Pairwise tests</h3><p>Two-sided Wilcoxon signed-rank tests on the runs paired by seed, Holm-corrected over the " +
                  $"{s.Tests.Count} pairs of this benchmark; A12 is the probability that a run of the first method beats the same seed's run of the second (0.5: no effect).</p>");
        sb.Append("<table><thead><tr><th>First</th><th>Second</th><th>Pairs ≠</th><th>p</th><th>p (Holm)</th><th>A12</th><th>Effect</th><th>Verdict at α = 0.05</th></tr></thead><tbody>");
        foreach (var t in s.Tests)
        {
            string verdict = t.PHolm < SearchStudyReport.Alpha ? (t.A12 > 0.5 ? $"{E(t.A)} better" : $"{E(t.B)} better") : "no significant difference";
            sb.Append($"<tr{(t.PHolm < SearchStudyReport.Alpha ? " class=\"sig\"" : "")}><td>{E(t.A)}</td><td>{E(t.B)}</td><td>{t.Pairs}</td><td>{P(t.P)}{(t.Exact ? "" : "<sup>a</sup>")}</td><td>{P(t.PHolm)}</td><td>{t.A12:0.00}</td><td>{t.Effect}</td><td>{verdict}</td></tr>");
        }
        sb.Append("</tbody></table>");
        if (s.Tests.Any(t => !t.Exact)) sb.Append("<p class=\"note\"><sup>a</sup> normal approximation (tied or more than 50 non-zero differences); otherwise exact. Pairs ≠ counts the seeds on which the two methods' outcomes differ.</p>");
    }

    private static Figure Box(ProblemSection s, string yTitle, int height) =>
        Figures.Box(s.Methods.Select(m => (m.Strategy, (IReadOnlyList<double>)s.RunOutcomes[m.Strategy])), yTitle, height);

    private static void EstimationProblem(StringBuilder sb, ProblemSection s, int number, int runs)
    {
        var p = s.Problem;
        var e = p.Estimation!;
        bool predictors = e.TrainSizes is not null;
        sb.Append($"<section id=\"p-{E(p.Id)}\"><h2>{number}. {E(p.Label)}</h2>");
        sb.Append($"<p>Kendall's τ-b between each method's {E(e.Score)} and {E(e.Truth)} over the {e.Architectures} architectures of a run" +
                  (predictors ? $", fitted on {e.TrainSizes!.Max()} training architectures" : "") +
                  $", over {runs} runs (higher is better; 0 is a random ranker). The 95% interval is a percentile bootstrap of the mean (10,000 resamples).</p>");
        sb.Append("<table><thead><tr><th>Method</th><th>Kendall τ, mean ± std</th><th>Median</th><th>95% CI of the mean</th><th>Spearman ρ, mean ± std</th>" +
                  $"<th>{(predictors ? "Fit and predict, per run" : "Seconds per architecture")}</th>{(predictors ? "" : "<th>NaN scores</th>")}</tr></thead><tbody>");
        for (int i = 0; i < s.Methods.Count; i++)
        {
            var row = s.Methods[i];
            var x = s.Estimation!.Single(r => r.Method == row.Strategy);
            string cost = predictors ? $"{row.MeanCostSeconds:0.00} s" : $"{x.SecondsPerArchitecture:0.000} s";
            sb.Append($"<tr{(i == 0 ? " class=\"best\"" : "")}><td>{E(row.Strategy)}</td><td>{row.Mean:0.000} ± {row.Std:0.000}</td><td>{row.Median:0.000}</td>" +
                      $"<td>[{row.CiLow:0.000}, {row.CiHigh:0.000}]</td><td>{x.SpearmanMean:0.000} ± {x.SpearmanStd:0.000}</td><td>{cost}</td>{(predictors ? "" : $"<td>{x.NaNScores}</td>")}</tr>");
        }
        sb.Append("</tbody></table><p class=\"note\">" + (predictors ? "" : "NaN scores (a proxy that could not score a network) rank below every finite score, as in the zero-cost literature. ") +
                  "Seconds are wall-clock on the machine under Provenance, one thread per run.</p>");
        if (s.Anytime.Count > 0)
        {
            sb.Append("<h3>Kendall τ against the training-set size</h3><p class=\"note\">Median and interquartile range over runs (log axis), as White et al. (2021) plot it.</p>");
            sb.Append(Figures.Bands(s.Anytime, "training architectures", "Kendall τ on held-out architectures", logX: true).ToHtml($"curve-{p.Id}"));
        }
        if (s.Scatter is { } scatter)
        {
            sb.Append($"<h3>Rank correlation, run 0</h3><p class=\"note\">Each point is one architecture: its percentile rank under the method (right is ranked higher) against its {E(e.Truth)}. " +
                      "A good ranker's points climb to the right.</p>");
            sb.Append(Figures.ScatterGrid(s.Methods.Select(m => (m.Strategy, scatter[m.Strategy].Rank, scatter[m.Strategy].Truth)).ToArray(), xRange: [0, 100]).ToHtml($"scatter-{p.Id}"));
        }
        sb.Append("<h3>Kendall τ of the runs</h3><p class=\"note\">Each point is one seeded run; boxes show the median and quartiles.</p>");
        sb.Append(Box(s, "Kendall τ", 340).ToHtml($"box-{p.Id}"));
        PairwiseTable(sb, s);
        sb.Append("</section>");
    }

    private static void Across(StringBuilder sb, SearchStudyReport report, int number)
    {
        sb.Append($"<section id=\"across\"><h2>{number}. Across benchmarks</h2>");
        if (report.Friedman is not { } f || report.Cd is not { } cd)
        {
            sb.Append($"<p>{E(report.FriedmanNote ?? "")}</p></section>");
            return;
        }
        sb.Append($"<p>Methods ranked by {(report.IsEstimation ? "mean Kendall τ" : "mean outcome")} within each of the {f.Blocks} benchmarks (1 = best). Friedman's test: χ²<sub>F</sub> = {f.ChiSquare:0.00} " +
                       $"(df {report.Methods.Count - 1}), p = {P(f.P)}; Iman–Davenport F<sub>F</sub> = {(double.IsInfinity(f.ImanDavenportF) ? "∞" : f.ImanDavenportF.ToString("0.00", Inv))}, p = {P(f.FP)}. " +
                       $"Nemenyi's critical difference at α = {SearchStudyReport.Alpha:0.00} is {cd:0.00} ranks: methods joined by a bar do not differ significantly.");
        if (f.Blocks < 5) sb.Append($" With only {f.Blocks} benchmarks the test has little power; Demšar's examples use 10 or more data sets.");
        sb.Append("</p>");
        sb.Append("<div class=\"figure\">").Append(CriticalDifferenceDiagram.Svg(report.Methods, f.AverageRanks, cd, "Critical-difference diagram")).Append("</div>");
        // Benchmarks as rows, methods as columns: it stays readable with 34 benchmarks.
        var byRank = report.Methods.Select((n, i) => (Name: n, Index: i)).OrderBy(x => f.AverageRanks[x.Index]).ToArray();
        sb.Append("<table><thead><tr><th>Benchmark</th>");
        foreach (var x in byRank) sb.Append($"<th>{E(x.Name)}</th>");
        sb.Append("</tr></thead><tbody><tr class=\"group\"><td>Average rank</td>");
        foreach (var x in byRank) sb.Append($"<td>{f.AverageRanks[x.Index]:0.00}</td>");
        sb.Append("</tr>");
        foreach (var s in report.Problems)
        {
            var best = s.Methods[0].Strategy; // sorted best first
            sb.Append($"<tr><td>{E(s.Problem.Label)}</td>");
            foreach (var x in byRank)
            {
                var mean = s.Methods.Single(m => m.Strategy == x.Name).Mean;
                sb.Append(x.Name == best ? $"<td><b>{mean:0.00}</b></td>" : $"<td>{mean:0.00}</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table></section>");
    }

    private static void ChecklistSection(StringBuilder sb, SearchStudyReport report, int number)
    {
        sb.Append($"<section id=\"checklist\"><h2>{number}. Best-practice checklist</h2><p>The questions of Lindauer &amp; Hutter (2020), answered from the manifest and the run record; " +
                       "a question the run cannot answer says so.</p><table><thead><tr><th>Question</th><th>Answer</th><th>From</th></tr></thead><tbody>");
        foreach (var g in report.Checklist.GroupBy(c => c.Group))
        {
            sb.Append($"<tr class=\"group\"><td colspan=\"3\">{E(g.Key)}</td></tr>");
            foreach (var c in g)
            {
                var (cls, text) = c.Answer switch { ChecklistAnswer.Yes => ("yes", "yes"), ChecklistAnswer.No => ("no", "no"), _ => ("na", "not answerable") };
                sb.Append($"<tr><td>{E(c.Question)}</td><td class=\"{cls}\">{text}</td><td>{E(c.Evidence)}</td></tr>");
            }
        }
        sb.Append("</tbody></table></section>");
    }

    private static void ProvenanceSection(StringBuilder sb, SearchStudyReport report, int number, string? verification)
    {
        var r = report.Record;
        var mc = r.Machine;
        sb.Append($"<section id=\"provenance\"><h2>{number}. Provenance</h2><table><tbody>" +
                       $"<tr><th>NasKit commit</th><td><code>{E(r.Commit)}</code></td></tr>" +
                       $"<tr><th>Manifest SHA-256</th><td><code>{E(report.Manifest.Sha256)}</code></td></tr>" +
                       $"<tr><th>Seeds</th><td>{report.Manifest.Seed}…{report.Manifest.Seed + report.Manifest.Runs - 1}</td></tr>" +
                       $"<tr><th>CPU</th><td>{E(mc.Cpu)}, {mc.LogicalCores} logical cores</td></tr><tr><th>GPU</th><td>{E(mc.Gpu)}</td></tr>" +
                       $"<tr><th>OS, runtime</th><td>{E(mc.Os)}; {E(mc.Runtime)}</td></tr><tr><th>TorchSharp (libtorch)</th><td>{E(mc.TorchSharp)}</td></tr>" +
                       $"<tr><th>Started</th><td>{r.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC</td></tr></tbody></table>");
        if (r.EarlierCommits.Count > 0) sb.Append($"<p class=\"warn\">Resumed under other commits: {E(string.Join(", ", r.EarlierCommits))}.</p>");
        sb.Append("<h3>Wall time</h3><table><thead><tr><th>Benchmark</th><th>Wall time</th><th>Finished (UTC)</th><th>Trials file</th></tr></thead><tbody>");
        foreach (var p in r.Problems) sb.Append($"<tr><td>{E(p.Label)}</td><td>{p.WallSeconds:0.0} s</td><td>{p.FinishedUtc:yyyy-MM-dd HH:mm:ss}</td><td><code>{E(p.Trials)}</code></td></tr>");
        sb.Append("</tbody></table><h3>Data files</h3><table><thead><tr><th>File</th><th>Bytes</th><th>SHA-256</th></tr></thead><tbody>");
        foreach (var f in r.DataFiles) sb.Append($"<tr><td><code>{E(f.Path)}</code></td><td>{f.Bytes:N0}</td><td><code class=\"hash\">{E(f.Sha256)}</code></td></tr>");
        sb.Append("</tbody></table>");
        if (verification is not null) sb.Append($"<h3>Verification</h3><p>{E(verification)}</p>");
        sb.Append($"<h3>Manifest</h3><pre>{E(report.Manifest.Text)}</pre></section>");
    }

    private static void Methods(StringBuilder sb, int number, bool estimation)
    {
        sb.Append($"<section id=\"methods\"><h2>{number}. Statistical methods</h2><ul>");
        if (estimation)
            sb.Append("<li><b>Kendall τ-b.</b> (<i>n<sub>c</sub></i> − <i>n<sub>d</sub></i>) / √((<i>n</i><sub>0</sub> − <i>n</i><sub>1</sub>)(<i>n</i><sub>0</sub> − <i>n</i><sub>2</sub>)) over the pairs of a run's architectures, " +
                      "<i>n<sub>c</sub></i> and <i>n<sub>d</sub></i> the concordant and discordant pairs, <i>n</i><sub>1</sub> and <i>n</i><sub>2</sub> the pairs tied in the score and in the truth.</li>" +
                      "<li><b>Spearman ρ.</b> Pearson's correlation of the average ranks (ties share the mean rank).</li>");
        sb.Append(
            "<li><b>Bootstrap interval.</b> 10,000 resamples of the runs with replacement; the 2.5th and 97.5th percentiles of the resampled means.</li>" +
            "<li><b>Wilcoxon signed-rank.</b> On the paired differences <i>d<sub>r</sub></i> = <i>a<sub>r</sub></i> − <i>b<sub>r</sub></i> (zeros dropped), <i>T</i> = min(<i>R</i><sup>+</sup>, <i>R</i><sup>−</sup>) of the ranks of |<i>d<sub>r</sub></i>|; " +
            "exact null distribution for ≤ 50 pairs without ties, else <i>z</i> = (<i>T</i> − <i>n</i>(<i>n</i>+1)/4) / √(<i>n</i>(<i>n</i>+1)(2<i>n</i>+1)/24 − Σ(<i>t</i>³−<i>t</i>)/48).</li>" +
            "<li><b>Holm.</b> The <i>m</i> p-values sorted ascending, the <i>i</i>-th multiplied by <i>m</i> − <i>i</i> + 1, made non-decreasing, capped at 1.</li>" +
            "<li><b>Vargha–Delaney A12.</b> P(<i>a</i> &gt; <i>b</i>) + ½ P(<i>a</i> = <i>b</i>) over all pairs of runs; |A12 − 0.5| below 0.06 negligible, 0.14 small, 0.21 medium, else large.</li>" +
            "<li><b>Friedman.</b> χ²<sub>F</sub> = 12<i>N</i>/(<i>k</i>(<i>k</i>+1)) [Σ<i>R<sub>j</sub></i>² − <i>k</i>(<i>k</i>+1)²/4] over <i>N</i> benchmarks and <i>k</i> methods (tie-corrected), " +
            "and F<sub>F</sub> = (<i>N</i>−1)χ²<sub>F</sub> / (<i>N</i>(<i>k</i>−1) − χ²<sub>F</sub>) with (<i>k</i>−1, (<i>k</i>−1)(<i>N</i>−1)) degrees of freedom (Demšar 2006).</li>" +
            "<li><b>Nemenyi.</b> CD = <i>q</i><sub>α</sub> √(<i>k</i>(<i>k</i>+1)/(6<i>N</i>)), <i>q</i><sub>α</sub> the studentized range quantile of <i>k</i> means over √2.</li>" +
            "</ul><p class=\"note\">Each test and interval is pinned against scipy 1.10 in NasKit's tests; the critical difference against Demšar's worked example.</p></section>");
    }

    private static string P(double p) => p == 0 ? "< 1e-300" : p < 0.001 ? p.ToString("0.0e0", Inv) : p.ToString("0.000", Inv);
    private static string Duration(double seconds) => seconds >= 3600 ? (seconds / 3600).ToString("0.0 h", Inv) : (seconds / 60).ToString("0.0 min", Inv);
    private static string E(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """
        body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1d1d1f;background:#fff;margin:0;line-height:1.45}
        main{max-width:980px;margin:0 auto;padding:24px 32px 64px}
        h1{font-size:28px;margin:8px 0 4px}h2{font-size:21px;border-bottom:2px solid #e5e5e5;padding-bottom:4px;margin-top:36px}h3{font-size:16px;margin:22px 0 6px}
        .lede{font-size:16px;color:#333}.meta{color:#555;font-size:13px}.note{color:#666;font-size:12.5px}.warn{color:#a40000}
        nav ol{columns:3;font-size:14px;background:#f6f8fa;padding:10px 10px 10px 36px;border-radius:6px}
        table{border-collapse:collapse;width:100%;font-size:13.5px;margin:8px 0}
        th,td{border-bottom:1px solid #e5e5e5;padding:5px 8px;text-align:left;vertical-align:top}
        thead th{background:#f6f8fa;border-bottom:2px solid #d0d7de}
        tr.best td{font-weight:600}tr.sig td{background:#fff8e6}tr.group td{background:#f0f3f6;font-weight:600}
        td.yes{color:#1a7f37;font-weight:600}td.no{color:#cf222e;font-weight:600}td.na{color:#8a6d00;font-weight:600}
        code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}code.hash{font-size:10.5px;word-break:break-all}
        pre{background:#f6f8fa;padding:10px;font-size:12px;overflow-x:auto;white-space:pre-wrap}
        .figure{text-align:center;margin:12px 0}.plot{width:100%}
        @media print{main{max-width:none;padding:0 8px}section{break-inside:auto}h2,h3{break-after:avoid}table,.plot,.figure{break-inside:avoid}nav{display:none}}
        """;
}
