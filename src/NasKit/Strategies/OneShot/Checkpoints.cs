namespace NasKit.Strategies.OneShot;

internal static class Checkpoints
{
    /// <summary>The fields of two '|'-separated fingerprints that differ, as "saved → now".</summary>
    public static string Difference(string saved, string now)
    {
        var a = saved.Split('|');
        var b = now.Split('|');
        var diffs = Enumerable.Range(0, Math.Max(a.Length, b.Length))
            .Where(i => i >= a.Length || i >= b.Length || a[i] != b[i])
            .Select(i => $"{(i < a.Length ? a[i] : "")} → {(i < b.Length ? b[i] : "")}");
        return string.Join("; ", diffs);
    }
}
