namespace NasKit.Runtime;

/// <summary>How big a notebook's experiments are: <see cref="Quick"/> for CI and tests (the whole notebook suite in
/// minutes on two cores), <see cref="Full"/> for users and the main job (the sizes the chapters' conclusions need).</summary>
public enum RunSize { Quick, Full }

/// <summary>The one size setting every notebook reads: <c>NASKIT_SIZE=quick|full</c>, full when unset.</summary>
public static class RunSizes
{
    public const string Variable = "NASKIT_SIZE";

    /// <summary>The size this process runs at, read from <see cref="Variable"/> (an unknown value is an error, not a default).</summary>
    public static RunSize Current => Parse(Environment.GetEnvironmentVariable(Variable));

    public static RunSize Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "full" => RunSize.Full,
        "quick" => RunSize.Quick,
        _ => throw new ArgumentException($"{Variable}='{value}' is not a run size; use quick (CI, minutes) or full (the chapters' real sizes)."),
    };

    /// <summary>The quick or the full value of a setting, by <see cref="Current"/>.</summary>
    public static T Pick<T>(T quick, T full) => Current == RunSize.Quick ? quick : full;
}
