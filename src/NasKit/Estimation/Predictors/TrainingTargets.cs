namespace NasKit.Estimation.Predictors;

/// <summary>
/// What every predictor's <c>Fit</c> checks first, and the standardisation the neural predictors train on: targets at
/// zero mean and unit spread, so one learning rate serves accuracies in percent and latencies in milliseconds.
/// </summary>
public readonly record struct TrainingTargets(double Mean, double Scale)
{
    /// <summary>Refuses a training set a fit would turn into silent garbage: mismatched lengths, no data, a non-finite target.</summary>
    public static void Check<TArch>(IReadOnlyList<TArch> architectures, IReadOnlyList<double> targets)
    {
        if (architectures.Count != targets.Count || architectures.Count == 0)
            throw new ArgumentException($"Need as many targets as architectures (got {architectures.Count} and {targets.Count}), and at least one.");
        for (int i = 0; i < targets.Count; i++)
            if (!double.IsFinite(targets[i]))
                throw new ArgumentException($"Target {i} is {targets[i]}: a predictor fits finite values only; leave failed or diverged evaluations out of its training set.");
    }

    /// <summary>The targets' mean and population standard deviation (1 when they are all equal).</summary>
    public static TrainingTargets Of(IReadOnlyList<double> targets)
    {
        double mean = targets.Average();
        double scale = Math.Sqrt(targets.Select(t => (t - mean) * (t - mean)).Average());
        return new(mean, scale < 1e-12 ? 1 : scale);
    }

    public double Standardize(double target) => (target - Mean) / Scale;

    public double Restore(double standardized) => standardized * Scale + Mean;
}
