using NasKit.Spaces;

namespace NasKit.SearchSpaces.LcBench;

/// <summary>
/// LCBench's joint space of funnel-MLP architecture (<c>num_layers</c>, <c>max_units</c>) and training hyperparameters
/// (<c>batch_size</c>, <c>learning_rate</c>, <c>momentum</c>, <c>weight_decay</c>, <c>max_dropout</c>), read from the
/// surrogate's <c>config_space.json</c>. Small integer ranges are taken whole; every other hyperparameter becomes an
/// ordered grid of <see cref="DefaultGridPoints"/> values on its own scale (logarithmic where <c>param_set.R</c> samples
/// on a log scale: batch size, learning rate, units), so every strategy of the kit runs on it and BOHB's model treats
/// the grid as a numeric axis. 33 points put neighbours 1/32 of the range apart (a factor 1.24 in learning rate).
/// </summary>
public sealed class LcBenchSpace : DecisionSpace
{
    public const int DefaultGridPoints = 33;

    public LcBenchSpace(IReadOnlyList<LcBenchHyperparameter> hyperparameters, int gridPoints = DefaultGridPoints)
        : base("lcbench", hyperparameters.Select(h => ToDecision(h, gridPoints)).ToArray()) { }

    private static Decision ToDecision(LcBenchHyperparameter h, int gridPoints) =>
        h.IsInteger && !h.Log && h.Upper - h.Lower < gridPoints
            ? Decision.Integer(h.Name, (int)h.Lower, (int)h.Upper)
            : Decision.Numeric(h.Name, h.Lower, h.Upper, gridPoints, h.Log, h.IsInteger);

    /// <summary>The configuration's hyperparameter values by name, as the surrogate takes them.</summary>
    public IReadOnlyDictionary<string, double> Values(Choices configuration) =>
        Decisions.ToDictionary(d => d.Name, d => configuration.Number(d.Name));
}
