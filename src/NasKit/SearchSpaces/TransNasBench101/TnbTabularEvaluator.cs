using NasKit.Estimation;

namespace NasKit.SearchSpaces.TransNasBench101;

/// <summary>
/// Looks an architecture up on one TransNAS-Bench-101 task. Metrics: <c>task_score</c> (the benchmark's validation
/// score of the task, higher is better; the sample has no separate test score, so it is both signal and outcome) and
/// every zero-cost score as <c>zc_&lt;name&gt;</c>. The sample holds final scores only: a fidelity with epochs fails.
/// The cost is the zero-cost file's FLOPs through <see cref="TrainingTimeModel"/>, simulated, not measured.
/// </summary>
public sealed class TnbTabularEvaluator(TnbBenchmark benchmark, string task, TrainingTimeModel? timeModel = null) : IEvaluator<TnbArchitecture>
{
    public const string TaskScore = "task_score";
    /// <summary>TransNAS-Bench-101 trained its networks for different epochs per task; the time model only needs an order of magnitude.</summary>
    private const int NominalEpochs = 30;

    public string Task { get; } = TnbBenchmark.Tasks.Contains(task) ? task : throw new ArgumentException(TnbBenchmark.UnknownTask(task));
    private readonly TrainingTimeModel _time = timeModel ?? new TrainingTimeModel();

    public Evaluation Evaluate(TnbArchitecture arch, Fidelity fidelity, TrialContext? context = null)
    {
        if (fidelity.Epochs is not null) return Evaluation.Failure("The TransNAS-Bench-101 sample holds final scores only; leave the epochs out.");
        if (benchmark.Find(Task, arch) is not { } row) return Evaluation.Failure($"{arch} is not in the TransNAS-Bench-101 sample of task {Task}.");
        var metrics = new Dictionary<string, double> { [TaskScore] = row.Score };
        foreach (var (name, value) in row.ZeroCost) metrics["zc_" + name] = value;
        double megaFlops = row.ZeroCost.GetValueOrDefault("flops", 0);
        return new Evaluation(metrics, _time.Seconds((long)(megaFlops * 1e6), NominalEpochs));
    }
}
