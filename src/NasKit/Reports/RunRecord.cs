using System.Text.Json;
using NasKit.Experiments;

namespace NasKit.Reports;

/// <summary>One problem of a manifest once run: what it measured, where its trials are and how long it took.</summary>
public sealed record ProblemRecord
{
    public required string Id { get; init; }
    public required string Label { get; init; }
    public required string Benchmark { get; init; }
    public required string Space { get; init; }
    /// <summary>The descriptor that rebuilds the evaluator (benchmark and arguments): what --verify re-queries.</summary>
    public required string Evaluator { get; init; }
    public required string Signal { get; init; }
    public required bool SignalMaximize { get; init; }
    public required string Outcome { get; init; }
    /// <summary>The best outcome over the whole space when the space is finite, else null (the report then plots outcomes, not regret).</summary>
    public double? Optimum { get; init; }
    public int? SpaceSize { get; init; }
    public required string Trials { get; init; }
    public required double WallSeconds { get; init; }
    public required DateTime FinishedUtc { get; init; }
    /// <summary>Multi-objective studies: the objectives ("test_acc (max)"), the true front and the reference point in their units, the constraint.</summary>
    public IReadOnlyList<string>? Objectives { get; init; }
    public IReadOnlyList<double[]>? TrueFront { get; init; }
    public double[]? ReferencePoint { get; init; }
    public string? Constraint { get; init; }
    /// <summary>Estimation studies (zero-cost proxies, predictors): what was ranked against what; null for searches.</summary>
    public EstimationRecord? Estimation { get; init; }
}

/// <summary>
/// An estimation study's problem: each method scores the same architectures of a run (signal), and the report ranks
/// those scores against the benchmark's <see cref="Truth"/> (outcome) by Kendall τ and Spearman ρ.
/// </summary>
public sealed record EstimationRecord
{
    /// <summary>What a method's signal is: "zero-cost proxy score", "predicted test_acc".</summary>
    public required string Score { get; init; }
    public required string Truth { get; init; }
    /// <summary>Architectures each run ranks (the sample, or the held-out test set).</summary>
    public required int Architectures { get; init; }
    /// <summary>Predictor studies: the training-set sizes; the methods table uses the largest.</summary>
    public IReadOnlyList<int>? TrainSizes { get; init; }
    /// <summary>Zero-cost studies: the minibatch the proxies see and the network's shape.</summary>
    public string? Input { get; init; }
}

/// <summary>
/// <c>run.json</c> beside a manifest's results: the manifest's hash, the code's commit, the machine, the data files'
/// hashes and each finished problem. Written after every problem, so an interrupted run keeps what it finished.
/// </summary>
public sealed record RunRecord
{
    public const string FileName = "run.json", ManifestFileName = "manifest.json";

    public required string ManifestSha256 { get; init; }
    public required string Commit { get; init; }
    public required MachineInfo Machine { get; init; }
    public required DateTime StartedUtc { get; init; }
    public IReadOnlyList<ProblemRecord> Problems { get; init; } = [];
    public IReadOnlyList<DataFileHash> DataFiles { get; init; } = [];
    /// <summary>Where the runs' studies were kept (<c>naskit run --storage</c>, no password); null: in memory.</summary>
    public string? Storage { get; init; }
    /// <summary>Commits of earlier sessions of a resumed run, when they differ from <see cref="Commit"/>.</summary>
    public IReadOnlyList<string> EarlierCommits { get; init; } = [];
    /// <summary>Machines of earlier sessions of a resumed run, when they differ from <see cref="Machine"/>.</summary>
    public IReadOnlyList<MachineInfo> EarlierMachines { get; init; } = [];

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower };

    public static RunRecord? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Options); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not a run record NasKit wrote ({e.Message.Split('.')[0]}); rerun 'naskit run' into a new folder."); }
    }

    /// <summary>Writes beside and renames, so a kill never leaves half a record.</summary>
    public void Write(string folder)
    {
        var path = Path.Combine(folder, FileName);
        File.WriteAllText(path + ".partial", JsonSerializer.Serialize(this, Options));
        File.Move(path + ".partial", path, overwrite: true);
    }

    /// <summary>The results folder of a manifest's run: its copy of the manifest and its record, checked to belong together.</summary>
    public static (ExperimentManifest Manifest, RunRecord Record) Open(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"{folder} has no {ManifestFileName}: it is not the results folder of 'naskit run'. Give the folder 'naskit run' wrote, or the manifest.");
        var manifest = ExperimentManifest.Load(manifestPath);
        var record = Read(folder) ?? throw new FileNotFoundException($"{folder} has no {FileName}: 'naskit run' has not finished a problem there yet.");
        if (record.ManifestSha256 != manifest.Sha256)
            throw new InvalidDataException($"{folder}: {ManifestFileName} was changed after the run (its hash differs from {FileName}'s); restore it or rerun.");
        return (manifest, record);
    }
}
