using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NasKit.Benchmarks;

namespace NasKit.Reports;

/// <summary>A data file a run read, with its SHA-256: the report names exactly which tables produced its numbers.</summary>
public sealed record DataFileHash(string Path, long Bytes, string Sha256);

/// <summary>The machine a run executed on, as a paper's hardware paragraph states it.</summary>
public sealed record MachineInfo(string Cpu, int LogicalCores, string Gpu, string Os, string Runtime, string TorchSharp, string Host)
{
    public static MachineInfo Current()
    {
        string cpu = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        string gpu;
        try
        {
            int devices = global::TorchSharp.torch.cuda.is_available() ? global::TorchSharp.torch.cuda.device_count() : 0;
            gpu = devices > 0 ? $"CUDA, {devices} device(s)" : "none (CPU only)";
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or InvalidOperationException) { gpu = "unknown (libtorch not loaded)"; }
        return new MachineInfo(cpu, Environment.ProcessorCount, gpu, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
                               $"{Version(typeof(global::TorchSharp.torch).Assembly)} (libtorch {LibTorch()})", Environment.MachineName);
    }

    // The libtorch package the build pinned (Directory.Packages.props), stamped into the library.
    private static string LibTorch() => typeof(MachineInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "LibTorchVersion")?.Value ?? "unknown";

    private static string Version(Assembly a) => a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? a.GetName().Version?.ToString() ?? "unknown";
}

/// <summary>Where a run's code and data came from.</summary>
public static class Provenance
{
    /// <summary>
    /// The NasKit commit the running library was built from (the SDK stamps it into the informational version), with
    /// "+dirty" when the checkout it was built in has uncommitted changes.
    /// </summary>
    public static string Commit()
    {
        var version = typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var commit = version.Contains('+') ? version[(version.IndexOf('+') + 1)..] : "unknown (built outside a git checkout)";
        return commit + (WorkingTreeDirty() ? "+dirty" : "");
    }

    private static bool WorkingTreeDirty()
    {
        // The repository the assembly was built in: the nearest parent folder with a .git.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, ".git")) && !File.Exists(Path.Combine(dir.FullName, ".git"))) dir = dir.Parent;
        if (dir is null) return false;
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", dir.FullName, "status", "--porcelain", "--untracked-files=no"])
            { RedirectStandardOutput = true, RedirectStandardError = true });
            if (git is null) return false;
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 && output.Trim().Length > 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; } // no git on this machine
    }

    /// <summary>
    /// SHA-256 of every data file this process found under the default <see cref="DataLocator"/>'s roots, where the
    /// benchmarks load from (folders: each file in them). Files found through another locator (a test's copy of a
    /// table) are not this run's data.
    /// </summary>
    /// <param name="known">Files already hashed (a resumed or multi-problem run): not read again.</param>
    public static IReadOnlyList<DataFileHash> DataFiles(IReadOnlySet<string>? known = null)
    {
        var roots = DataLocator.Default.Roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)) + Path.DirectorySeparatorChar).ToArray();
        var files = DataLocator.FoundPaths.Where(p => roots.Any(r => p.StartsWith(r, StringComparison.Ordinal))).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p])
            .Distinct().Where(f => known is null || !known.Contains(f)).Order(StringComparer.Ordinal);
        return files.Select(f =>
        {
            using var stream = File.OpenRead(f);
            return new DataFileHash(f, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
        }).ToArray();
    }
}
