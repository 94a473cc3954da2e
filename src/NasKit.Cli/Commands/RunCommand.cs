using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NasKit.Experiments;
using NasKit.Reports.Studies;

namespace NasKit.Cli.Commands;

/// <summary>
/// <c>naskit run MANIFEST</c>: executes a manifest's problems into a results folder (<see cref="ManifestRunner"/>); a
/// killed run resumes where it stopped when the same command is given again.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var manifest = new Argument<string>("manifest") { Description = "The experiment manifest (.json); docs/reports.md describes its fields." };
        var output = new Option<string?>("--out") { Description = "Results folder (default: runs/NAME, NAME from the manifest)." };
        var parallel = new Option<int?>("--parallel") { Description = "Runs executed at once (default: the cores). Results do not depend on it." }.AtLeast(1);
        var storage = new Option<string?>("--storage") { Description = "Keep every run's study in this storage (an SQLite file, or PostgreSQL: 'Host=…;Username=…' or postgresql://…), so a killed run resumes trial by trial; search and pareto studies. Default: in memory, resumed run by run." };
        var cmd = new Command("run", "Execute an experiment manifest resumably and record its provenance; then 'naskit report' writes the paper-style report.\n" +
                                     "Example:\n  naskit run manifests/nb201-strategies-ci.json --out runs/nb201-strategies-ci") { manifest, output, parallel, storage };
        cmd.SetAction(r => Cli.Run(() =>
        {
            var path = r.GetValue(manifest)!;
            var m = ManifestRunner.Load(path);
            var folder = r.GetValue(output) ?? DefaultFolder(m);
            var sw = Stopwatch.StartNew();
            var hooks = new StudyHooks { Log = Console.Error.WriteLine, Progress = (label, total, work) => Cli.WithProgress(label, total, work), Parallelism = r.GetValue(parallel), Storage = r.GetValue(storage) };
            var record = ManifestRunner.Run(m, folder, hooks, path);
            foreach (var p in record.Problems) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Id}: {p.Trials} ({p.WallSeconds:0.0} s)"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run complete in {sw.Elapsed.TotalSeconds:0.0} s: {folder}; next: naskit report {folder} --out {Path.Combine(folder, "report.html")}"));
            return 0;
        }));
        return cmd;
    }

    /// <summary>The results folder a manifest runs into when none is given.</summary>
    public static string DefaultFolder(ExperimentManifest m) => Path.Combine("runs", m.Name);
}
