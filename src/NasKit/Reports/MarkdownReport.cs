using System.Globalization;
using System.Text;

namespace NasKit.Reports;

/// <summary>
/// The short form of a <see cref="SearchStudyReport"/> as Markdown: what <c>docs/results.md</c> is generated from.
/// Every number in it is computed from the results folder, as in the HTML report.
/// </summary>
public static class MarkdownReport
{
    public static string Render(SearchStudyReport report, string? verification = null)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try { return RenderInvariant(report, verification); }
        finally { CultureInfo.CurrentCulture = culture; }
    }

    private static string RenderInvariant(SearchStudyReport report, string? verification)
    {
        var m = report.Manifest;
        var r = report.Record;
        var sb = new StringBuilder();
        sb.AppendLine($"## {m.Title ?? m.Name}").AppendLine();
        if (m.Description is { } d) sb.AppendLine(d).AppendLine();
        sb.AppendLine($"{report.Methods.Count} methods × {m.Problems.Count} benchmark(s) × {m.Runs} seeded runs (seeds {m.Seed}..{m.Seed + m.Runs - 1}), {report.Budget}. " +
                      $"Manifest `{m.Name}` (SHA-256 `{m.Sha256[..12]}`), NasKit `{r.Commit}`, {r.Machine.Cpu} ({r.Machine.LogicalCores} cores), " +
                      $"wall time {r.Problems.Sum(p => p.WallSeconds):0} s.{(verification is null ? "" : $" Verification: {verification}")}").AppendLine();

        if (report.Friedman is { } f && report.Cd is { } cd)
        {
            var order = report.Methods.Select((n, i) => (Name: n, Rank: f.AverageRanks[i])).OrderBy(x => x.Rank).ToArray();
            sb.AppendLine($"Across the {f.Blocks} benchmarks: Friedman χ² = {f.ChiSquare:0.00}, p = {P(f.P)}; Iman–Davenport F = {(double.IsInfinity(f.ImanDavenportF) ? "∞" : f.ImanDavenportF.ToString("0.00"))}, p = {P(f.FP)}; " +
                          $"Nemenyi CD (α = {SearchStudyReport.Alpha:0.00}) = {cd:0.00} ranks. Average ranks: " +
                          string.Join(", ", order.Select(x => $"{x.Name} {x.Rank:0.00}")) + ".").AppendLine();
        }
        else if (report.FriedmanNote is { } note) sb.AppendLine(note).AppendLine();

        if (report.IsEstimation)
            foreach (var s in report.Problems) Estimation(sb, s);
        else if (report.Problems.Count <= 6)
            foreach (var s in report.Problems)
            {
                var p = s.Problem;
                sb.AppendLine($"**{p.Label}** ({(p.Objectives is { } o ? $"hypervolume of {string.Join(" vs ", o)}" : p.Outcome)}, {(p.SignalMaximize ? "higher" : "lower")} is better" +
                              $"{(p.Optimum is { } opt ? $"; optimum {opt:0.00}" : "")}):").AppendLine();
                sb.AppendLine(s.Regret ? "| Method | Mean ± std | Median | 95% CI | Mean regret |" : "| Method | Mean ± std | Median | 95% CI |");
                sb.AppendLine(s.Regret ? "|---|---|---|---|---|" : "|---|---|---|---|");
                foreach (var row in s.Methods)
                    sb.AppendLine($"| {row.Strategy} | {row.Mean:0.00} ± {row.Std:0.00} | {row.Median:0.00} | [{row.CiLow:0.00}, {row.CiHigh:0.00}] |" +
                                  (s.Regret ? $" {row.MeanRegret:0.00} |" : ""));
                var significant = s.Tests.Where(t => t.PHolm < SearchStudyReport.Alpha).ToArray();
                sb.AppendLine().AppendLine(significant.Length == 0
                    ? $"No pair differs significantly (Wilcoxon signed-rank on seed-paired runs, Holm over {s.Tests.Count} pairs, α = {SearchStudyReport.Alpha:0.00})."
                    : "Significant after Holm (Wilcoxon signed-rank on seed-paired runs): " + string.Join("; ", significant.Select(t =>
                        $"{(t.A12 > 0.5 ? t.A : t.B)} over {(t.A12 > 0.5 ? t.B : t.A)} (p_Holm = {P(t.PHolm)}, A12 = {Math.Max(t.A12, 1 - t.A12):0.00})")) + ".");
                sb.AppendLine();
            }
        else
        {
            // Many benchmarks: one row each, the methods' means, best in bold.
            var names = report.Methods;
            sb.AppendLine("| Benchmark | " + string.Join(" | ", names) + " |");
            sb.AppendLine("|---|" + string.Concat(names.Select(_ => "---|")));
            foreach (var s in report.Problems)
            {
                var best = s.Methods[0].Strategy;
                sb.AppendLine($"| {s.Problem.Label} | " + string.Join(" | ", names.Select(n =>
                {
                    var mean = s.Methods.Single(x => x.Strategy == n).Mean;
                    return n == best ? $"**{mean:0.00}**" : $"{mean:0.00}";
                })) + " |");
            }
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static void Estimation(StringBuilder sb, ProblemSection s)
    {
        var p = s.Problem;
        var e = p.Estimation!;
        bool predictors = e.TrainSizes is not null;
        sb.AppendLine($"**{p.Label}** (Kendall τ-b of each method's {e.Score} against {e.Truth} over {e.Architectures} architectures per run" +
                      $"{(predictors ? $", fitted on {e.TrainSizes!.Max()}" : "")}; higher is better, 0 is chance):").AppendLine();
        sb.AppendLine($"| Method | Kendall τ, mean ± std | 95% CI | Spearman ρ | {(predictors ? "Fit and predict per run" : "Seconds per architecture")} |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var row in s.Methods)
        {
            var x = s.Estimation!.Single(r => r.Method == row.Strategy);
            sb.AppendLine($"| {row.Strategy} | {row.Mean:0.000} ± {row.Std:0.000} | [{row.CiLow:0.000}, {row.CiHigh:0.000}] | {x.SpearmanMean:0.000} ± {x.SpearmanStd:0.000} | " +
                          $"{(predictors ? $"{row.MeanCostSeconds:0.00} s" : $"{x.SecondsPerArchitecture:0.000} s")} |");
        }
        if (predictors && s.Anytime.Count > 0)
        {
            var sizes = s.Anytime[0].Budget;
            sb.AppendLine().AppendLine("Median Kendall τ over runs against the training-set size:").AppendLine();
            sb.AppendLine("| Method | " + string.Join(" | ", sizes.Select(n => $"n = {n:0}")) + " |");
            sb.AppendLine("|---|" + string.Concat(sizes.Select(_ => "---|")));
            foreach (var a in s.Anytime) sb.AppendLine($"| {a.Strategy} | " + string.Join(" | ", a.Median.Select(v => v.ToString("0.000"))) + " |");
        }
        var significant = s.Tests.Where(t => t.PHolm < SearchStudyReport.Alpha).ToArray();
        sb.AppendLine().AppendLine(significant.Length == 0
            ? $"No pair differs significantly (Wilcoxon signed-rank on seed-paired runs, Holm over {s.Tests.Count} pairs, α = {SearchStudyReport.Alpha:0.00})."
            : $"{significant.Length} of {s.Tests.Count} pairs differ significantly after Holm (Wilcoxon signed-rank on seed-paired runs, α = {SearchStudyReport.Alpha:0.00}); " +
              $"the best, {s.Methods[0].Strategy}, beats " + (significant.Where(t => (t.A12 > 0.5 ? t.A : t.B) == s.Methods[0].Strategy).Select(t => t.A12 > 0.5 ? t.B : t.A).ToArray() is { Length: > 0 } beaten
                ? string.Join(", ", beaten) : "none of the others") + ".");
        sb.AppendLine();
    }

    private static string P(double p) => p == 0 ? "< 1e-300" : p < 0.001 ? p.ToString("0.0e0", CultureInfo.InvariantCulture) : p.ToString("0.000", CultureInfo.InvariantCulture);
}
