using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.LcBench;

/// <summary><c>lcbench</c> in the space catalog: funnel-MLP architecture and training hyperparameters of LCBench.</summary>
public sealed class LcBenchSpaceEntry : ISpaceEntry
{
    public string Name => "lcbench";
    public string Description => "LCBench's joint space (YAHPO surrogate): MLP layers and units, batch size, learning rate, momentum, weight decay, dropout.";
    public int Order => 40;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(LcBenchBenchmarkEntry.Surrogate().CreateSpace());
}

/// <summary>
/// <c>lcbench</c> in the benchmark and evaluator catalogs: YAHPO Gym's LCBench surrogate. Arguments: <c>task</c> (an
/// OpenML task id, 3945 by default) and <c>epochs</c> (1..52, 52 by default). As a search problem the signal is the
/// validation accuracy at the trial's epochs and the outcome the validation accuracy after 52 epochs.
/// </summary>
public sealed class LcBenchBenchmarkEntry : IBenchmarkEntry
{
    public const string DefaultTask = "3945";

    public string Name => "lcbench";
    public string Description => "YAHPO Gym LCBench surrogate (ONNX), 34 OpenML tasks, epochs 1-52 as the fidelity: lcbench:task=3945.";
    public int Order => 40;

    /// <summary>The surrogate from the default data locator, loaded once per process and data folder.</summary>
    public static LcBenchSurrogate Surrogate() => DataLocator.Default.LoadOnce(LcBenchSurrogate.Load);

    public IEvaluator<TArch>? Create<TArch>(ISearchSpace<TArch> space, EvaluatorArguments arguments) where TArch : class, IArchitecture =>
        space is LcBenchSpace ? (IEvaluator<TArch>)(object)new LcBenchEvaluator(Surrogate(), arguments.String("task", DefaultTask)) : null;

    public TResult Accept<TResult>(IBenchmarkVisitor<TResult> visitor, EvaluatorArguments arguments)
    {
        var surrogate = Surrogate();
        var evaluator = new LcBenchEvaluator(surrogate, arguments.String("task", DefaultTask));
        var fidelity = new Fidelity(Epochs: arguments.Int("epochs", surrogate.MaxEpochs, surrogate.MinEpochs, surrogate.MaxEpochs));
        return visitor.Visit(new TabularBenchmark<Choices>(Name, surrogate.CreateSpace(), evaluator, fidelity, Objective.Max(Metrics.ValidAccuracy),
                                                           LcBenchEvaluator.FinalValidAccuracy) { DefaultFidelities = $"{surrogate.MinEpochs}-{surrogate.MaxEpochs}" });
    }
}
