using NasKit.Estimation;
using NasKit.Networks;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// Looks an NB201 cell up in the benchmark tables. Honours <see cref="Fidelity.Epochs"/> (12 or 200; 200 by
/// default). Metrics: <c>valid_acc</c>, <c>test_acc</c> (%), <c>params_m</c>, <c>flops_m</c> and the
/// HW-NAS-Bench columns of the chosen data set.
/// <para>
/// The cost is simulated: the tables carry no training times, so <see cref="SimulatedSeconds"/> estimates
/// them from the cell's FLOPs (see <see cref="TrainingTimeModel"/>). Budgets in simulated seconds are
/// therefore comparable across strategies, but are not the NB201 paper's measured times.
/// </para>
/// </summary>
public sealed class Nb201TabularEvaluator(Nb201Benchmark benchmark, Nb201Dataset dataset = Nb201Dataset.Cifar10,
                                          TrainingTimeModel? timeModel = null) : IEvaluator<Nb201Cell>
{
    public Nb201Benchmark Benchmark { get; } = benchmark;
    public Nb201Dataset Dataset { get; } = dataset;
    public TrainingTimeModel TimeModel { get; } = timeModel ?? new TrainingTimeModel();

    /// <summary>
    /// When set, <c>test_acc</c> always comes from this table whatever the fidelity's epochs, as in NASLib's NB201
    /// protocol: a 12-epoch signal, judged by the 200-epoch test accuracy.
    /// </summary>
    public int? OutcomeEpochs { get; init; }

    public Evaluation Evaluate(Nb201Cell arch, Fidelity fidelity, TrialContext? context = null)
    {
        int epochs = fidelity.Epochs ?? 200;
        long flops = Nb201CostModel.Flops(arch, Nb201Network.Cifar10Shape);
        var metrics = new Dictionary<string, double>(Benchmark.Metrics(arch, Dataset, epochs)) { [NasKit.Estimation.Metrics.Flops] = flops / 1e6 };
        if (OutcomeEpochs is { } outcome) metrics[NasKit.Estimation.Metrics.TestAccuracy] = Benchmark.TestAccuracy(arch, Dataset, outcome);
        return new Evaluation(metrics, TimeModel.Seconds(flops, epochs));
    }

    public double SimulatedSeconds(Nb201Cell arch, int epochs) =>
        TimeModel.Seconds(Nb201CostModel.Flops(arch, Nb201Network.Cifar10Shape), epochs);
}
