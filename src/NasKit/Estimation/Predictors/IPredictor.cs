using NasKit.Spaces;

namespace NasKit.Estimation.Predictors;

/// <summary>A prediction with its uncertainty (standard deviation; 0 for predictors that give none).</summary>
public readonly record struct Prediction(double Mean, double Std);

/// <summary>
/// One interface for every performance predictor, as in NASLib: fit on architecture–performance pairs, then
/// query. Predictors are seeded at construction, so a fit is a deterministic function of its data.
/// </summary>
public interface IPredictor<TArch> where TArch : class, IArchitecture
{
    string Name { get; }
    void Fit(IReadOnlyList<TArch> architectures, IReadOnlyList<double> targets);
    IReadOnlyList<Prediction> Query(IReadOnlyList<TArch> architectures);
}
