using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Runtime;

/// <summary>
/// Makes TorchSharp load on this machine before the first torch call, and picks the device.
/// <para>
/// Two things go wrong on Debian 12 (see environment.md). TorchSharp's <c>libLibTorchSharp.so</c> carries a
/// version need on <c>GLIBCXX_3.4.32</c>, which Debian's libstdc++ lacks although the only symbol behind it
/// is never called: we mark such needs weak in the copy that will be loaded, and only where the running
/// libstdc++ lacks them. And a system libtorch (Debian's libtorch-dev) could be picked up by soname: we
/// preload the packaged libtorch by full path, so every later soname lookup finds the right one.
/// </para>
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _prepared;
    private static Device? _device;

    /// <summary>Where NasKit reports what it did to the native libraries. Defaults to standard error.</summary>
    public static Action<string> Log { get; set; } = message => Console.Error.WriteLine($"naskit: {message}");

    /// <summary>Actions taken by <see cref="EnsureLoaded"/> in this process, for display and tests.</summary>
    public static IReadOnlyList<string> Actions => _actions;
    private static readonly List<string> _actions = new();

#pragma warning disable CA2255 // a library initialiser is the point: it must run before any torch call
    [ModuleInitializer]
    internal static void OnNasKitLoaded()
    {
        // Runs when NasKit is first touched, which in the CLI, tests and notebooks is before any torch call.
        try { Prepare(); }
        catch (Exception e) { Log($"could not prepare TorchSharp's native libraries: {e.Message}"); }
    }

#pragma warning restore CA2255

    /// <summary>
    /// Sets libtorch's intra-op threads for work started on the calling thread. The setting is per thread (libtorch
    /// passes it to OpenMP, whose thread count is a per-thread variable): a .NET worker thread that never set it uses
    /// the default (all cores), so code that runs on pool threads sets it there, at the start of each unit of work.
    /// The same count on every thread also keeps float reductions, and so results, bit-identical between a run and its re-run.
    /// </summary>
    public static void SetIntraOpThreads(int threads)
    {
        if (threads < 1) throw new ArgumentException($"Intra-op threads must be at least 1, got {threads}.");
        EnsureLoaded();
        TorchSharp.torch.set_num_threads(threads);
    }

    /// <summary>Prepares the native libraries (idempotent) and initialises TorchSharp.</summary>
    public static void EnsureLoaded()
    {
        Prepare();
        torch.InitializeDeviceType(DeviceType.CPU);
        // What Prepare did is said when torch is first used, not whenever NasKit loads: a mistyped command stays one line.
        lock (Gate)
        {
            foreach (var action in _unsaid) Log(action);
            _unsaid.Clear();
        }
    }

    private static readonly List<string> _unsaid = new();

    /// <summary>What torch work runs on here, for benchmark headers: "TorchSharp 0.107.0, libtorch 2.10.0, oneDNN ISA AVX2, 2 threads".</summary>
    public static string Describe()
    {
        EnsureLoaded();
        var versions = typeof(TorchRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        return $"TorchSharp {versions.GetValueOrDefault("TorchSharpVersion")}, libtorch {versions.GetValueOrDefault("LibTorchVersion")}, " +
               $"oneDNN ISA {Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") ?? "(default: the CPU's best)"}, {torch.get_num_threads()} threads";
    }

    /// <summary>CUDA when present, the CPU otherwise; NASKIT_DEVICE=cpu|cuda|cuda:N overrides.</summary>
    public static Device DefaultDevice
    {
        get
        {
            if (_device is not null) return _device;
            EnsureLoaded();
            string? wanted = Environment.GetEnvironmentVariable("NASKIT_DEVICE");
            _device = !string.IsNullOrWhiteSpace(wanted) ? ParseDevice(wanted)
                : torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            return _device;
        }
    }

    /// <summary>cpu, cuda or cuda:N, with an error that names the bad value (TorchSharp's says only "BOGUS not found").</summary>
    public static Device ParseDevice(string name)
    {
        EnsureLoaded();
        // Asking a CPU build of libtorch (or a machine without a visible GPU) for CUDA fails inside TorchSharp with a
        // trace; say so here instead.
        if (name.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !torch.cuda.is_available())
            throw new ArgumentException($"Device '{name}' asks for CUDA, but this libtorch has no usable CUDA device (a CPU build, or no GPU visible). " +
                                        "Use cpu (or auto), or build with -p:NasKitTorchBackend=cuda on a machine with an NVIDIA GPU (environment.md).");
        Device device;
        try { device = torch.device(name); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { throw new ArgumentException($"Unknown device '{name}'. Use cpu, cuda or cuda:N."); }
        if (device.type == DeviceType.CUDA)
        {
            if (device.index >= torch.cuda.device_count())
                throw new ArgumentException($"Device '{name}': this machine has {torch.cuda.device_count()} CUDA device(s), numbered from 0.");
        }
        return device;
    }

    /// <summary>Patches and preloads, once per process. Does nothing on systems that need nothing.</summary>
    public static void Prepare()
    {
        lock (Gate)
        {
            if (_prepared) return;
            _prepared = true;
            if (!OperatingSystem.IsLinux()) return;

            LimitOneDnnIsa();
            var available = LoadedLibstdcxxVersions();
            foreach (var glue in Candidates("libLibTorchSharp.so"))
            {
                if (available is null) break;
                var weakened = ElfVersionNeeds.WeakenMissing(glue, "libstdc++.so.6", available);
                if (weakened.Count > 0)
                    Record($"marked {string.Join(", ", weakened)} as a weak version need in {glue} " +
                           "(the system libstdc++ lacks it; the symbol behind it is never called)");
            }

            var libtorchDir = Candidates("libtorch_cpu.so").Select(Path.GetDirectoryName).FirstOrDefault();
            if (libtorchDir is null) return;
            foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            {
                var path = Path.Combine(libtorchDir, name);
                if (File.Exists(path)) NativeLibrary.Load(path);
            }
            _actions.Add($"preloaded libtorch from {libtorchDir}");
            DisableNnpack(libtorchDir);

            // Hosts that load assemblies by path (notebook kernels) do not probe runtimes/<rid>/native, so
            // resolve TorchSharp's glue library to the copy beside the libtorch we preloaded.
            var glueNextToLibtorch = Path.Combine(libtorchDir, "libLibTorchSharp.so");
            var gluePath = File.Exists(glueNextToLibtorch) ? glueNextToLibtorch : Candidates("libLibTorchSharp.so").FirstOrDefault();
            if (gluePath is null) return;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, (name, _, _) =>
                    name is "LibTorchSharp" or "libLibTorchSharp" or "libLibTorchSharp.so" ? NativeLibrary.Load(gluePath) : IntPtr.Zero);
            }
            catch (InvalidOperationException) { } // the host already set one; it will find the library itself
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetNativeEnvironment(string name, string value, int overwrite);

    /// <summary>
    /// oneDNN's AVX-512 convolution backward kernels in libtorch 2.10 return NaN input gradients now and then on
    /// AMD Zen 4 CPUs (seen: 21 of 200 identical 3×3 conv backward passes on an AMD EPYC of family 25; 0 of 200 with
    /// the ISA capped at AVX2). Cap oneDNN at AVX2 there before libtorch loads. The cap costs about a third of the
    /// training speed, so it applies only where the fault was seen: an AMD EPYC of family 26 (Zen 5) gave 0 NaN in
    /// 7,800 passes over six shapes uncapped (environment.md). DNNL_MAX_CPU_ISA set by the user wins.
    /// </summary>
    private static void LimitOneDnnIsa()
    {
        if (Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null) return;
        if (CpuInfo.Read() is not { } cpu || !NeedsAvx2Cap(cpu)) return;
        SetNativeEnvironment("DNNL_MAX_CPU_ISA", "AVX2", 0); // the native environment, which oneDNN reads
        Environment.SetEnvironmentVariable("DNNL_MAX_CPU_ISA", "AVX2");
        Record("capped oneDNN at AVX2 (DNNL_MAX_CPU_ISA=AVX2): its AVX-512 convolution backward gives NaN gradients " +
               "on AMD Zen 4 CPUs; set DNNL_MAX_CPU_ISA yourself to override");
    }

    /// <summary>True for the CPUs where oneDNN's AVX-512 convolution backward was seen to give NaN: AMD family 25
    /// (Zen 4, the only family 25 with AVX-512).</summary>
    internal static bool NeedsAvx2Cap(CpuInfo cpu) => cpu is { Vendor: "AuthenticAMD", Family: "25" } && cpu.Flags.Contains("avx512f");

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    /// <summary>
    /// libtorch tries NNPACK for small-batch convolutions and, on CPUs its cpuinfo does not recognise, prints
    /// "Could not initialize NNPACK! Reason: Unsupported hardware." on every call (thousands of lines per latency
    /// run) before falling back. TorchSharp has no switch for it, so we call libtorch's own
    /// at::globalContext().setUserEnabledNNPACK(false), as PyTorch's torch.backends.nnpack.set_flags(False) does.
    /// </summary>
    private static void DisableNnpack(string libtorchDir)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(TorchRuntime).Assembly, (name, _, _) =>
                name == "libtorch_cpu" ? NativeLibrary.Load(Path.Combine(libtorchDir, "libtorch_cpu.so")) : IntPtr.Zero);
            SetUserEnabledNnpack(GlobalContext(), false);
            _actions.Add("disabled NNPACK (libtorch falls back to its other convolution kernels)");
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or InvalidOperationException)
        {
            Log($"could not disable NNPACK ({e.Message}); libtorch may print NNPACK warnings");
        }
    }

    private static void Record(string action)
    {
        _actions.Add(action);
        _unsaid.Add(action);
    }

    /// <summary>Version names of the libstdc++ this process runs with, or null if none is mapped.</summary>
    private static IReadOnlySet<string>? LoadedLibstdcxxVersions()
    {
        string? path = null;
        try
        {
            path = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault())
                .FirstOrDefault(p => p is not null && Path.GetFileName(p).StartsWith("libstdc++.so", StringComparison.Ordinal));
        }
        catch (IOException) { }
        path ??= new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
        return path is null ? null : ElfVersionNeeds.DefinedVersions(path);
    }

    /// <summary>Every copy of a native library the runtime might load, in the order it would look.</summary>
    internal static IEnumerable<string> Candidates(string fileName)
    {
        var dirs = new List<string>();
        void Add(string? dir) { if (dir is not null) dirs.Add(Path.GetFullPath(dir)); }

        string rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64") ? "linux-arm64" : "linux-x64";
        Add(AppContext.BaseDirectory);
        Add(Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native"));
        var torchAssembly = typeof(torch).Assembly.Location;
        if (!string.IsNullOrEmpty(torchAssembly))
        {
            var asmDir = Path.GetDirectoryName(torchAssembly)!;
            Add(asmDir);
            Add(Path.Combine(asmDir, "..", "..", "runtimes", rid, "native"));
        }
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var versions = typeof(TorchRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .ToDictionary(a => a.Key, a => a.Value);
        foreach (var (package, key) in new[] { ("torchsharp", "TorchSharpVersion"),
                     ("libtorch-cpu-linux-x64", "LibTorchVersion"), ("libtorch-cuda-12.8-linux-x64", "LibTorchVersion") })
            if (versions.TryGetValue(key, out var v) && v is not null)
                Add(Path.Combine(packages, package, v, "runtimes", rid, "native"));

        return dirs.Distinct().Select(d => Path.Combine(d, fileName)).Where(File.Exists);
    }
}
