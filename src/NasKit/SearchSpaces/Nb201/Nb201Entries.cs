using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.Nb201;

/// <summary><c>nb201</c> in the space catalog: the 15,625 cells in code order.</summary>
public sealed class Nb201SpaceEntry : ISpaceEntry
{
    public string Name => "nb201";
    public string Description => "NAS-Bench-201 cells: 6 edges × 5 ops (15,625); buildable, differentiable, weight-sharing, with a cost model.";
    public int Order => 10;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new Nb201Space());
}

/// <summary>
/// <c>nb201</c> in the benchmark and evaluator catalogs: the NAS-Bench-201 tables. Arguments: <c>dataset</c>
/// (cifar10, cifar100, imagenet16-120); <c>outcome-epochs</c> (12 or 200: the table <c>test_acc</c> comes from whatever
/// the trial's epochs; unset: the trial's own table). As a search problem the signal is the validation accuracy at
/// the trial's epochs (<c>epochs</c>, 200 by default) and the outcome the 200-epoch test accuracy (NASLib's protocol).
/// </summary>
public sealed class Nb201BenchmarkEntry : IBenchmarkEntry
{
    public string Name => "nb201";
    public string Description => "NAS-Bench-201 tables (12/200-epoch accuracies, HW-NAS-Bench latency and energy): nb201:dataset=cifar10.";
    public int Order => 10;

    /// <summary>The tables from the default data locator, loaded once per process and data folder.</summary>
    public static Nb201Benchmark Tables()
    {
        return DataLocator.Default.LoadOnce(Nb201Benchmark.Load);
    }

    public IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments arguments) where TArch : class, IArchitecture
    {
        if (typeof(TArch) != typeof(Nb201Cell)) return null;
        var evaluator = new Nb201TabularEvaluator(Tables(), Nb201Benchmark.ParseDataset(arguments.String("dataset", "cifar10")))
        {
            OutcomeEpochs = arguments.String("outcome-epochs") is null ? null : Epochs(arguments, "outcome-epochs", 200),
        };
        return (IEvaluator<TArch>)(object)evaluator;
    }

    public TResult Accept<TResult>(IBenchmarkVisitor<TResult> visitor, EvaluatorArguments arguments)
    {
        var tables = Tables();
        var evaluator = new Nb201TabularEvaluator(tables, Nb201Benchmark.ParseDataset(arguments.String("dataset", "cifar10"))) { OutcomeEpochs = 200 };
        var fidelity = new Fidelity(Epochs: Epochs(arguments, "epochs", 200));
        return visitor.Visit(new TabularBenchmark<Nb201Cell>(Name, tables.Space, evaluator, fidelity, Objective.Max(Metrics.ValidAccuracy), Metrics.TestAccuracy)
                             { DefaultFidelities = "12,200" }); // the two tables the benchmark has
    }

    private static int Epochs(EvaluatorArguments a, string key, int fallback)
    {
        int e = a.Int(key, fallback);
        return e is 12 or 200 ? e : throw new FormatException($"NB201 has tables for 12 and 200 epochs; {key}={e}.");
    }
}
