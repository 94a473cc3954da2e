using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Experiments;

/// <summary>
/// A tabular (or surrogate) benchmark as a search problem: its space (enumerated in the benchmark's own order), the
/// evaluator that looks architectures up, the default fidelity, the signal a strategy sees and the outcome a
/// comparison reports (NASLib's protocol: search on validation accuracy, report the test accuracy of the choice).
/// </summary>
public sealed record TabularBenchmark<TArch>(string Name, ISearchSpace<TArch> Space, IEvaluator<TArch> Evaluator, Fidelity Fidelity,
                                             Objective Signal, string Outcome) where TArch : class, IArchitecture
{
    /// <summary>The epochs a scheduler uses when the user names none, as <see cref="FidelityRungs.Parse"/> reads them ("1-52", "12,200"); null: none.</summary>
    public string? DefaultFidelities { get; init; }
}

/// <summary>
/// A benchmark users pick by name (<c>--benchmark nb201</c>). It is also an evaluator of the catalog (its tables), so a
/// study can record it as its evaluator and a worker anywhere rebuild it.
/// </summary>
[CatalogKind("benchmark")]
public interface IBenchmarkEntry : IEvaluatorFactory
{
    /// <summary>The benchmark under <paramref name="arguments"/> (e.g. a data set, the signal's epochs), handed to <paramref name="visitor"/>.</summary>
    TResult Accept<TResult>(IBenchmarkVisitor<TResult> visitor, EvaluatorArguments arguments);
}

/// <summary>Code that works on any benchmark: called back with its architecture type.</summary>
public interface IBenchmarkVisitor<out TResult>
{
    TResult Visit<TArch>(TabularBenchmark<TArch> benchmark) where TArch : class, IArchitecture;
}
