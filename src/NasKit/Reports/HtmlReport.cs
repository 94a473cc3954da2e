using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace NasKit.Reports;

/// <summary>
/// Writes a <see cref="SearchStudyReport"/> as one self-contained HTML file: plotly.js inside it (no network), tables,
/// the critical-difference diagram as SVG, formulas in plain HTML (no math renderer to fetch), print styles for PDF.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

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
        sb.Append($"<p class=\"meta\">{m.Strategies.Count} methods × {m.Problems.Count} benchmark(s) × {m.Runs} seeded runs, {E(m.Budget.Text)}. " +
                       $"NasKit {E(r.Commit)} · manifest {E(m.Sha256[..12])} · {E(r.Machine.Cpu)}, {r.Machine.LogicalCores} cores · " +
                       $"total wall time {r.Problems.Sum(p => p.WallSeconds):0.0} s.</p>");
        Toc(sb, report);

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
                      $"<td>{E(p.Outcome)}</td><td>{(p.SpaceSize is { } n ? n.ToString("N0", Inv) : "not enumerable")}</td><td>{optimum}</td></tr>");
        }
        sb.Append("</tbody></table>");
        foreach (var g in groups.Where(g => g.Length > 1))
            sb.Append($"<p class=\"note\">{g.Length} benchmarks: {E(string.Join(", ", g.Select(x => x.Label)))}.</p>");
        sb.Append($"<p>Methods: {string.Join(", ", m.Strategies.Select(s => $"<code>{E(s)}</code>"))}{(m.Predictor is null ? "" : $" (BANANAS's predictor: <code>{E(m.Predictor)}</code>)")}. " +
                       $"Each method's run <i>r</i> uses seed {m.Seed} + <i>r</i> for <i>r</i> = 0…{m.Runs - 1}, so runs are paired across methods. " +
                       "A run searches on the signal and reports the outcome of its incumbent (the best-signal architecture among those at the highest fidelity it queried).</p></section>");

        // The comparison across benchmarks first, as a paper's summary; then each benchmark in detail.
        int section = 2;
        Across(sb, report, section++);
        bool compact = report.Problems.Count > 6; // many benchmarks: no box plot per benchmark, so the PDF stays readable
        foreach (var s in report.Problems) ProblemSection(sb, s, section++, m.Runs, compact);
        ChecklistSection(sb, report, section++);
        ProvenanceSection(sb, report, section++, verification);
        Methods(sb, section);
        sb.Append("</main></body></html>");
        return sb.ToString();
    }

    private static void Toc(StringBuilder sb, SearchStudyReport report)
    {
        sb.Append("<nav><ol><li><a href=\"#setup\">Setup</a></li><li><a href=\"#across\">Across benchmarks</a></li>");
        foreach (var s in report.Problems) sb.Append($"<li><a href=\"#p-{E(s.Problem.Id)}\">{E(s.Problem.Label)}</a></li>");
        sb.Append("<li><a href=\"#checklist\">Checklist</a></li><li><a href=\"#provenance\">Provenance</a></li><li><a href=\"#methods\">Statistical methods</a></li></ol></nav>");
    }

    private static void ProblemSection(StringBuilder sb, ProblemSection s, int number, int runs, bool compact)
    {
        var p = s.Problem;
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
        Plot(sb, $"anytime-{p.Id}", Bands(s.Anytime), s.BudgetAxis, yTitle, LogY(s.Anytime));
        if (s.AnytimeByCost is { } byCost)
        {
            sb.Append("<p class=\"note\">Against the training time the benchmark charges for the architectures each run queried (simulated wall-clock, log axis):</p>");
            Plot(sb, $"anytime-cost-{p.Id}", Bands(byCost.Select(a => a with { Budget = a.Budget.Select(x => x / 3600).ToArray() }).ToArray()),
                 "simulated training time (hours)", yTitle, LogY(byCost), logX: true);
        }

        if (p.TrueFront is { } trueFront && s.MedianFronts is { } fronts && p.Objectives is { Count: 2 } names)
        {
            var frontTraces = new JsonArray
            {
                new JsonObject
                {
                    ["x"] = new JsonArray(trueFront.Select(v => (JsonNode)JsonValue.Create(v[0])).ToArray()),
                    ["y"] = new JsonArray(trueFront.Select(v => (JsonNode)JsonValue.Create(v[1])).ToArray()),
                    ["name"] = "true front", ["mode"] = "lines+markers", ["line"] = new JsonObject { ["color"] = "#444", ["shape"] = "hv", ["dash"] = "dot" },
                    ["marker"] = new JsonObject { ["size"] = 5, ["color"] = "#444" }, ["type"] = "scatter",
                },
            };
            foreach (var (m, i) in s.Methods.Select((m, i) => (m, i)))
            {
                var front = fronts[m.Strategy];
                frontTraces.Add(new JsonObject
                {
                    ["x"] = new JsonArray(front.Select(v => (JsonNode)JsonValue.Create(v[0])).ToArray()),
                    ["y"] = new JsonArray(front.Select(v => (JsonNode)JsonValue.Create(v[1])).ToArray()),
                    ["name"] = m.Strategy, ["mode"] = "lines+markers", ["line"] = new JsonObject { ["color"] = Palette[i % Palette.Length], ["shape"] = "hv" },
                    ["marker"] = new JsonObject { ["size"] = 6 }, ["type"] = "scatter",
                });
            }
            sb.Append($"<h3>Fronts</h3><p class=\"note\">Each method's front from its run of median hypervolume, against the true front of the whole space. Reference point: " +
                      $"{string.Join(", ", names.Zip(p.ReferencePoint ?? []).Select(x => $"{E(x.First)} {x.Second:0.###}"))}. Constrained strategies use {E(p.Constraint ?? "no constraint")}.</p>");
            Plot(sb, $"front-{p.Id}", frontTraces, names[0], names[1], logY: false);
        }
        if (!compact)
        {
            sb.Append("<h3>Outcomes of the runs</h3><p class=\"note\">Each point is one seeded run's final incumbent; boxes show the median and quartiles.</p>");
            Plot(sb, $"box-{p.Id}", BoxTraces(s), "", p.Outcome, logY: false, height: 360);
        }

        // Pairwise tests.
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
        sb.Append("</section>");

        JsonArray BoxTraces(ProblemSection sec)
        {
            var arr = new JsonArray();
            foreach (var (m, i) in sec.Methods.Select((m, i) => (m, i)))
            {
                var values = sec.RunOutcomes[m.Strategy];
                arr.Add(new JsonObject
                {
                    ["type"] = "box", ["name"] = m.Strategy, ["y"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                    ["boxpoints"] = "all", ["jitter"] = 0.45, ["pointpos"] = 0, ["marker"] = new JsonObject { ["size"] = 4, ["color"] = Palette[i % Palette.Length] },
                    ["line"] = new JsonObject { ["color"] = Palette[i % Palette.Length] }, ["showlegend"] = false,
                });
            }
            return arr;
        }
    }

    private static void Across(StringBuilder sb, SearchStudyReport report, int number)
    {
        sb.Append($"<section id=\"across\"><h2>{number}. Across benchmarks</h2>");
        if (report.Friedman is not { } f || report.Cd is not { } cd)
        {
            sb.Append($"<p>{E(report.FriedmanNote ?? "")}</p></section>");
            return;
        }
        sb.Append($"<p>Methods ranked by mean outcome within each of the {f.Blocks} benchmarks (1 = best). Friedman's test: χ²<sub>F</sub> = {f.ChiSquare:0.00} " +
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

    private static void Methods(StringBuilder sb, int number)
    {
        sb.Append($"<section id=\"methods\"><h2>{number}. Statistical methods</h2><ul>" +
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

    /// <summary>One line (the median) and one shaded band (the IQR) per series, in the same colour.</summary>
    private static JsonArray Bands(IReadOnlyList<AnytimeSeries> series)
    {
        var traces = new JsonArray();
        for (int i = 0; i < series.Count; i++)
        {
            var a = series[i];
            string color = Palette[i % Palette.Length];
            var keep = Enumerable.Range(0, a.Budget.Count).Where(j => double.IsFinite(a.Median[j])).ToArray();
            traces.Add(new JsonObject
            {
                ["x"] = new JsonArray(keep.Concat(keep.Reverse()).Select(j => (JsonNode)JsonValue.Create(a.Budget[j])).ToArray()),
                ["y"] = new JsonArray(keep.Select(j => a.Upper[j]).Concat(keep.Reverse().Select(j => a.Lower[j])).Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                ["fill"] = "toself", ["fillcolor"] = Rgba(color, 0.15), ["line"] = new JsonObject { ["width"] = 0 },
                ["hoverinfo"] = "skip", ["showlegend"] = false, ["legendgroup"] = a.Strategy, ["type"] = "scatter",
            });
            traces.Add(new JsonObject
            {
                ["x"] = new JsonArray(keep.Select(j => (JsonNode)JsonValue.Create(a.Budget[j])).ToArray()),
                ["y"] = new JsonArray(keep.Select(j => (JsonNode)JsonValue.Create(a.Median[j])).ToArray()), ["name"] = a.Strategy,
                ["legendgroup"] = a.Strategy, ["mode"] = "lines", ["line"] = new JsonObject { ["color"] = color, ["width"] = 2 }, ["type"] = "scatter",
            });
        }
        return traces;
    }

    private static void Plot(StringBuilder sb, string id, JsonArray traces, string xTitle, string yTitle, bool logY, int height = 420, bool logX = false)
    {
        var layout = new JsonObject
        {
            ["height"] = height, ["margin"] = new JsonObject { ["l"] = 70, ["r"] = 20, ["t"] = 20, ["b"] = 50 },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = xTitle }, ["type"] = logX ? "log" : "linear" },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = yTitle }, ["type"] = logY ? "log" : "linear" },
            ["legend"] = new JsonObject { ["orientation"] = "h", ["y"] = -0.18 }, ["template"] = null,
            ["paper_bgcolor"] = "white", ["plot_bgcolor"] = "#fafafa",
        };
        sb.Append($"<div class=\"plot\" id=\"{E(id)}\" style=\"height:{height}px\"></div><script>Plotly.newPlot('{E(id)}',{traces.ToJsonString()},{layout.ToJsonString()},{{displayModeBar:false,responsive:true}});</script>");
    }

    private static string P(double p) => p == 0 ? "< 1e-300" : p < 0.001 ? p.ToString("0.0e0", Inv) : p.ToString("0.000", Inv);
    private static string Duration(double seconds) => seconds >= 3600 ? (seconds / 3600).ToString("0.0 h", Inv) : (seconds / 60).ToString("0.0 min", Inv);
    private static string E(string s) => WebUtility.HtmlEncode(s);
    private static string Rgba(string hex, double alpha) =>
        $"rgba({Convert.ToInt32(hex[1..3], 16)},{Convert.ToInt32(hex[3..5], 16)},{Convert.ToInt32(hex[5..7], 16)},{alpha.ToString(Inv)})";

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
