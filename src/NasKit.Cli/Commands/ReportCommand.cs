using System.CommandLine;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.Reports.Studies;

namespace NasKit.Cli.Commands;

/// <summary>
/// <c>naskit report SOURCE</c>: the paper-style HTML report (and PDF) of a results folder written by 'naskit run', with
/// <c>--verify N</c> re-running N recorded runs per benchmark from their seeds and comparing every trial.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "The results folder of 'naskit run', or the manifest (its default folder runs/NAME is read)." };
        var output = new Option<string?>("--out") { Description = "The HTML file to write (default: SOURCE/report.html)." };
        var pdf = new Option<string?>("--pdf") { Description = "Also print the report to this PDF with headless Chromium." };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the report's short form as Markdown (what docs/results.md is generated from)." };
        var verify = new Option<int>("--verify") { Description = "Re-run this many recorded runs per benchmark from their seeds and check that every trial is identical (0: no check).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var cmd = new Command("report", "Write the paper-style report of an experiment: methods tables, anytime curves, paired tests, critical-difference diagram, " +
                                        "Lindauer & Hutter checklist and provenance, in one self-contained HTML file.\n" +
                                        "Example:\n  naskit report runs/nb201-strategies --out reports/nb201-strategies.html --pdf reports/nb201-strategies.pdf --verify 2")
        { source, output, pdf, markdown, verify };
        cmd.SetAction(r => Cli.Run(() => Run(r.GetValue(source)!, r.GetValue(output), r.GetValue(pdf), r.GetValue(markdown), r.GetValue(verify))));
        return cmd;
    }

    private static int Run(string source, string? output, string? pdf, string? markdown, int verify)
    {
        var folder = File.Exists(source) ? RunCommand.DefaultFolder(ManifestRunner.Load(source)) : source;
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{folder} does not exist; run 'naskit run MANIFEST' first, or give the folder it wrote.");
        var report = SearchStudyReport.Load(folder);
        string? verification = null;
        bool identical = true;
        if (verify > 0)
        {
            var v = Verification.Verify(folder, report, verify, Console.Error.WriteLine);
            (identical, verification) = (v.Identical, v.Text);
        }
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
        if (markdown is not null)
        {
            try { File.WriteAllText(markdown, MarkdownReport.Render(report, verification)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"Cannot write {markdown} ({e.Message}); choose a file you can write with --markdown.");
            }
            Console.WriteLine($"markdown: {markdown}");
        }
        if (pdf is not null)
        {
            PdfPrinter.Print(html, pdf);
            Console.WriteLine($"pdf: {pdf}");
        }
        if (verification is not null) Console.WriteLine($"verify: {verification}");
        return identical ? 0 : 1;
    }
}
