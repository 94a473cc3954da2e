using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.TransNasBench101;

/// <summary>Loads each family's sample once per data locator.</summary>
public static class TnbTables
{
    public static TnbBenchmark Micro() => DataLocator.Default.LoadOnce(l => new MicroHolder(TnbBenchmark.Load(TnbFamily.Micro, l))).Benchmark;
    public static TnbBenchmark Macro() => DataLocator.Default.LoadOnce(l => new MacroHolder(TnbBenchmark.Load(TnbFamily.Macro, l))).Benchmark;
    public static TnbBenchmark Of(TnbFamily family) => family == TnbFamily.Micro ? Micro() : Macro();

    // LoadOnce caches by type: one type per family.
    private sealed record MicroHolder(TnbBenchmark Benchmark);
    private sealed record MacroHolder(TnbBenchmark Benchmark);
}

/// <summary>A TransNAS-Bench-101 family in the space catalog: the architectures its sample scores on all seven tasks.</summary>
public abstract class TnbSpaceEntry(TnbFamily family) : ISpaceEntry
{
    public string Name => family == TnbFamily.Micro ? "transnas-micro" : "transnas-macro";
    public abstract string Description { get; }
    public int Order => family == TnbFamily.Micro ? 50 : 51;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(TnbTables.Of(family).Space);
}

public sealed class TnbMicroSpaceEntry() : TnbSpaceEntry(TnbFamily.Micro)
{
    public override string Description => "TransNAS-Bench-101 micro: 4-node cells (none, skip, 1x1, 3x3 conv), the sample scored on all 7 Taskonomy tasks.";
}

public sealed class TnbMacroSpaceEntry() : TnbSpaceEntry(TnbFamily.Macro)
{
    public override string Description => "TransNAS-Bench-101 macro: skeletons of 4-6 modules (basic, widen, down, both), the sample scored on all 7 tasks.";
}

/// <summary>
/// A TransNAS-Bench-101 family in the benchmark and evaluator catalogs, one task at a time:
/// <c>transnas-micro:task=jigsaw</c> (tasks: <see cref="TnbBenchmark.Tasks"/>, default class_scene). Signal and
/// outcome are the task's validation score.
/// </summary>
public abstract class TnbBenchmarkEntry(TnbFamily family) : IBenchmarkEntry
{
    public const string DefaultTask = "class_scene";

    public string Name => family == TnbFamily.Micro ? "transnas-micro" : "transnas-macro";
    public string Description => $"TransNAS-Bench-101 {family.ToString().ToLowerInvariant()} sample (NAS-Bench-Suite-Zero): task score and 12 zero-cost scores: {Name}:task=class_scene.";
    public int Order => family == TnbFamily.Micro ? 50 : 51;

    private static string Task(EvaluatorArguments arguments) => arguments.String("task", DefaultTask);

    public IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments arguments) where TArch : class, IArchitecture =>
        typeof(TArch) == typeof(TnbArchitecture) && space.Name == Name ? (IEvaluator<TArch>)(object)new TnbTabularEvaluator(TnbTables.Of(family), Task(arguments)) : null;

    public TResult Accept<TResult>(IBenchmarkVisitor<TResult> visitor, EvaluatorArguments arguments)
    {
        var tables = TnbTables.Of(family);
        var evaluator = new TnbTabularEvaluator(tables, Task(arguments));
        return visitor.Visit(new TabularBenchmark<TnbArchitecture>(Name, tables.Space, evaluator, Fidelity.Full,
                                                                   Objective.Max(TnbTabularEvaluator.TaskScore), TnbTabularEvaluator.TaskScore));
    }
}

public sealed class TnbMicroBenchmarkEntry() : TnbBenchmarkEntry(TnbFamily.Micro);
public sealed class TnbMacroBenchmarkEntry() : TnbBenchmarkEntry(TnbFamily.Macro);
