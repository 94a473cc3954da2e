namespace NasKit.SearchSpaces.Nb201;

/// <summary>The five NAS-Bench-201 operations, numbered as in the benchmark's canonical op list.</summary>
public enum Nb201Op : byte
{
    None = 0,
    SkipConnect = 1,
    NorConv1x1 = 2,
    NorConv3x3 = 3,
    AvgPool3x3 = 4,
}

public static class Nb201Ops
{
    public const int Count = 5;

    /// <summary>Official names, indexed by <see cref="Nb201Op"/>.</summary>
    private static readonly string[] NameArray = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];
    public static IReadOnlyList<string> Names => NameArray;

    public static string Name(this Nb201Op op) => Names[(int)op];

    public static bool TryParse(string name, out Nb201Op op)
    {
        int i = Array.IndexOf(NameArray, name);
        op = (Nb201Op)Math.Max(i, 0);
        return i >= 0;
    }
}
