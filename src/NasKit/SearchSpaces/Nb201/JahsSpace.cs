using System.Globalization;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// JAHS-Bench-201's joint space (Bansal et al., NeurIPS 2022 Datasets and Benchmarks), scaled down: the NB201 cell's
/// six edges together with the learning rate (log grid on [10⁻³, 1]), the weight decay (log grid on [10⁻⁵, 10⁻²]; both
/// grids 10 points per decade, so NB201's learning rate 0.1 is on it), the
/// activation (ReLU, Hardswish, Mish) and TrivialAugment on or off, with the epochs as the fidelity. JAHS-Bench-201's
/// width, depth and resolution choices are left to the network shape and fidelity. Configurations build NB201
/// networks with the chosen activation, and tell the training evaluator their learning rate, weight decay and
/// augmentation (<see cref="ITrainingRecipeSpace{TArch}"/>); every other setting is the evaluator's.
/// </summary>
public sealed class JahsSpace : DecisionSpace, IBuildableSpace<Choices>, ITrainingRecipeSpace<Choices>
{
    public const string LearningRate = "learning_rate", WeightDecay = "weight_decay", ActivationName = "activation", TrivialAugmentName = "trivial_augment";

    public JahsSpace(int gridPoints = 31) : base("jahs",
        [
            .. Nb201Cell.Edges.Select(e => Decision.Categorical($"{e.From}->{e.To}", [.. Nb201Ops.Names])),
            Decision.Numeric(LearningRate, 1e-3, 1, gridPoints, log: true),
            Decision.Numeric(WeightDecay, 1e-5, 1e-2, gridPoints, log: true),
            Decision.Categorical(ActivationName, "relu", "hardswish", "mish"),
            Decision.Categorical(TrivialAugmentName, "off", "on"),
        ]) { }

    /// <summary>The configuration's NB201 cell.</summary>
    public Nb201Cell Cell(Choices configuration) =>
        new(Enumerable.Range(0, Nb201Cell.EdgeCount).Select(e => (Nb201Op)configuration.Values[e]).ToArray());

    public Activation Activation(Choices configuration) => Activations.Parse(configuration[ActivationName]!);

    public nn.Module<Tensor, Tensor> Build(Choices configuration, NetworkShape shape) =>
        new Nb201Network(Cell(configuration), shape with { Activation = Activation(configuration) });

    public TrainingHyperparameters Recipe(Choices configuration, TrainingHyperparameters defaults) => defaults with
    {
        LearningRate = configuration.Number(LearningRate),
        WeightDecay = configuration.Number(WeightDecay),
        TrivialAugment = configuration[TrivialAugmentName] == "on",
    };

    /// <summary>A short label: the NB201 string and the hyperparameters.</summary>
    public string Label(Choices c) => string.Create(CultureInfo.InvariantCulture,
        $"{Cell(c).ToText()} lr={c[LearningRate]} wd={c[WeightDecay]} {c[ActivationName]} TA={c[TrivialAugmentName]}");
}

/// <summary><c>jahs</c> in the space catalog: NB201 cells jointly with training hyperparameters, trained for real (<c>--evaluator train</c>).</summary>
public sealed class JahsSpaceEntry : ISpaceEntry
{
    public string Name => "jahs";
    public string Description => "JAHS-Bench-201's joint space, scaled down: NB201 cell × learning rate × weight decay × activation × TrivialAugment (train it with --evaluator train).";
    public int Order => 35;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new JahsSpace());
}
