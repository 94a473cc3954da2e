namespace NasKit.SearchSpaces.Darts;

/// <summary>The eight operations of the DARTS search space (Liu et al. 2019), in the reference's PRIMITIVES order.</summary>
public enum DartsOp : byte
{
    None = 0,
    MaxPool3x3 = 1,
    AvgPool3x3 = 2,
    SkipConnect = 3,
    SepConv3x3 = 4,
    SepConv5x5 = 5,
    DilConv3x3 = 6,
    DilConv5x5 = 7,
}

public static class DartsOps
{
    public const int Count = 8;

    private static readonly string[] NameArray =
        ["none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"];

    /// <summary>Reference names, indexed by <see cref="DartsOp"/>.</summary>
    public static IReadOnlyList<string> Names => NameArray;

    public static string Name(this DartsOp op) => NameArray[(int)op];

    public static bool TryParse(string name, out DartsOp op)
    {
        int i = Array.IndexOf(NameArray, name);
        op = (DartsOp)Math.Max(i, 0);
        return i >= 0;
    }
}
