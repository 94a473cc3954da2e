using NasKit.Catalogs;
using NasKit.Experiments;

namespace NasKit.Reports.Studies;

/// <summary>Runs work and calls its tick once per finished unit (a run); a progress bar in the CLI, nothing in plain C#.</summary>
public delegate void ProgressScope(string label, int total, Action<Action> work);

/// <summary>How a study reports progress and how parallel it runs; every member is optional.</summary>
public sealed record StudyHooks
{
    public Action<string> Log { get; init; } = _ => { };
    public ProgressScope Progress { get; init; } = (_, _, work) => work(() => { });
    /// <summary>Runs executed at once (default: the cores). Results do not depend on it.</summary>
    public int? Parallelism { get; init; }
}

/// <summary>
/// A kind of study a manifest can declare (its <c>study</c> field): it checks the manifest's kind-specific fields,
/// runs one problem into the results folder resumably, and re-runs one recorded run for <c>--verify</c>. A new kind
/// is one class implementing this.
/// </summary>
[CatalogKind("study")]
public interface IStudyKind : ICatalogEntry
{
    /// <summary>Throws <see cref="FormatException"/> naming the field when the manifest does not fit this kind.</summary>
    void Validate(ExperimentManifest manifest, string source);

    /// <summary>Runs (or resumes) <paramref name="problem"/> into <c>folder/ID.csv</c> and returns what the report needs of it.</summary>
    ProblemRecord Run(ExperimentManifest manifest, ManifestProblem problem, string folder, StudyHooks hooks);

    /// <summary>Runs run <paramref name="run"/> of <paramref name="strategy"/> again from its seed: the rows it writes.</summary>
    IReadOnlyList<TrialRow> Rerun(ExperimentManifest manifest, ManifestProblem problem, string strategy, int run);
}
