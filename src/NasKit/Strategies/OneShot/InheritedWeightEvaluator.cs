using NasKit.Data;
using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies.OneShot;

/// <summary>
/// Evaluates an architecture by its accuracy with weights inherited from a trained supernet, the evaluator of one-shot
/// search (SPOS runs evolution with it). Metric <c>valid_acc</c> (%) on the given data; the cost is the measured time.
/// </summary>
public sealed class InheritedWeightEvaluator<TArch>(SinglePathTraining<TArch> supernet, BatchLoader data) : IEvaluator<TArch>
    where TArch : class, IArchitecture
{
    public Evaluation Evaluate(TArch arch, Fidelity fidelity, TrialContext? context = null)
    {
        context?.Cancellation.ThrowIfCancellationRequested();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        double acc = supernet.InheritedAccuracy(arch, data);
        return new Evaluation(new Dictionary<string, double> { [Metrics.ValidAccuracy] = acc }, sw.Elapsed.TotalSeconds);
    }
}
