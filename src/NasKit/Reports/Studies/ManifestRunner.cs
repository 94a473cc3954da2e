using System.Diagnostics;
using System.Globalization;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.Experiments;

namespace NasKit.Reports.Studies;

/// <summary>
/// Executes a manifest into a results folder: its verbatim copy, one trials table per problem and <c>run.json</c>
/// (provenance and what each problem measured), written after every problem so a killed run resumes where it stopped.
/// </summary>
public static class ManifestRunner
{
    /// <summary>Reads and checks a manifest, including its study kind's own fields.</summary>
    public static ExperimentManifest Load(string path)
    {
        var m = ExperimentManifest.Load(path);
        Kind(m, path).Validate(m, path);
        return m;
    }

    public static IStudyKind Kind(ExperimentManifest m, string source = "manifest") => Catalog<IStudyKind>.Find(m.Study)
        ?? throw new FormatException($"{source}: study '{m.Study}' is unknown; known: {Catalog<IStudyKind>.Names()}.");

    /// <summary>The benchmark descriptor a problem is evaluated with (its data set or task, and the top rung of multi-fidelity budgets).</summary>
    public static string Descriptor(ManifestProblem p, ExperimentManifest m)
    {
        var args = new Dictionary<string, string>();
        if (p.Dataset is not null) args["dataset"] = p.Dataset;
        if (p.Task is not null) args["task"] = p.Task;
        if (m.Budget.Fidelities is { } f) args["epochs"] = FidelityRungs.Parse(f, m.Budget.Eta).Max.ToString(CultureInfo.InvariantCulture);
        return new EvaluatorDescriptor(p.Benchmark, args).ToString();
    }

    public static RunRecord Run(ExperimentManifest m, string folder, StudyHooks? hooks = null, string source = "manifest")
    {
        hooks ??= new StudyHooks();
        var kind = Kind(m, source);
        kind.Validate(m, source);
        string? location = null;
        if (hooks.Storage is { } storage)
        {
            if (!kind.UsesStorage)
                throw new ArgumentException($"A {kind.Name} study keeps its results in the results folder only; --storage is for search and pareto studies.");
            try { using var queue = TrialQueues.Open(storage); location = queue.Location; }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or System.Data.Common.DbException)
            {
                throw new ArgumentException($"Cannot open the storage '{storage}': {e.Message.Split('\n')[0]}");
            }
        }
        // Every problem's benchmark and arguments are checked before the first runs: a bad task fails now, not an hour in.
        foreach (var p in m.Problems)
        {
            try { kind.CheckProblem(m, p); }
            catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
            {
                throw new ArgumentException($"{source}: problem '{p.Key}': {e.Message}", e);
            }
        }
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the results folder {folder} ({e.Message}); choose one you can write to.");
        }
        // One writer per results folder: a second 'naskit run' into it would interleave two journals.
        using var writerLock = OutputLock.Acquire(folder);
        var copy = Path.Combine(folder, RunRecord.ManifestFileName);
        if (File.Exists(copy) && ExperimentManifest.Load(copy).Sha256 != m.Sha256)
            throw new IOException($"{folder} holds the results of a different manifest (its {RunRecord.ManifestFileName} differs from {source}); " +
                                  "choose another results folder, or delete that one to start over.");
        File.WriteAllText(copy, m.Text);

        var machine = MachineInfo.Current();
        var commit = Provenance.Commit();
        var record = RunRecord.Read(folder) ?? new RunRecord { ManifestSha256 = m.Sha256, Commit = commit, Machine = machine, StartedUtc = DateTime.UtcNow };
        if (location is not null) record = record with { Storage = location };
        if (record.Commit != commit)
            record = record with { EarlierCommits = record.EarlierCommits.Append(record.Commit).Distinct().ToArray(), Commit = commit };
        if (record.Machine.Cpu != machine.Cpu || record.Machine.Host != machine.Host)
            record = record with { EarlierMachines = record.EarlierMachines.Append(record.Machine).ToArray(), Machine = machine };

        foreach (var (problem, index) in m.Problems.Select((p, i) => (p, i)))
        {
            if (record.Problems.Any(p => p.Id == problem.Key) && File.Exists(Path.Combine(folder, problem.Key + ".csv")))
            {
                hooks.Log($"[{index + 1}/{m.Problems.Count}] {problem.Title}: done earlier");
                continue;
            }
            hooks.Log($"[{index + 1}/{m.Problems.Count}] {problem.Title}: {kind.Methods(m).Count} methods × {m.Runs} runs");
            var sw = Stopwatch.StartNew();
            var done = kind.Run(m, problem, folder, hooks) with { WallSeconds = sw.Elapsed.TotalSeconds, FinishedUtc = DateTime.UtcNow };
            record = record with
            {
                Problems = record.Problems.Where(p => p.Id != problem.Key).Append(done).ToArray(),
                DataFiles = record.DataFiles.Concat(Provenance.DataFiles(record.DataFiles.Select(d => d.Path).ToHashSet())).DistinctBy(d => d.Path).OrderBy(d => d.Path, StringComparer.Ordinal).ToArray(),
            };
            record.Write(folder);
        }
        return record;
    }

    /// <summary>
    /// The storage of a problem's run studies, when the hooks name one: study names carry the manifest's name and hash
    /// and the problem, so two manifests (or two problems) never share a study.
    /// </summary>
    public static RunStorage? Storage(ExperimentManifest m, ManifestProblem problem, StudyHooks hooks) =>
        hooks.Storage is { } s ? new RunStorage(s, $"{m.Name}/{m.Sha256[..12]}/{problem.Key}/") : null;

    /// <summary>
    /// Loads the benchmark and builds every strategy given with settings on its space, so settings that conflict
    /// (an REA sample larger than its population) fail before anything runs. Objectives: default the benchmark's signal.
    /// </summary>
    public static void CheckStrategies(ExperimentManifest m, ManifestProblem p, IReadOnlyList<Strategies.IStrategyFactory> configured, IReadOnlyList<Objective>? objectives = null) =>
        BenchmarkCatalog.With(Descriptor(p, m), new Builds(configured, objectives));

    private sealed class Builds(IReadOnlyList<Strategies.IStrategyFactory> factories, IReadOnlyList<Objective>? objectives) : IBenchmarkVisitor<bool>
    {
        public bool Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, Spaces.IArchitecture
        {
            foreach (var f in factories)
            {
                try { (f.Create(b.Space, objectives ?? [b.Signal], 0) as IDisposable)?.Dispose(); }
                catch (ArgumentException e) { throw new ArgumentException($"strategy '{f.Name}': {e.Message}", e); }
            }
            return true;
        }
    }
}
