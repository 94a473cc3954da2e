using System.Runtime.InteropServices;

namespace NasKit.Runtime;

/// <summary>
/// Gives freed native heap back to the operating system. libtorch frees every tensor of an evaluation when its
/// dispose scope ends, but glibc keeps the freed pages in its arenas; after building and training many
/// differently shaped networks the process's resident memory drifts upward through fragmentation, not leaks
/// (seen: 325 → 369 MB over 80 NB201 networks without trimming, flat at 185 MB with it).
/// Calling <c>malloc_trim(0)</c> after each evaluation keeps resident memory flat.
/// </summary>
public static class NativeHeap
{
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static bool _unavailable = !OperatingSystem.IsLinux();

    public static void ReleaseFreedMemory()
    {
        if (_unavailable) return;
        try { MallocTrim(0); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { _unavailable = true; } // not glibc (e.g. musl)
    }
}
