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
    /// <summary>
    /// A storage (SQLite file or PostgreSQL) for the runs' studies, for kinds whose runs are searches: a killed run then
    /// resumes trial by trial instead of from its start. Null: in memory.
    /// </summary>
    public string? Storage { get; init; }
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

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when the problem's benchmark cannot host this study (a bad argument, a space
    /// that builds no networks, a predictor that lacks an encoding): checked for every problem before the first runs.
    /// </summary>
    void CheckProblem(ExperimentManifest manifest, ManifestProblem problem);

    /// <summary>The methods the study compares (strategies, proxies, predictors), in the manifest's order.</summary>
    IReadOnlyList<string> Methods(ExperimentManifest manifest);

    /// <summary>Whether the kind's runs are searches that can keep their studies in a storage (<see cref="StudyHooks.Storage"/>).</summary>
    bool UsesStorage => false;

    /// <summary>What each run spends, in words ("100 queries per run", "50 architectures scored per run").</summary>
    string Budget(ExperimentManifest manifest);

    /// <summary>Runs (or resumes) <paramref name="problem"/> into <c>folder/ID.csv</c> and returns what the report needs of it.</summary>
    ProblemRecord Run(ExperimentManifest manifest, ManifestProblem problem, string folder, StudyHooks hooks);

    /// <summary>Runs run <paramref name="run"/> of <paramref name="strategy"/> again from its seed: the rows it writes.</summary>
    IReadOnlyList<TrialRow> Rerun(ExperimentManifest manifest, ManifestProblem problem, string strategy, int run);
}

/// <summary>The manifest fields that belong to one study kind or another: a field the declared kind does not read is refused, not ignored.</summary>
public static class StudyFields
{
    private static IEnumerable<(string Field, bool Present)> KindSpecific(ExperimentManifest m) =>
    [
        ("strategies", m.Strategies.Count > 0), ("predictor", m.Predictor is not null), ("objectives", m.Objectives is not null),
        ("constraint", m.Constraint is not null), ("proxies", m.Proxies is not null), ("predictors", m.Predictors is not null),
        ("train-sizes", m.TrainSizes is not null), ("test-size", m.TestSize is not null), ("data", m.Data is not null),
        ("batch-size", m.BatchSize is not null), ("ablations", m.Ablations is not null),
    ];

    /// <summary>Refuses any kind-specific field outside <paramref name="reads"/>.</summary>
    public static void Check(ExperimentManifest m, string source, string study, params string[] reads)
    {
        foreach (var (field, present) in KindSpecific(m))
            if (present && !reads.Contains(field))
                throw new FormatException($"{source}: a {study} study does not read \"{field}\"; remove it, or set \"study\" to the kind it belongs to (docs/reports.md lists each kind's fields).");
    }

    /// <summary>A non-empty list of distinct names, each known to <paramref name="known"/>.</summary>
    public static void Names(IReadOnlyList<string>? names, string field, string source, Func<string, bool> known, string listing)
    {
        if (names is not { Count: > 0 }) throw new FormatException($"{source}: \"{field}\" is missing or empty; name at least one ({listing}).");
        foreach (var n in names)
            if (!known(n)) throw new FormatException($"{source}: {field} names '{n}', which is unknown; known: {listing}.");
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count) throw new FormatException($"{source}: {field} names a method twice.");
    }
}
