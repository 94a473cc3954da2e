using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.Spaces;

namespace NasKit.Cli.Commands;

/// <summary>
/// <c>naskit run MANIFEST</c>: executes a manifest's problems one after another into a results folder (the manifest's
/// copy, <c>run.json</c>, one trials table per problem). Each problem is a 'naskit search' comparison with its journal,
/// so a killed run resumes where it stopped when the same command is given again.
/// </summary>
internal static class RunCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var manifest = new Argument<string>("manifest") { Description = "The experiment manifest (.json); docs/reports.md describes its fields." };
        var output = new Option<string?>("--out") { Description = "Results folder (default: runs/NAME, NAME from the manifest)." };
        var parallel = new Option<int?>("--parallel") { Description = "Runs executed at once (default: the cores). Results do not depend on it." }.AtLeast(1);
        var cmd = new Command("run", "Execute an experiment manifest resumably and record its provenance; then 'naskit report' writes the paper-style report.\n" +
                                     "Example:\n  naskit run manifests/nb201-strategies.json --out runs/nb201-strategies") { manifest, output, parallel };
        cmd.SetAction(r => Cli.Run(() => Run(r.GetValue(manifest)!, r.GetValue(output), r.GetValue(parallel))));
        return cmd;
    }

    /// <summary>The results folder a manifest runs into when none is given.</summary>
    public static string DefaultFolder(ExperimentManifest m) => Path.Combine("runs", m.Name);

    private static int Run(string manifestPath, string? output, int? parallel)
    {
        var m = ExperimentManifest.Load(manifestPath);
        var folder = output ?? DefaultFolder(m);
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the results folder {folder} ({e.Message}); choose one you can write to with --out.");
        }
        // Every problem's benchmark and arguments are checked before the first one runs: a bad task fails now, not an hour in.
        foreach (var p in m.Problems)
        {
            try { Problems.WithBenchmark(Descriptor(p, m), new Facts { Enumerate = false }); }
            catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
            {
                throw new ArgumentException($"{manifestPath}: problem '{p.Key}': {e.Message}", e);
            }
        }
        var copy = Path.Combine(folder, RunRecord.ManifestFileName);
        if (File.Exists(copy) && ExperimentManifest.Load(copy).Sha256 != m.Sha256)
            throw new IOException($"{folder} holds the results of a different manifest (its {RunRecord.ManifestFileName} differs from {manifestPath}); " +
                                  "choose another folder with --out, or delete that one to start over.");
        File.WriteAllText(copy, m.Text);

        var machine = MachineInfo.Current();
        var commit = Provenance.Commit();
        var record = RunRecord.Read(folder) ?? new RunRecord { ManifestSha256 = m.Sha256, Commit = commit, Machine = machine, StartedUtc = DateTime.UtcNow };
        if (record.Commit != commit)
            record = record with { EarlierCommits = record.EarlierCommits.Append(record.Commit).Distinct().ToArray(), Commit = commit };
        if (record.Machine.Cpu != machine.Cpu || record.Machine.Host != machine.Host)
            record = record with { EarlierMachines = record.EarlierMachines.Append(record.Machine).ToArray(), Machine = machine };

        var total = Stopwatch.StartNew();
        foreach (var (problem, index) in m.Problems.Select((p, i) => (p, i)))
        {
            var trials = problem.Key + ".csv";
            if (record.Problems.Any(p => p.Id == problem.Key) && File.Exists(Path.Combine(folder, trials)))
            {
                Console.Error.WriteLine($"[{index + 1}/{m.Problems.Count}] {problem.Title}: done earlier");
                continue;
            }
            Console.Error.WriteLine($"[{index + 1}/{m.Problems.Count}] {problem.Title}: {m.Strategies.Count} strategies × {m.Runs} runs, {m.Budget.Text}");
            var sw = Stopwatch.StartNew();
            var options = new SearchCommand.SearchOptions(Space: null, Benchmark: problem.Benchmark, Evaluator: null, Strategy: string.Join(",", m.Strategies),
                Queries: m.Budget.Queries ?? 1, Runs: m.Runs, Seed: m.Seed, Dataset: problem.Dataset, Epochs: null, Data: null, Channels: null, Cells: null,
                Output: Path.Combine(folder, trials), Force: false, Parallel: parallel, Predictor: m.Predictor,
                Rungs: m.Budget.Fidelities is { } f ? FidelityRungs.Parse(f, m.Budget.Eta) : null,
                BudgetEpochs: m.Budget.Epochs, Stopping: null, Eta: m.Budget.Eta, Task: problem.Task);
            // A finished table without its line in run.json: the kill came between the two, and the table is complete.
            bool finished = File.Exists(options.Output!) && !File.Exists(options.Output + ".partial.json");
            if (!finished && SearchCommand.Run(options) is var code and not 0) return code;
            var facts = Problems.WithBenchmark(Descriptor(problem, m), new Facts());
            record = record with
            {
                Problems = record.Problems.Where(p => p.Id != problem.Key).Append(new ProblemRecord
                {
                    Id = problem.Key, Label = problem.Title, Benchmark = problem.Benchmark, Space = facts.Space, Evaluator = Descriptor(problem, m),
                    Signal = facts.Signal.Metric, SignalMaximize = facts.Signal.Maximize, Outcome = facts.Outcome, Optimum = facts.Optimum, SpaceSize = facts.Size,
                    Trials = trials, WallSeconds = sw.Elapsed.TotalSeconds, FinishedUtc = DateTime.UtcNow,
                }).ToArray(),
                DataFiles = record.DataFiles.Concat(Provenance.DataFiles()).DistinctBy(d => d.Path).OrderBy(d => d.Path, StringComparer.Ordinal).ToArray(),
            };
            record.Write(folder);
        }
        Console.Error.WriteLine(string.Create(Inv, $"run complete in {total.Elapsed.TotalSeconds:0.0} s: {folder}; next: naskit report {folder} --out {Path.Combine(folder, "report.html")}"));
        return 0;
    }

    /// <summary>The benchmark descriptor the problem's trials were evaluated with: what --verify rebuilds.</summary>
    private static string Descriptor(ManifestProblem p, ExperimentManifest m)
    {
        var args = new Dictionary<string, string>();
        if (p.Dataset is not null) args["dataset"] = p.Dataset;
        if (p.Task is not null) args["task"] = p.Task;
        if (m.Budget.Fidelities is { } f) args["epochs"] = FidelityRungs.Parse(f, m.Budget.Eta).Max.ToString(Inv);
        return new EvaluatorDescriptor(p.Benchmark, args).ToString();
    }

    private sealed record ProblemFacts(string Space, Objective Signal, string Outcome, double? Optimum, int? Size);

    /// <summary>What the report needs to know of a benchmark: its metrics, and the best outcome when the space can be listed.</summary>
    private sealed class Facts : IBenchmarkVisitor<ProblemFacts>
    {
        /// <summary>Look every architecture up for the optimum (false: only check that the benchmark loads).</summary>
        public bool Enumerate { get; init; } = true;

        public ProblemFacts Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            double? optimum = null;
            int? size = null;
            if (Enumerate && b.Space is IEnumerableSpace<TArch> all && all.Count <= 1_000_000)
            {
                var outcomes = all.All().Select(a => b.Evaluator.Evaluate(a, b.Fidelity)).Where(e => !e.Failed)
                    .Select(e => e.Metrics.GetValueOrDefault(b.Outcome, double.NaN)).Where(double.IsFinite).ToArray();
                if (outcomes.Length > 0) optimum = b.Signal.Maximize ? outcomes.Max() : outcomes.Min();
                size = (int)all.Count;
            }
            return new ProblemFacts(b.Space.Name, b.Signal, b.Outcome, optimum, size);
        }
    }
}
