using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.LcBench;

/// <summary>
/// Evaluates an LCBench configuration on one OpenML task with the YAHPO surrogate at <see cref="Fidelity.Epochs"/>
/// (1..52, 52 by default), walking the predicted learning curve epoch by epoch through the trial context so a stopping
/// rule can end it early. Metrics at the trial's epoch: <c>valid_acc</c> (%), <c>valid_loss</c> (cross-entropy),
/// <c>valid_balanced_acc</c> and <c>test_balanced_acc</c> (%), <c>test_loss</c>; and <see cref="FinalValidAccuracy"/>,
/// the validation accuracy after all 52 epochs (the outcome of a comparison, never the signal). The cost is the
/// surrogate's predicted training time up to the trial's epoch.
/// </summary>
public sealed class LcBenchEvaluator : IEvaluator<Choices>
{
    public const string FinalValidAccuracy = "final_valid_acc";
    public const string ValidBalancedAccuracy = "valid_balanced_acc";
    public const string TestBalancedAccuracy = "test_balanced_acc";

    public LcBenchSurrogate Surrogate { get; }
    public string Task { get; }

    public LcBenchEvaluator(LcBenchSurrogate surrogate, string task)
    {
        surrogate.TaskCode(task); // unknown tasks fail here, with the list
        (Surrogate, Task) = (surrogate, task);
    }

    public Evaluation Evaluate(Choices configuration, Fidelity fidelity, TrialContext? context = null)
    {
        int max = Surrogate.MaxEpochs, epochs = fidelity.Epochs ?? max;
        if (epochs < Surrogate.MinEpochs || epochs > max)
            throw new ArgumentException($"LCBench predicts epochs {Surrogate.MinEpochs}..{max}; the trial asks for {epochs}.");
        if (configuration.Space is not LcBenchSpace space)
            throw new ArgumentException($"{configuration.ToText()} is a configuration of space '{configuration.Space.Name}', not of LCBench's.");
        var asked = Enumerable.Range(1, epochs).Append(max).ToArray();
        var curve = Surrogate.Predict(Task, space.Values(configuration), asked);
        double final = curve[^1].ValidAccuracy;
        var accuracy = new List<double>();
        var loss = new List<double>();
        Dictionary<string, double>? metrics = null;
        for (int e = 1; e <= epochs; e++)
        {
            context?.Cancellation.ThrowIfCancellationRequested();
            var p = curve[e - 1];
            metrics = new Dictionary<string, double>
            {
                [Metrics.ValidAccuracy] = p.ValidAccuracy, [Metrics.ValidLoss] = p.ValidCrossEntropy,
                [ValidBalancedAccuracy] = 100 * p.ValidBalancedAccuracy, [Metrics.TestLoss] = p.TestCrossEntropy,
                [TestBalancedAccuracy] = 100 * p.TestBalancedAccuracy, [FinalValidAccuracy] = final,
            };
            accuracy.Add(p.ValidAccuracy);
            loss.Add(p.ValidCrossEntropy);
            if (context is not null && !context.Report(e, new Dictionary<string, double> { [Metrics.ValidAccuracy] = p.ValidAccuracy, [Metrics.ValidLoss] = p.ValidCrossEntropy }) && e < epochs)
                return new Evaluation(metrics, p.Seconds) { Curves = Curves(), StoppedAt = e };
        }
        return new Evaluation(metrics!, curve[epochs - 1].Seconds) { Curves = Curves() };

        Dictionary<string, IReadOnlyList<double>> Curves() => new() { [Metrics.ValidAccuracy] = accuracy, [Metrics.ValidLoss] = loss };
    }
}
