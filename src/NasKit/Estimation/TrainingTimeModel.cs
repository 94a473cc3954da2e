namespace NasKit.Estimation;

/// <summary>
/// An estimate of training time from FLOPs: seconds = epochs × samples × 3 × FLOPs / throughput + overhead
/// per epoch. The factor 3 counts forward and backward passes. The defaults (50k CIFAR images, 4 TFLOP/s
/// effective, 5 s overhead per epoch) are assumptions of this estimate, not measured times; tabular benchmarks
/// without training times use it so that budgets in simulated seconds are comparable across strategies.
/// </summary>
public sealed record TrainingTimeModel(int Samples = 50_000, double EffectiveFlopsPerSecond = 4e12, double OverheadPerEpoch = 5)
{
    public double Seconds(long flopsPerImage, int epochs) =>
        epochs * (Samples * 3.0 * flopsPerImage / EffectiveFlopsPerSecond + OverheadPerEpoch);
}
