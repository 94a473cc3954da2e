using System.CommandLine;
using System.Globalization;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Reports;

namespace NasKit.Cli.Commands;

/// <summary>
/// <c>naskit report SOURCE</c>: the paper-style HTML report (and PDF) of a results folder written by 'naskit run', with
/// <c>--verify N</c> re-running N recorded runs per benchmark from their seeds and comparing every trial.
/// </summary>
internal static class ReportCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "The results folder of 'naskit run', or the manifest (its default folder runs/NAME is read)." };
        var output = new Option<string?>("--out") { Description = "The HTML file to write (default: SOURCE/report.html)." };
        var pdf = new Option<string?>("--pdf") { Description = "Also print the report to this PDF with headless Chromium." };
        var verify = new Option<int>("--verify") { Description = "Re-run this many recorded runs per benchmark from their seeds and check that every trial is identical (0: no check).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var cmd = new Command("report", "Write the paper-style report of an experiment: methods tables, anytime curves, paired tests, critical-difference diagram, " +
                                        "Lindauer & Hutter checklist and provenance, in one self-contained HTML file.\n" +
                                        "Example:\n  naskit report runs/nb201-strategies --out reports/nb201-strategies.html --pdf reports/nb201-strategies.pdf --verify 2")
        { source, output, pdf, verify };
        cmd.SetAction(r => Cli.Run(() => Run(r.GetValue(source)!, r.GetValue(output), r.GetValue(pdf), r.GetValue(verify))));
        return cmd;
    }

    private static int Run(string source, string? output, string? pdf, int verify)
    {
        var folder = File.Exists(source) ? RunCommand.DefaultFolder(ExperimentManifest.Load(source)) : source;
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{folder} does not exist; run 'naskit run MANIFEST' first, or give the folder it wrote.");
        var report = SearchStudyReport.Load(folder);
        string? verification = null;
        bool identical = true;
        if (verify > 0) (identical, verification) = Verify(folder, report, verify);
        var html = output ?? Path.Combine(folder, "report.html");
        var js = PlotlyJs.Source();
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(html)) is { } dir) Directory.CreateDirectory(dir);
            File.WriteAllText(html + ".partial", HtmlReport.Render(report, js, verification));
            File.Move(html + ".partial", html, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write {html} ({e.Message}); choose a file you can write with --out.");
        }
        Console.WriteLine($"report: {html}");
        if (pdf is not null)
        {
            PdfPrinter.Print(html, pdf);
            Console.WriteLine($"pdf: {pdf}");
        }
        if (verification is not null) Console.WriteLine($"verify: {verification}");
        return identical ? 0 : 1;
    }

    /// <summary>
    /// Re-runs a seeded sample of the recorded runs with the code at hand and compares each trial's architecture, signal,
    /// outcome, incumbent and epochs bit for bit.
    /// </summary>
    private static (bool Identical, string Text) Verify(string folder, SearchStudyReport report, int perProblem)
    {
        var m = report.Manifest;
        var rng = new Random(m.Seed);
        var temp = Directory.CreateTempSubdirectory("naskit-verify-");
        int runs = 0, trials = 0;
        var mismatches = new List<string>();
        var (stdout, stderr) = (Console.Out, Console.Error);
        try
        {
            foreach (var section in report.Problems)
            {
                var p = section.Problem;
                var recorded = TrialTable.Read(Path.Combine(folder, p.Trials));
                var candidates = recorded.Select(t => (t.Strategy, t.Run)).Distinct().OrderBy(x => x.Strategy, StringComparer.Ordinal).ThenBy(x => x.Run).ToArray();
                foreach (var (strategy, run) in candidates.OrderBy(_ => rng.Next()).Take(perProblem).ToArray())
                {
                    var problem = m.Problems.Single(x => x.Key == p.Id);
                    var again = Path.Combine(temp.FullName, $"{p.Id}-{strategy}-{run}.csv");
                    var options = new SearchCommand.SearchOptions(Space: null, Benchmark: problem.Benchmark, Evaluator: null, Strategy: strategy,
                        Queries: m.Budget.Queries ?? 1, Runs: 1, Seed: m.Seed + run, Dataset: problem.Dataset, Epochs: null, Data: null, Channels: null, Cells: null,
                        Output: again, Force: true, Parallel: 1, Predictor: m.Predictor,
                        Rungs: m.Budget.Fidelities is { } f ? FidelityRungs.Parse(f, m.Budget.Eta) : null,
                        BudgetEpochs: m.Budget.Epochs, Stopping: null, Eta: m.Budget.Eta, Task: problem.Task);
                    Console.SetOut(TextWriter.Null);
                    Console.SetError(TextWriter.Null);
                    int code;
                    try { code = SearchCommand.Run(options); }
                    finally { Console.SetOut(stdout); Console.SetError(stderr); }
                    if (code != 0) throw new InvalidOperationException($"Re-running {strategy} run {run} on {p.Id} failed (exit code {code}).");
                    var want = recorded.Where(t => t.Strategy == strategy && t.Run == run).OrderBy(t => t.Trial).ToArray();
                    var got = TrialTable.Read(again).OrderBy(t => t.Trial).ToArray();
                    runs++;
                    trials += want.Length;
                    if (want.Length != got.Length) { mismatches.Add($"{p.Id} {strategy} run {run}: {want.Length} trials recorded, {got.Length} now"); continue; }
                    for (int i = 0; i < want.Length; i++)
                    {
                        var (a, b) = (want[i], got[i]);
                        if (a.Architecture != b.Architecture || !Same(a.Signal, b.Signal) || !Same(a.Outcome, b.Outcome) || !Same(a.BestOutcomeSoFar, b.BestOutcomeSoFar)
                            || a.Epochs != b.Epochs || a.Failed != b.Failed)
                        {
                            mismatches.Add(string.Create(Inv, $"{p.Id} {strategy} run {run} trial {a.Trial}: recorded {a.Architecture} {a.Signal}/{a.Outcome}, now {b.Architecture} {b.Signal}/{b.Outcome}"));
                            break;
                        }
                    }
                    Console.Error.WriteLine($"  verify {p.Id} {strategy} run {run}: {(mismatches.Count == 0 ? "identical" : "checked")}");
                }
            }
        }
        finally
        {
            try { temp.Delete(recursive: true); } catch (IOException) { }
        }
        string text = mismatches.Count == 0
            ? $"identical: {runs} recorded runs ({trials} trials) re-run from their seeds with commit {Provenance.Commit()} gave the same architectures and numbers, bit for bit."
            : $"NOT identical: {mismatches.Count} of {runs} re-run runs differ; first: {mismatches[0]}.";
        return (mismatches.Count == 0, text);
    }

    // CSV round-trips doubles exactly (shortest round-trip form); NaN equals NaN here.
    private static bool Same(double a, double b) => a.Equals(b);
}
