using System.CommandLine;
using NasKit.Benchmarks;
using NasKit.Execution;
using Spectre.Console;

namespace NasKit.Cli.Commands;

/// <summary>
/// Shared plumbing: a user's mistake becomes one clear line on stderr and exit code 2; a bug becomes one line and the
/// path of a log with its trace (exit code 1). Nothing prints a stack trace to the terminal.
/// </summary>
internal static class Cli
{
    /// <summary>Progress bars and logs go to stderr, so stdout stays the result a script parses.</summary>
    public static IAnsiConsole Err { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public const int UserError = 2, InternalError = 1;

    public static int Run(Func<int> action)
    {
        try { return action(); }
        catch (Exception e) when (Expected(e) is { } known)
        {
            Console.Error.WriteLine($"error: {FirstLine(known.Message)}");
            return UserError;
        }
        catch (Exception e)
        {
            return Internal(e);
        }
    }

    /// <summary>Logs a bug's trace to a file and says one line about it.</summary>
    public static int Internal(Exception e)
    {
        var inner = e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[0] : e;
        string? log = null;
        try
        {
            var dir = Path.Combine(Path.GetTempPath(), "naskit-logs");
            Directory.CreateDirectory(dir);
            log = Path.Combine(dir, $"naskit-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
            File.WriteAllText(log, $"naskit {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}\n{DateTime.UtcNow:O}\n\n{e}\n");
        }
        catch (IOException) { log = null; }
        catch (UnauthorizedAccessException) { log = null; }
        Console.Error.WriteLine($"error: internal error ({inner.GetType().Name}: {FirstLine(inner.Message)}). " +
                                (log is null ? "The trace could not be written to a log." : $"The trace is in {log}; please report it."));
        return InternalError;
    }

    private static string FirstLine(string s) => s.Split('\n')[0].TrimEnd();

    /// <summary>Holds every given output (file or folder) for one writer until disposed; a second naskit process on one of them fails now, before any work.</summary>
    public static IDisposable HoldOutputs(params string?[] outputs)
    {
        var held = new List<Reports.OutputLock>();
        try
        {
            foreach (var o in outputs.OfType<string>().Distinct()) held.Add(Reports.OutputLock.Acquire(o));
        }
        catch
        {
            foreach (var h in held) h.Dispose();
            throw;
        }
        return new Released(held);
    }

    private sealed class Released(List<Reports.OutputLock> held) : IDisposable
    {
        public void Dispose() { foreach (var h in held) h.Dispose(); }
    }

    /// <summary>The user-facing error inside <paramref name="e"/> (parallel runs wrap it), or null for a bug.</summary>
    private static Exception? Expected(Exception e) => e switch
    {
        AggregateException a when a.InnerExceptions.Count > 0 => Expected(a.InnerExceptions[0]),
        FormatException or ArgumentException or DataNotFoundException or BenchmarkDataException or StudyConflictException
            or IOException or UnauthorizedAccessException or InvalidDataException or KeyNotFoundException or ArithmeticException => e,
        _ => null,
    };

    /// <summary>Parses and runs; a parse error (an unknown option, a value out of range) is one line and exit code 2.</summary>
    public static int Execute(RootCommand root, string[] args)
    {
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            var command = string.Join(' ', CommandPath(result));
            Console.Error.WriteLine($"error: {result.Errors[0].Message} See 'naskit {command}{(command.Length > 0 ? " " : "")}--help'.");
            return UserError;
        }
        try
        {
            if (result.Action is not System.CommandLine.Help.HelpAction) return result.Invoke();
            // Help says "naskit", the command users type, not the assembly's name.
            var help = new StringWriter();
            int code = result.Invoke(new InvocationConfiguration { Output = help });
            Console.Out.Write(help.ToString().Replace(RootCommand.ExecutableName + " ", "naskit ").Replace(RootCommand.ExecutableName + Environment.NewLine, "naskit" + Environment.NewLine));
            return code;
        }
        catch (Exception e) { return Internal(e); }
    }

    private static IEnumerable<string> CommandPath(ParseResult r)
    {
        var names = new List<string>();
        for (var s = r.CommandResult; s is not null; s = s.Parent as System.CommandLine.Parsing.CommandResult)
            if (s.Command is not RootCommand) names.Insert(0, s.Command.Name);
        return names;
    }

    /// <summary>What "all" strategies means on a space: those that can run on it; each one left out is named with its reason.</summary>
    public static IReadOnlyList<NasKit.Strategies.IStrategyFactory> Runnable<TArch>(IReadOnlyList<NasKit.Strategies.IStrategyFactory> factories,
        NasKit.Spaces.ISearchSpace<TArch> space, NasKit.Estimation.Objective signal) where TArch : class, NasKit.Spaces.IArchitecture
    {
        var runnable = new List<NasKit.Strategies.IStrategyFactory>();
        foreach (var f in factories)
        {
            if (NasKit.Strategies.StrategyFactories.WhyNot(f, space, signal) is { } why) Console.Error.WriteLine($"skipping {f.Name}: {why}");
            else runnable.Add(f);
        }
        return runnable;
    }

    /// <summary>
    /// A new .csv file for --out with its header written, its folder created; a wrong extension or an unwritable path is
    /// one clear error, and so is an existing file, which is never overwritten unless <paramref name="replace"/> says its
    /// content is about to be written again (a resumed run replaying its checkpoint).
    /// </summary>
    public static StreamWriter OpenCsv(string path, string header, string what, bool replace = false)
    {
        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"--out {path}: {what} are written as .csv; give a path ending in .csv.");
        if (!replace && File.Exists(path) && new FileInfo(path).Length > 0)
            throw new ArgumentException($"--out {path} already exists; give a new path or move the file away (results are never overwritten).");
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            var writer = new StreamWriter(path, append: false);
            writer.WriteLine(header);
            return writer;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"Cannot write --out {path} ({e.Message}); give a writable path.");
        }
    }

    /// <summary>One point of a training run as it happens: a line of the --out CSV (flushed, so an interrupted run keeps
    /// it) and a progress line on stderr.</summary>
    public static void RecordPoint(StreamWriter? csv, string csvLine, string progressLine)
    {
        csv?.WriteLine(csvLine);
        csv?.Flush();
        Console.Error.WriteLine(progressLine);
    }

    /// <summary>Runs work with a progress bar on stderr; without a terminal, a plain line every few seconds.</summary>
    public static void WithProgress(string label, int total, Action<Action> work)
    {
        if (!Err.Profile.Capabilities.Interactive)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            int done = 0;
            var last = TimeSpan.Zero;
            var gate = new object();
            work(() =>
            {
                lock (gate)
                {
                    done++;
                    if (sw.Elapsed - last < TimeSpan.FromSeconds(10) && done < total) return;
                    last = sw.Elapsed;
                    var eta = done < total ? TimeSpan.FromSeconds(sw.Elapsed.TotalSeconds / done * (total - done)) : TimeSpan.Zero;
                    Console.Error.WriteLine($"  {label}: {done}/{total} done, {sw.Elapsed.TotalSeconds:0} s elapsed" + (done < total ? $", about {eta.TotalSeconds:0} s left" : ""));
                }
            });
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

/// <summary>Range checks that System.CommandLine runs while parsing, so a bad value is refused before anything starts, and help states the range.</summary>
internal static class OptionRanges
{
    public static Option<int> AtLeast(this Option<int> o, int min) => Check(o, min, int.MaxValue, v => v);
    public static Option<int?> AtLeast(this Option<int?> o, int min) => Check(o, min, int.MaxValue, v => v);
    public static Option<int> Within(this Option<int> o, int min, int max) => Check(o, min, max, v => v);
    public static Option<double> AtLeast(this Option<double> o, double min, bool exclusive = false) => CheckDouble(o, min, exclusive);
    public static Option<double?> AtLeast(this Option<double?> o, double min, bool exclusive = false) => CheckDouble(o, min, exclusive);

    /// <summary>A seed: 0..2147483646 (<see cref="NasKit.Experiments.Seeds"/>: System.Random folds the others onto these).</summary>
    public static Option<int> Seed(this Option<int> o) => Check(o, 0, NasKit.Experiments.Seeds.Max, v => v);

    private static Option<T> Check<T>(Option<T> o, long min, long max, Func<T, int?> value)
    {
        o.Description = $"{o.Description} [{Range(min, max)}]";
        o.Validators.Add(r =>
        {
            if (r.Tokens.Count == 0 || Unparsed(r, out T parsed)) return; // a value that is not a number is the parser's error
            var v = value(parsed);
            if (v is { } x && (x < min || x > max)) r.AddError($"{o.Name} must be {Range(min, max)}, got {x}.");
        });
        return o;
    }

    private static Option<T> CheckDouble<T>(Option<T> o, double min, bool exclusive)
    {
        string range = exclusive ? $"> {min}" : $">= {min}";
        o.Description = $"{o.Description} [{range}]";
        o.Validators.Add(r =>
        {
            if (r.Tokens.Count == 0 || Unparsed(r, out T parsed)) return;
            var v = Convert.ToDouble(parsed);
            if (double.IsNaN(v) || double.IsInfinity(v) || (exclusive ? v <= min : v < min)) r.AddError($"{o.Name} must be {range}, got {v}.");
        });
        return o;
    }

    private static bool Unparsed<T>(System.CommandLine.Parsing.OptionResult r, out T value)
    {
        try { value = r.GetValueOrDefault<T>(); return false; }
        catch (InvalidOperationException) { value = default!; return true; }
    }

    private static string Range(long min, long max) => max == int.MaxValue ? $">= {min}" : $"{min}..{max}";

    /// <summary>Runs seed..seed+runs-1 must all be seeds.</summary>
    public static void CheckRunSeeds(int seed, int runs)
    {
        if ((long)seed + runs - 1 > NasKit.Experiments.Seeds.Max)
            throw new ArgumentException($"Runs use seeds seed..seed+runs-1, and seeds go up to {NasKit.Experiments.Seeds.Max}: --seed {seed} leaves room for {NasKit.Experiments.Seeds.Max - (long)seed + 1} runs, not {runs}.");
    }
}
