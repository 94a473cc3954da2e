using System.Globalization;

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

    /// <summary>This fidelity's knobs where set, <paramref name="defaults"/>' elsewhere (a proposal over a study's default).</summary>
    public Fidelity Over(Fidelity defaults) => new(Epochs ?? defaults.Epochs, DataFraction != 1.0 ? DataFraction : defaults.DataFraction,
        Resolution ?? defaults.Resolution, Channels ?? defaults.Channels, CellsPerStage ?? defaults.CellsPerStage);

    public override string ToString()
    {
        var parts = new List<string>();
        if (Epochs is { } e) parts.Add($"epochs={e}");
        if (DataFraction != 1.0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"data={DataFraction:0.###}"));
        if (Resolution is { } r) parts.Add($"res={r}");
        if (Channels is { } c) parts.Add($"C={c}");
        if (CellsPerStage is { } n) parts.Add($"N={n}");
        return parts.Count == 0 ? "full" : string.Join(",", parts);
    }

    /// <summary>Reads <see cref="ToString"/>'s form: <c>full</c>, or knobs <c>epochs=1,res=16,data=0.5,C=8,N=1</c>.</summary>
    public static Fidelity Parse(string text)
    {
        var f = new Fidelity();
        if (string.Equals(text.Trim(), "full", StringComparison.OrdinalIgnoreCase)) return f;
        foreach (var kv in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = kv.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2) throw new FormatException($"Fidelity '{text}': '{kv}' is not knob=value (knobs: epochs, data, res, C, N).");
            var (key, value) = (pair[0], pair[1]);
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v > 0) || double.IsInfinity(v))
                throw new FormatException($"Fidelity '{text}': {key}={value} must be a positive number.");
            int Whole() => v == Math.Floor(v) && v <= int.MaxValue ? (int)v : throw new FormatException($"Fidelity '{text}': {key}={value} must be a whole number.");
            f = key switch
            {
                "epochs" => f with { Epochs = Whole() },
                "res" => f with { Resolution = Whole() },
                "data" => v <= 1 ? f with { DataFraction = v } : throw new FormatException($"Fidelity '{text}': data must be a fraction in (0, 1], got {value}."),
                "C" => f with { Channels = Whole() },
                "N" => f with { CellsPerStage = Whole() },
                _ => throw new FormatException($"Fidelity '{text}': unknown knob '{key}'. Knobs: epochs, data, res, C, N."),
            };
        }
        return f;
    }
}
