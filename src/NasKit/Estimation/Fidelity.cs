namespace NasKit.Estimation;

/// <summary>
/// How much to spend on one evaluation: the proxy-task knobs of the field (fewer epochs, a fraction of the
/// data, lower resolution, fewer channels, fewer cells). Null means "the evaluator's full setting". Each
/// evaluator honours the knobs that apply to it and says which in its documentation.
/// </summary>
public sealed record Fidelity(int? Epochs = null, double DataFraction = 1.0, int? Resolution = null,
                              int? Channels = null, int? CellsPerStage = null)
{
    public static Fidelity Full { get; } = new();

    public override string ToString()
    {
        var parts = new List<string>();
        if (Epochs is { } e) parts.Add($"epochs={e}");
        if (DataFraction != 1.0) parts.Add($"data={DataFraction:0.###}");
        if (Resolution is { } r) parts.Add($"res={r}");
        if (Channels is { } c) parts.Add($"C={c}");
        if (CellsPerStage is { } n) parts.Add($"N={n}");
        return parts.Count == 0 ? "full" : string.Join(",", parts);
    }
}
