using System.Diagnostics;
using System.Text.Json;

namespace NasKit.Cli.Commands;

/// <summary>
/// The PyTorch side of the "vs PyTorch" benches: one of the scripts in <c>bench/</c> run with Debian's python3-torch,
/// answering one JSON object per line, either for a list given up front (<see cref="Run"/>) or for one request at a
/// time (<see cref="Serve"/>, so NasKit and PyTorch can take turns). A peer on the reference (netlib) BLAS is
/// refused: Debian's python3-torch gets it when no optimised BLAS is installed, and it is about 3× slower than any
/// PyTorch user's (a Transformer step: 1,316 ms against 409 ms on OpenBLAS), so every ratio against it would
/// flatter NasKit.
/// </summary>
internal sealed class PyTorchPeer : IDisposable
{
    public const string Install = "apt-get install --no-install-recommends python3-torch libopenblas0-pthread (or: bash scripts/setup.sh --bench)";

    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly string _script;
    private readonly List<JsonElement> _rows = new();

    /// <summary>Every answer so far, in order.</summary>
    public IReadOnlyList<JsonElement> Rows => _rows;

    /// <summary>"PyTorch 1.13.0a0 on OpenBLAS 0.3.21 (pthread), 2 threads, oneDNN ISA AVX2" (after the first answer).</summary>
    public string Description { get; private set; } = "PyTorch (no answer yet)";

    private PyTorchPeer(Process process, string script)
    {
        _process = process;
        _script = script;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Runs the script to its end and reads every line it prints.</summary>
    public static PyTorchPeer Run(string python, string script, IEnumerable<string> arguments)
    {
        using var peer = Start(python, script, arguments, redirectInput: false);
        while (peer._process.StandardOutput.ReadLine() is { } line)
            if (!string.IsNullOrWhiteSpace(line)) peer.Accept(line);
        peer._process.WaitForExit();
        if (peer._process.ExitCode != 0) throw peer.Failure();
        if (peer._rows.Count == 0) throw new ArgumentException($"The PyTorch peer ({script}) printed no result.");
        return peer;
    }

    /// <summary>Starts the script with <c>--serve</c>: it answers each line sent by <see cref="Ask"/>.</summary>
    public static PyTorchPeer Serve(string python, string script, IEnumerable<string> arguments) =>
        Start(python, script, [.. arguments, "--serve"], redirectInput: true);

    public JsonElement Ask(string request)
    {
        try
        {
            _process.StandardInput.WriteLine(request);
            _process.StandardInput.Flush();
        }
        catch (IOException) { } // the peer has exited: what it printed, or its exit, says why
        var line = _process.StandardOutput.ReadLine();
        if (line is null)
        {
            _process.WaitForExit();
            throw Failure();
        }
        return Accept(line);
    }

    private static PyTorchPeer Start(string python, string script, IEnumerable<string> arguments, bool redirectInput)
    {
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bench", script));
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        try { return new PyTorchPeer(Process.Start(psi)!, script); }
        catch (System.ComponentModel.Win32Exception) { throw new ArgumentException($"Cannot run '{python}'. Install the PyTorch peer with: {Install}"); }
    }

    private JsonElement Accept(string line)
    {
        var row = JsonDocument.Parse(line).RootElement;
        if (_rows.Count == 0)
        {
            string Get(string key) => row.TryGetProperty(key, out var v) ? v.ToString() : "?";
            if (Get("blas") is var blas && !blas.StartsWith("OpenBLAS", StringComparison.Ordinal) && blas is not ("MKL" or "BLIS"))
                throw new ArgumentException($"The PyTorch peer runs on {blas}, not an optimised BLAS, so its times are not what PyTorch users see. Install OpenBLAS: {Install}");
            Description = $"PyTorch {Get("torch")} on {Get("blas")}, {Get("threads")} threads, oneDNN ISA {Get("dnnl_max_cpu_isa")}";
        }
        _rows.Add(row);
        return row;
    }

    private ArgumentException Failure() => new(
        $"The PyTorch peer ({_script}) failed (exit {_process.ExitCode}): {_stderr.Result.Trim().Split('\n').LastOrDefault()}. Install it with: {Install}");

    public void Dispose()
    {
        if (_process.StartInfo.RedirectStandardInput)
        {
            try { _process.StandardInput.Close(); } catch (IOException) { }
        }
        if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
