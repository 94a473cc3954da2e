using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.NasBenchNlp;

/// <summary><c>nbnlp</c> in the space catalog: the recurrent cells of NAS-Bench-NLP's WikiText-2 logs.</summary>
public sealed class NbNlpSpaceEntry : ISpaceEntry
{
    public string Name => "nbnlp";
    public string Description => "NAS-Bench-NLP recurrent cells with WikiText-2 learning curves (291 distinct recipes of 345 runs).";
    public int Order => 30;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new NbNlpSpace(new Lazy<NbNlpBenchmark>(NbNlpBenchmarkEntry.Tables)));
}

/// <summary>
/// <c>nbnlp</c> in the benchmark and evaluator catalogs: NAS-Bench-NLP's learning curves, with the epoch (1..50) as
/// the fidelity. As a search problem the signal is the validation perplexity at the trial's epochs (<c>epochs</c>,
/// 50 by default) and the outcome the cell's epoch-50 validation perplexity.
/// </summary>
public sealed class NbNlpBenchmarkEntry : IBenchmarkEntry
{
    public string Name => "nbnlp";
    public string Description => "NAS-Bench-NLP WikiText-2 learning curves: per-epoch validation perplexity, epochs 1-50 as the fidelity.";
    public int Order => 30;

    public static NbNlpBenchmark Tables()
    {
        return DataLocator.Default.LoadOnce(NbNlpBenchmark.Load);
    }

    public IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments arguments) where TArch : class, IArchitecture =>
        typeof(TArch) == typeof(NbNlpCell) ? (IEvaluator<TArch>)(object)new NbNlpTabularEvaluator(Tables()) : null;

    public TResult Accept<TResult>(IBenchmarkVisitor<TResult> visitor, EvaluatorArguments arguments)
    {
        var tables = Tables();
        var fidelity = new Fidelity(Epochs: arguments.Int("epochs", NbNlpBenchmark.MaxEpochs, 1, NbNlpBenchmark.MaxEpochs));
        return visitor.Visit(new TabularBenchmark<NbNlpCell>(Name, new NbNlpSpace(tables), new NbNlpTabularEvaluator(tables), fidelity,
                                                             Objective.Min(Metrics.ValidPerplexity), NbNlpTabularEvaluator.FinalValidPerplexity)
                             { DefaultFidelities = $"1-{NbNlpBenchmark.MaxEpochs}" });
    }
}
