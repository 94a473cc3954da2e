using NasKit.Estimation;

namespace NasKit.SearchSpaces.NasBenchNlp;

/// <summary>
/// Looks a NAS-Bench-NLP cell up at <see cref="Fidelity.Epochs"/> (1..50, 50 by default), walking its learning curve
/// epoch by epoch through the trial context, so a stopping rule can end it early (the result is then the stopping
/// epoch's). Metrics at the trial's epoch: <c>valid_loss</c>, <c>valid_perplexity</c>, <c>test_loss</c>,
/// <c>test_perplexity</c>, <c>train_loss</c>, <c>params_m</c>; and <see cref="FinalValidPerplexity"/>, the epoch-50
/// validation perplexity the benchmark reports for the cell (the outcome of a comparison, never the signal). The cost
/// is the benchmark's measured seconds of the epochs trained. A cell that diverged before the trial's epoch fails
/// with that reason.
/// </summary>
public sealed class NbNlpTabularEvaluator(NbNlpBenchmark benchmark) : IEvaluator<NbNlpCell>
{
    public const string FinalValidPerplexity = "final_valid_perplexity";

    public NbNlpBenchmark Benchmark { get; } = benchmark;

    public Evaluation Evaluate(NbNlpCell cell, Fidelity fidelity, TrialContext? context = null)
    {
        int epochs = fidelity.Epochs ?? NbNlpBenchmark.MaxEpochs;
        if (epochs < 1 || epochs > NbNlpBenchmark.MaxEpochs)
            throw new ArgumentException($"NAS-Bench-NLP has learning curves of 1..{NbNlpBenchmark.MaxEpochs} epochs; the trial asks for {epochs}.");
        // A diverged cell's final perplexity is unbounded: +∞, so a comparison that picks it shows it.
        double final = Benchmark.At(cell, NbNlpBenchmark.MaxEpochs, r => r.ValidLoss) is { } f ? Math.Exp(f) : double.PositiveInfinity;
        double seconds = 0;
        Dictionary<string, double>? metrics = null;
        var valid = new List<double>();
        var perplexity = new List<double>();
        int stoppedAt = 0;
        for (int e = 1; e <= epochs; e++)
        {
            context?.Cancellation.ThrowIfCancellationRequested();
            if (Benchmark.At(cell, e, r => r.ValidLoss) is not { } v)
                return Evaluation.Failure($"the training of cell {cell.Id} diverged (loss NaN) in epoch {e}", seconds);
            seconds += Benchmark.At(cell, e, r => r.WallSeconds)!.Value;
            double test = Benchmark.At(cell, e, r => r.TestLoss)!.Value;
            metrics = new Dictionary<string, double>
            {
                [Metrics.ValidLoss] = v, [Metrics.ValidPerplexity] = Math.Exp(v),
                [Metrics.TestLoss] = test, [Metrics.TestPerplexity] = Math.Exp(test),
                [Metrics.TrainLoss] = Benchmark.At(cell, e, r => r.TrainLoss)!.Value,
                [Metrics.Parameters] = Benchmark.RunsOf(cell)[0].Parameters / 1e6,
                [FinalValidPerplexity] = final,
            };
            valid.Add(v);
            perplexity.Add(Math.Exp(v));
            stoppedAt = e;
            if (context is not null && !context.Report(e, new Dictionary<string, double> { [Metrics.ValidLoss] = v, [Metrics.ValidPerplexity] = Math.Exp(v) }) && e < epochs)
                return new Evaluation(metrics, seconds) { Curves = Curves(), StoppedAt = e };
        }
        return new Evaluation(metrics!, seconds) { Curves = Curves() };

        Dictionary<string, IReadOnlyList<double>> Curves() => new() { [Metrics.ValidLoss] = valid, [Metrics.ValidPerplexity] = perplexity };
    }
}
