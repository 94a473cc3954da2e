using System.Globalization;
using NasKit.Experiments;

namespace NasKit.Reports;

public enum ChecklistAnswer { Yes, No, NotAnswerable }

/// <summary>One question of Lindauer &amp; Hutter's checklist with the answer the run gives and where it comes from.</summary>
public sealed record ChecklistItem(string Group, string Question, ChecklistAnswer Answer, string Evidence);

/// <summary>
/// "Best practices for scientific research on neural architecture search" (Lindauer &amp; Hutter, JMLR 2020), the
/// questions of its checklist answered from the manifest and the run record. A question the run cannot answer is
/// marked so, never guessed.
/// </summary>
public static class Checklist
{
    private const string Code = "Releasing code", Comparing = "Comparing NAS methods", Reporting = "Reporting important details";

    public static IReadOnlyList<ChecklistItem> Answer(ExperimentManifest m, RunRecord r, IReadOnlyList<ProblemSection> sections, IReadOnlyList<string> methods)
    {
        if (sections.Count > 0 && sections[0].Problem.Estimation is { } estimation) return Estimation(m, r, sections, methods, estimation);
        var inv = CultureInfo.InvariantCulture;
        var (dirty, commitEvidence) = CodeEvidence(r);
        var spaces = string.Join(", ", sections.Select(s => s.Problem.Space).Distinct());
        var benchmarks = string.Join(", ", sections.Select(s => s.Problem.Evaluator).Distinct());
        var seeds = $"{m.Runs} runs per method and benchmark, seeds {m.Seed}..{m.Seed + m.Runs - 1} (run r of every method uses seed {m.Seed} + r)";
        bool Has(string s) => methods.Any(x => x.Split(':')[0].Equals(s, StringComparison.OrdinalIgnoreCase)); // with or without settings
        var items = new List<ChecklistItem>
        {
            new(Code, "Did you release code for the training pipeline used to evaluate the final architectures?",
                ChecklistAnswer.Yes, $"Architectures are evaluated by the benchmarks' published tables ({benchmarks}); the data files' SHA-256 are listed under Provenance."),
            new(Code, "Did you release code for the search space?", dirty ? ChecklistAnswer.No : ChecklistAnswer.Yes, $"Spaces {spaces}, in {commitEvidence}."),
            new(Code, "Did you release the hyperparameters used for the final evaluation pipeline, as well as random seeds?",
                ChecklistAnswer.Yes, $"The benchmarks' fixed training protocols (tabular); {seeds}."),
            new(Code, "Did you release code for your NAS method?", dirty ? ChecklistAnswer.No : ChecklistAnswer.Yes,
                $"Strategies {string.Join(", ", methods)}, in {commitEvidence}."),
            new(Code, "Did you release hyperparameters for your NAS method, as well as random seeds?", dirty ? ChecklistAnswer.No : ChecklistAnswer.Yes,
                $"Each strategy's settings are its defaults at that commit{(m.Predictor is null ? "" : $" (BANANAS with predictor {m.Predictor})")}; the manifest (SHA-256 {m.Sha256[..12]}…) and {seeds}."),
            new(Comparing, "Did you use exactly the same NAS benchmark, search space, training code and hyperparameters for all methods?",
                ChecklistAnswer.Yes, $"Per benchmark, every method queried the same evaluator ({benchmarks}) under the same budget ({m.Budget.Text})."),
            ConfoundingFactors(r),
            m.Ablations is { Count: > 0 } ab
                ? new(Comparing, "Did you run ablation studies?", ChecklistAnswer.Yes, string.Join("; ", ab.Select(kv => $"{kv.Key}: {kv.Value}")))
                : new(Comparing, "Did you run ablation studies?", ChecklistAnswer.NotAnswerable, "The manifest declares no ablations (field \"ablations\"); whether any method is an ablation of another is the author's to say."),
            sections.Any(s => s.Problem.Objectives is not null)
            ? new(Comparing, "Did you use the same evaluation protocol for the methods being compared?", ChecklistAnswer.Yes,
                  "Every run is scored by the hypervolume of everything it queried, against one reference point per benchmark (each objective's worst value over the space).")
            : new(Comparing, "Did you use the same evaluation protocol for the methods being compared?", ChecklistAnswer.Yes,
                $"Every run searches on {string.Join(", ", sections.Select(s => s.Problem.Signal).Distinct())} and reports the {string.Join(", ", sections.Select(s => s.Problem.Outcome).Distinct())} of its incumbent (NASLib's protocol)."),
            new(Comparing, "Did you compare performance over time?", ChecklistAnswer.Yes,
                $"Anytime curves against {sections[0].BudgetAxis} for every benchmark (median and interquartile range over runs)."),
            new(Comparing, "Did you compare to random search?", Has("random") ? ChecklistAnswer.Yes : ChecklistAnswer.No,
                Has("random") ? "random is among the methods." : "No random-search baseline in the manifest's strategies."),
            new(Comparing, "Did you compare to local search?", Has("local-search") ? ChecklistAnswer.Yes : ChecklistAnswer.No,
                Has("local-search") ? "local-search is among the methods (White et al. 2020 found it a strong baseline)." : "No local-search baseline in the manifest's strategies."),
            new(Comparing, "Did you perform multiple runs of your experiments and report seeds?", m.Runs >= 2 ? ChecklistAnswer.Yes : ChecklistAnswer.No, seeds + "."),
            new(Comparing, "Did you use tabular or surrogate benchmarks for in-depth evaluations?", ChecklistAnswer.Yes, $"{benchmarks}."),
            m.HyperparameterTuning is { Length: > 0 } tuning
                ? new(Reporting, "Did you report how you tuned hyperparameters, and what time and resources this required?", ChecklistAnswer.Yes, tuning)
                : new(Reporting, "Did you report how you tuned hyperparameters, and what time and resources this required?", ChecklistAnswer.NotAnswerable,
                      "The manifest does not say how the strategies' hyperparameters were chosen (field \"hyperparameter-tuning\")."),
            new(Reporting, "Did you report the time for the entire end-to-end NAS method?", ChecklistAnswer.Yes,
                "Wall time per benchmark: " + string.Join(", ", r.Problems.Select(p => string.Create(inv, $"{p.Id} {p.WallSeconds:0.0} s"))) +
                "; for tabular benchmarks this is search overhead only, and the table's training cost per run is in the methods tables."),
            new(Reporting, "Did you report all the details of your experimental setup?", ChecklistAnswer.Yes,
                "The manifest (verbatim in the appendix), the machine, the libraries and the data files' hashes are under Provenance."),
        };
        return items;
    }

    /// <summary>
    /// The same questions for a study of estimators (zero-cost proxies, predictors): the "NAS method" is the estimator,
    /// and the search baselines' analogue is chance, a ranker whose Kendall τ is 0 in expectation.
    /// </summary>
    private static IReadOnlyList<ChecklistItem> Estimation(ExperimentManifest m, RunRecord r, IReadOnlyList<ProblemSection> sections,
                                                          IReadOnlyList<string> methods, EstimationRecord e)
    {
        var inv = CultureInfo.InvariantCulture;
        var (dirty, commitEvidence) = CodeEvidence(r);
        var benchmarks = string.Join(", ", sections.Select(s => s.Problem.Evaluator).Distinct());
        var seeds = $"{m.Runs} runs per method and benchmark, seeds {m.Seed}..{m.Seed + m.Runs - 1} (run r of every method scores the same architectures, seed {m.Seed} + r)";
        bool aboveChance = sections.All(s => s.Methods.All(x => x.CiLow > 0 || x.CiHigh < 0));
        return
        [
            new(Code, "Did you release code for the training pipeline used to evaluate the final architectures?",
                ChecklistAnswer.Yes, $"The truth ({e.Truth}) comes from the benchmarks' published tables ({benchmarks}); the data files' SHA-256 are listed under Provenance."),
            new(Code, "Did you release code for the search space?", dirty ? ChecklistAnswer.No : ChecklistAnswer.Yes,
                $"Spaces {string.Join(", ", sections.Select(s => s.Problem.Space).Distinct())}, in {commitEvidence}."),
            new(Code, "Did you release the hyperparameters used for the final evaluation pipeline, as well as random seeds?",
                ChecklistAnswer.Yes, $"The benchmarks' fixed training protocols (tabular); {seeds}."),
            new(Code, "Did you release code for your NAS method?", dirty ? ChecklistAnswer.No : ChecklistAnswer.Yes,
                $"The estimators {string.Join(", ", methods)}, in {commitEvidence}."),
            new(Code, "Did you release hyperparameters for your NAS method, as well as random seeds?", dirty ? ChecklistAnswer.No : ChecklistAnswer.Yes,
                $"Each estimator's settings are its defaults at that commit{(e.Input is null ? "" : $"; input: {e.Input}")}; the manifest (SHA-256 {m.Sha256[..12]}…) and {seeds}."),
            new(Comparing, "Did you use exactly the same NAS benchmark, search space, training code and hyperparameters for all methods?",
                ChecklistAnswer.Yes, $"Per benchmark and run, every method scored the same {e.Architectures} architectures{(e.TrainSizes is null ? "" : ", fitted on the same training architectures")}, against the same truth ({benchmarks})."),
            ConfoundingFactors(r),
            new(Comparing, "Did you run ablation studies?", ChecklistAnswer.NotAnswerable, "Whether any estimator is an ablation of another is the author's to say; the manifest does not."),
            new(Comparing, "Did you use the same evaluation protocol for the methods being compared?", ChecklistAnswer.Yes,
                $"Every method's {e.Score} of the same architectures is ranked against {e.Truth} by Kendall τ-b (Spearman ρ beside it)."),
            e.TrainSizes is { Count: > 1 } sizes
                ? new(Comparing, "Did you compare performance over time?", ChecklistAnswer.Yes, $"Kendall τ against the training-set size ({string.Join(", ", sizes)} architectures), median and interquartile range over runs.")
                : new(Comparing, "Did you compare performance over time?", ChecklistAnswer.NotAnswerable, "A zero-cost score is computed once, with no time axis; the seconds each method takes per architecture are in the methods tables."),
            new(Comparing, "Did you compare to random search?", aboveChance ? ChecklistAnswer.Yes : ChecklistAnswer.No,
                "A random ranker's Kendall τ is 0 in expectation: " + (aboveChance ? "every method's 95% interval of τ excludes 0." : "some method's 95% interval of τ includes 0, so it does not beat chance on that benchmark.")),
            new(Comparing, "Did you compare to local search?", ChecklistAnswer.NotAnswerable,
                "Local search is a search baseline; whether the estimators include the simplest ones (parameter count, FLOPs, a linear model) is the author's to say."),
            new(Comparing, "Did you perform multiple runs of your experiments and report seeds?", m.Runs >= 2 ? ChecklistAnswer.Yes : ChecklistAnswer.No, seeds + "."),
            new(Comparing, "Did you use tabular or surrogate benchmarks for in-depth evaluations?", ChecklistAnswer.Yes, $"{benchmarks}."),
            m.HyperparameterTuning is { Length: > 0 } tuning
                ? new(Reporting, "Did you report how you tuned hyperparameters, and what time and resources this required?", ChecklistAnswer.Yes, tuning)
                : new(Reporting, "Did you report how you tuned hyperparameters, and what time and resources this required?", ChecklistAnswer.NotAnswerable,
                      "The manifest does not say how the estimators' hyperparameters were chosen (field \"hyperparameter-tuning\")."),
            new(Reporting, "Did you report the time for the entire end-to-end NAS method?", ChecklistAnswer.Yes,
                "Wall time per benchmark: " + string.Join(", ", r.Problems.Select(p => string.Create(inv, $"{p.Id} {p.WallSeconds:0.0} s"))) +
                "; the seconds per architecture each method took are in the methods tables."),
            new(Reporting, "Did you report all the details of your experimental setup?", ChecklistAnswer.Yes,
                "The manifest (verbatim in the appendix), the machine, the libraries and the data files' hashes are under Provenance."),
        ];
    }

    /// <summary>Whether the code that ran is a commit anyone can check out, and the evidence to cite.</summary>
    private static (bool Dirty, string Evidence) CodeEvidence(RunRecord r)
    {
        bool dirty = r.Commit.EndsWith("+dirty", StringComparison.Ordinal) || r.Commit.StartsWith("unknown", StringComparison.Ordinal);
        return (dirty, dirty ? $"built from {r.Commit}: the code that ran is not a commit anyone can check out" : $"NasKit commit {r.Commit}");
    }

    private static ChecklistItem ConfoundingFactors(RunRecord r)
    {
        const string q = "Did you control for confounding factors (hardware, library versions, runtimes)?";
        if (r.EarlierCommits.Count > 0)
            return new(Comparing, q, ChecklistAnswer.No, $"The run was resumed under other code ({string.Join(", ", r.EarlierCommits)}) than it finished with ({r.Commit}).");
        if (r.EarlierMachines.Count > 0)
            return new(Comparing, q, ChecklistAnswer.No, $"The run was resumed on another machine ({string.Join(", ", r.EarlierMachines.Select(m => m.Cpu))}) than it finished on ({r.Machine.Cpu}).");
        return new(Comparing, q, ChecklistAnswer.Yes,
                   $"All methods ran on one machine ({r.Machine.Cpu}, {r.Machine.LogicalCores} logical cores) with the same code and libraries; budgets count queries or epochs, not seconds, so machine load cannot change a result.");
    }
}
