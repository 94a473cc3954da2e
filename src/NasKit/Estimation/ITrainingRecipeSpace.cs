using NasKit.Spaces;

namespace NasKit.Estimation;

/// <summary>
/// A space whose configurations include training hyperparameters (a joint architecture and hyperparameter space,
/// as JAHS-Bench-201): the training evaluator asks it how to train each one, starting from its own settings.
/// </summary>
public interface ITrainingRecipeSpace<in TArch> where TArch : class, IArchitecture
{
    TrainingHyperparameters Recipe(TArch configuration, TrainingHyperparameters defaults);
}
