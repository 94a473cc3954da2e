using NasKit.Data;
using NasKit.Estimation;
using NasKit.Spaces.Nb201;

namespace NasKit.Strategies.OneShot;

/// <summary>
/// Evaluates an NB201 cell by its accuracy with weights inherited from a trained supernet, the evaluator of one-shot
/// search (SPOS runs evolution with it). Metric <c>valid_acc</c> (%) on the given data; the cost is the measured time.
/// </summary>
public sealed class InheritedWeightEvaluator(SinglePathTraining supernet, BatchLoader data) : IEvaluator<Nb201Cell>
{
    public Evaluation Evaluate(Nb201Cell arch, Fidelity fidelity, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        double acc = supernet.InheritedAccuracy(arch, data);
        return new Evaluation(new Dictionary<string, double> { ["valid_acc"] = acc }, sw.Elapsed.TotalSeconds);
    }
}
