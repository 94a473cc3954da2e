using NasKit.Data;
using NasKit.Estimation;
using NasKit.Networks;
using NasKit.SearchSpaces.Nb201;
using NasKit.Spaces;

namespace NasKit.Tests.SearchSpaces.Nb201;

public class JahsSpaceTests
{
    private static readonly JahsSpace Space = new();

    private static Choices Config(string activation, string augment, string lr = "0.1", string wd = "0.0005012") =>
        Space.Parse($"0->1=nor_conv_3x3, 0->2=nor_conv_3x3, 1->2=avg_pool_3x3, 0->3=skip_connect, 1->3=nor_conv_1x1, 2->3=none, " +
                    $"learning_rate={lr}, weight_decay={wd}, activation={activation}, trivial_augment={augment}");

    [Fact]
    public void A_configuration_is_a_cell_and_a_training_recipe()
    {
        var lr = Space.Decisions.Single(d => d.Name == JahsSpace.LearningRate).Options;
        var wd = Space.Decisions.Single(d => d.Name == JahsSpace.WeightDecay).Options;
        Assert.Equal(("0.001", "1"), (lr[0], lr[^1]));
        Assert.Equal(("1E-05", "0.01"), (wd[0], wd[^1]));
        var c = Config("mish", "on", lr[15], wd[15]);
        Assert.Equal("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|none~2|", Space.Cell(c).ToText());
        var recipe = Space.Recipe(c, TrainingHyperparameters.Default);
        Assert.Equal(double.Parse(lr[15], System.Globalization.CultureInfo.InvariantCulture), recipe.LearningRate);
        Assert.Equal(Math.Sqrt(1e-3), recipe.LearningRate, 3); // the middle of the log grid
        Assert.True(recipe.TrivialAugment);
        Assert.Equal(TrainingHyperparameters.Default.BatchSize, recipe.BatchSize); // the rest is the evaluator's
        Assert.False(Space.Recipe(Config("relu", "off"), TrainingHyperparameters.Default).TrivialAugment);
    }

    [Theory]
    [InlineData("relu", typeof(TorchSharp.Modules.ReLU))]
    [InlineData("hardswish", typeof(TorchSharp.Modules.Hardswish))]
    [InlineData("mish", typeof(ExplicitMish))]
    public void Networks_use_the_chosen_activation_everywhere(string activation, Type module)
    {
        using var net = Space.Build(Config(activation, "off"), new NetworkShape(8, 1, 10, 1));
        var kinds = net.modules().Select(m => m.GetType()).Where(t => t == typeof(TorchSharp.Modules.ReLU) || t == typeof(TorchSharp.Modules.Hardswish) || t == typeof(ExplicitMish) || t == typeof(TorchSharp.Modules.Mish)).Distinct().ToArray();
        Assert.Equal([module], kinds);
        // The parameters do not depend on the activation: the same cell as NB201's network.
        using var nb201 = new Nb201Network(Space.Cell(Config(activation, "off")), new NetworkShape(8, 1, 10, 1));
        Assert.Equal(nb201.parameters().Sum(p => p.numel()), net.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void The_training_evaluator_trains_with_the_configurations_recipe()
    {
        var (train, test) = DatasetReaders.ByName("fashion-mnist");
        train = train.Split(200, 0).First;
        test = test.Split(100, 0).First;
        var evaluator = new TrainingEvaluator<Choices>(Space, train, test, seed: 1, new NetworkShape(4, 1), new TrainingHyperparameters(BatchSize: 50));
        // A learning rate at the grid's top and one at its bottom train differently; TrivialAugment changes the batches.
        var high = evaluator.Evaluate(Config("relu", "off", "1"), new Fidelity(Epochs: 1));
        var low = evaluator.Evaluate(Config("relu", "off", "0.001"), new Fidelity(Epochs: 1));
        var augmented = evaluator.Evaluate(Config("relu", "on", "0.001"), new Fidelity(Epochs: 1));
        Assert.False(high.Failed || low.Failed || augmented.Failed);
        Assert.NotEqual(high[Metrics.TrainLoss], low[Metrics.TrainLoss], 4);
        Assert.NotEqual(low[Metrics.TrainLoss], augmented[Metrics.TrainLoss], 4);
        var again = evaluator.Evaluate(Config("relu", "on", "0.001"), new Fidelity(Epochs: 1));
        Assert.Equal(augmented[Metrics.TrainLoss], again[Metrics.TrainLoss], 5); // seeded augmentation
    }

    [Fact]
    public void Mish_with_owned_scalars_computes_torchsharps_mish()
    {
        NasKit.Runtime.TorchRuntime.EnsureLoaded();
        using var scope = TorchSharp.torch.NewDisposeScope();
        var x = TorchSharp.torch.linspace(-30, 30, 601).requires_grad_(true);
        var y = TorchSharp.torch.linspace(-30, 30, 601).requires_grad_(true);
        var ours = new ExplicitMish().call(x);
        var theirs = TorchSharp.torch.nn.Mish().call(y);
        Assert.True(ours.allclose(theirs, rtol: 1e-5, atol: 1e-6), "values differ");
        ours.sum().backward();
        theirs.sum().backward();
        Assert.True(x.grad!.allclose(y.grad!, rtol: 1e-4, atol: 1e-5), "gradients differ");
    }
}
