namespace NasKit.Runtime;

/// <summary>The first processor of a /proc/cpuinfo text: what the oneDNN ISA rule and the benches' headers read.</summary>
public sealed record CpuInfo(string? Vendor, string? Family, string? Model, IReadOnlySet<string> Flags)
{
    public static CpuInfo Parse(string cpuinfo)
    {
        var lines = cpuinfo.Split('\n');
        string? Field(string key) => lines.Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault();
        return new CpuInfo(Field("vendor_id"), Field("cpu family"), Field("model name"),
            (Field("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet());
    }

    /// <summary>This machine's, or null where /proc/cpuinfo cannot be read (not Linux).</summary>
    public static CpuInfo? Read()
    {
        try { return Parse(File.ReadAllText("/proc/cpuinfo")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
