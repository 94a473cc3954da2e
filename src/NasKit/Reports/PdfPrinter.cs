using System.Diagnostics;

namespace NasKit.Reports;

/// <summary>Prints an HTML report to PDF with headless Chromium (Debian's <c>chromium</c>), after its scripts have drawn the plots.</summary>
public static class PdfPrinter
{
    public const string EnvironmentVariable = "NASKIT_CHROMIUM";

    /// <summary>The Chromium to use: <c>NASKIT_CHROMIUM</c>, else chromium or chromium-browser on the PATH, else null.</summary>
    public static string? FindChromium()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given) return File.Exists(given) ? given : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator).SelectMany(d => new[] { "chromium", "chromium-browser", "google-chrome" }.Select(n => Path.Combine(d, n)))
            .FirstOrDefault(File.Exists);
    }

    public static void Print(string html, string pdf, TimeSpan? timeout = null)
    {
        var chromium = FindChromium() ?? throw new FileNotFoundException(
            $"No Chromium found for the PDF (looked at {EnvironmentVariable} and for chromium on the PATH); install Debian's chromium (scripts/setup.sh --reports does) or leave out --pdf.");
        var profile = Directory.CreateTempSubdirectory("naskit-chromium-");
        var target = Path.GetFullPath(pdf);
        var temp = target + ".partial.pdf";
        try
        {
            // Flags as this machine needs them: no sandbox as root, no background network (the machine is offline), a
            // fresh profile; the virtual time budget lets plotly.js draw before the page is printed.
            var info = new ProcessStartInfo(chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}", "--no-pdf-header-footer",
                "--virtual-time-budget=20000", "--run-all-compositor-stages-before-draw", $"--print-to-pdf={temp}", new Uri(Path.GetFullPath(html)).AbsoluteUri,
            ]) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(info) ?? throw new IOException($"Could not start {chromium}.");
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new IOException($"{chromium} did not finish printing {html} in time.");
            }
            if (!File.Exists(temp) || new FileInfo(temp).Length < 1000 || !File.ReadAllBytes(temp).AsSpan(0, 4).SequenceEqual("%PDF"u8))
                throw new IOException($"{chromium} wrote no PDF for {html} (exit code {process.ExitCode}): {stderr.Result.Split('\n').LastOrDefault(l => l.Length > 0)}");
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { }
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
