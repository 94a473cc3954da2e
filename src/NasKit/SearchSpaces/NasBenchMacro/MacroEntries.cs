using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.NasBenchMacro;

/// <summary><c>nasbench-macro</c> in the space catalog: the 6,561 networks in code order.</summary>
public sealed class MacroSpaceEntry : ISpaceEntry
{
    public string Name => "nasbench-macro";
    public string Description => "NAS-Bench-Macro: 8 layers, each identity or a MobileNetV2 block (e3 k3, e6 k5), 6,561 networks; buildable, with a cost model.";
    public int Order => 40;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new MacroSpace());
}

/// <summary>
/// <c>nasbench-macro</c> in the benchmark and evaluator catalogs: the benchmark's table. As a search problem the
/// signal and the outcome are both the mean CIFAR-10 test accuracy over its 3 runs (the benchmark has no validation
/// split), at its one fidelity, 50 epochs.
/// </summary>
public sealed class MacroBenchmarkEntry : IBenchmarkEntry
{
    public string Name => "nasbench-macro";
    public string Description => "NAS-Bench-Macro table: CIFAR-10 test accuracy (mean of 3 runs of 50 epochs), parameters and FLOPs of 6,561 networks.";
    public int Order => 40;

    public static MacroBenchmark Tables() => DataLocator.Default.LoadOnce(MacroBenchmark.Load);

    public IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments arguments) where TArch : class, IArchitecture =>
        typeof(TArch) == typeof(MacroArchitecture) ? (IEvaluator<TArch>)(object)new MacroTabularEvaluator(Tables()) : null;

    public TResult Accept<TResult>(IBenchmarkVisitor<TResult> visitor, EvaluatorArguments arguments)
    {
        var tables = Tables();
        return visitor.Visit(new TabularBenchmark<MacroArchitecture>(Name, tables.Space, new MacroTabularEvaluator(tables), new Fidelity(Epochs: MacroBenchmark.Epochs),
                                                                     Objective.Max(Metrics.TestAccuracy), Metrics.TestAccuracy));
    }
}
