using NasKit.Benchmarks;
using NasKit.Execution;
using Spectre.Console;

namespace NasKit.Cli.Commands;

/// <summary>Shared plumbing: expected errors become one clear line on stderr and a non-zero exit code.</summary>
internal static class Cli
{
    /// <summary>Progress bars and logs go to stderr, so stdout stays the result a script parses.</summary>
    public static IAnsiConsole Err { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static int Run(Func<int> action)
    {
        try { return action(); }
        catch (Exception e) when (Expected(e) is { } known)
        {
            Console.Error.WriteLine($"error: {known.Message}");
            return 2;
        }
    }

    /// <summary>The user-facing error inside <paramref name="e"/> (parallel runs wrap it), or null for a bug.</summary>
    private static Exception? Expected(Exception e) => e switch
    {
        AggregateException a when a.InnerExceptions.Count > 0 => Expected(a.InnerExceptions[0]),
        FormatException or ArgumentException or DataNotFoundException or BenchmarkDataException
            or StudyConflictException or IOException or InvalidDataException or KeyNotFoundException => e,
        _ => null,
    };

    /// <summary>Runs work with a progress bar on stderr (plain when stderr is not a terminal).</summary>
    public static void WithProgress(string label, int total, Action<Action> work)
    {
        if (!Err.Profile.Capabilities.Interactive)
        {
            work(() => { });
            return;
        }
        Err.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label, maxValue: total);
                work(() => task.Increment(1));
            });
    }
}
