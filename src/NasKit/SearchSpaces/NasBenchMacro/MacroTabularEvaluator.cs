using NasKit.Estimation;

namespace NasKit.SearchSpaces.NasBenchMacro;

/// <summary>
/// Looks a network up in NAS-Bench-Macro. Metrics: <c>test_acc</c> (the mean over the benchmark's 3 runs, %; the
/// benchmark has no validation split, so it is both the search signal and the outcome), <c>test_acc_std</c>,
/// <c>params_m</c> and <c>flops_m</c>. The benchmark trained every network for 50 epochs only: another fidelity fails
/// the trial. The cost is simulated from the network's FLOPs (<see cref="TrainingTimeModel"/>), not measured.
/// </summary>
public sealed class MacroTabularEvaluator(MacroBenchmark benchmark, TrainingTimeModel? timeModel = null) : IEvaluator<MacroArchitecture>
{
    public const string TestAccuracyStd = "test_acc_std";

    public MacroBenchmark Benchmark { get; } = benchmark;
    public TrainingTimeModel TimeModel { get; } = timeModel ?? new TrainingTimeModel();

    public Evaluation Evaluate(MacroArchitecture arch, Fidelity fidelity, TrialContext? context = null)
    {
        if (fidelity.Epochs is { } e && e != MacroBenchmark.Epochs)
            return Evaluation.Failure($"NAS-Bench-Macro trained every network for {MacroBenchmark.Epochs} epochs only; {e} epochs are not in the table.");
        var row = Benchmark[arch];
        return new Evaluation(new Dictionary<string, double>
        {
            [Metrics.TestAccuracy] = row.MeanAccuracy, [TestAccuracyStd] = row.Std,
            [Metrics.Parameters] = row.Parameters / 1e6, [Metrics.Flops] = row.Flops / 1e6,
        }, TimeModel.Seconds(row.Flops, MacroBenchmark.Epochs));
    }
}
