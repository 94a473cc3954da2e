namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// Every zero-cost proxy in this assembly, found by reflection (a new proxy is one new class, no list to edit), in
/// the order the literature tables use.
/// </summary>
public static class ZeroCostProxies
{
    private static readonly string[] PaperOrder = ["grad_norm", "snip", "grasp", "fisher", "jacob_cov", "synflow", "naswot", "params", "flops"];

    public static IReadOnlyList<IZeroCostProxy> All { get; } = typeof(IZeroCostProxy).Assembly.GetTypes()
        .Where(t => typeof(IZeroCostProxy).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false } && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (IZeroCostProxy)Activator.CreateInstance(t)!)
        .OrderBy(p => Array.IndexOf(PaperOrder, p.Name) is var i && i >= 0 ? i : int.MaxValue).ThenBy(p => p.Name)
        .ToArray();

    /// <summary>Proxies by name: "all" or a comma-separated list. Unknown names fail with the list of known ones.</summary>
    public static IReadOnlyList<IZeroCostProxy> Parse(string names)
    {
        if (string.Equals(names.Trim(), "all", StringComparison.OrdinalIgnoreCase)) return All;
        var chosen = new List<IZeroCostProxy>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var proxy = All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"Unknown zero-cost proxy '{name}'. Known: {string.Join(", ", All.Select(p => p.Name))} (or all).");
            if (!chosen.Contains(proxy)) chosen.Add(proxy);
        }
        if (chosen.Count == 0) throw new ArgumentException("No zero-cost proxy named; give one or more names, or all.");
        return chosen;
    }
}
