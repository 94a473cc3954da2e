using NasKit.Execution;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.Spaces;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Tests.Estimation;

public class TrainingEvaluatorTests
{
    private static (ImageDataset Train, ImageDataset Test) Tiny()
    {
        var train = DatasetReaders.Cifar10SubsetTrain().Subset(Enumerable.Range(0, 256).ToArray());
        var test = DatasetReaders.Cifar10SubsetTest().Subset(Enumerable.Range(0, 128).ToArray());
        return (train, test);
    }

    [Fact]
    public void Trains_a_small_nb201_network_and_reports_curves_params_and_flops()
    {
        var (train, test) = Tiny();
        var tb = Path.Combine(Path.GetTempPath(), "naskit-tb-" + Guid.NewGuid().ToString("N"));
        var ev = new TrainingEvaluator<Nb201Cell>(new Nb201Space(), train, test, seed: 3, new NetworkShape(8, 1),
            new TrainingHyperparameters(BatchSize: 64)) { TensorBoardDirectory = tb };
        var cell = Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        var e = ev.Evaluate(cell, new Fidelity(Epochs: 2, Resolution: 16));
        Assert.False(e.Failed, e.Reason);
        Assert.Equal(2, e.Curves!["train_loss"].Count);
        Assert.InRange(e["valid_acc"], 0, 100);
        Assert.Equal(Nb201CostModel.Parameters(cell, new NetworkShape(8, 1)) / 1e6, e["params_m"], 9);
        Assert.True(e["flops_m"] > 0);
        Assert.NotEmpty(Directory.GetFiles(tb, "events.out.tfevents*", SearchOption.AllDirectories));
        // Same seed, same result (CPU).
        var again = new TrainingEvaluator<Nb201Cell>(new Nb201Space(), train, test, seed: 3, new NetworkShape(8, 1),
            new TrainingHyperparameters(BatchSize: 64)).Evaluate(cell, new Fidelity(Epochs: 2, Resolution: 16));
        Assert.Equal(e["train_loss"], again["train_loss"], 5);
    }

    /// <summary>A space whose second architecture's network outputs NaN, to drive the divergence path.</summary>
    private sealed class PoisonSpace : ISearchSpace<Nb201Cell>, IBuildableSpace<Nb201Cell>
    {
        private readonly Nb201Space _inner = new();
        public string Name => "poison";
        public Nb201Cell Sample(Random rng) => _inner.Sample(rng);
        public Nb201Cell Parse(string text) => _inner.Parse(text);
        public nn.Module<Tensor, Tensor> Build(Nb201Cell arch, NetworkShape shape) =>
            arch.Code == 0 ? new NaNNet(new Nb201Network(arch, shape)) : new Nb201Network(arch, shape);

        private sealed class NaNNet : nn.Module<Tensor, Tensor>
        {
            private readonly nn.Module<Tensor, Tensor> inner;
            public NaNNet(nn.Module<Tensor, Tensor> net) : base("nan") { inner = net; RegisterComponents(); }
            public override Tensor forward(Tensor x) => inner.forward(x) * double.NaN;
        }
    }

    private sealed class TwoCells(Nb201Cell a, Nb201Cell b) : ArchitectureStrategy<Nb201Cell>
    {
        private int _i;
        protected override Nb201Cell? Propose() => _i++ switch { 0 => a, 1 => b, _ => null };
        protected override void Observe(Nb201Cell arch, Evaluation evaluation) { }
    }

    [Fact]
    public void A_nan_loss_fails_the_trial_with_its_reason_and_the_study_goes_on()
    {
        var (train, test) = Tiny();
        var space = new PoisonSpace();
        var ev = new TrainingEvaluator<Nb201Cell>(space, train, test, seed: 0, new NetworkShape(8, 1), new TrainingHyperparameters(BatchSize: 64));
        var study = new Study<Nb201Cell>(new InMemoryTrialQueue(), new StudySpec("nan", "poison", "two", 0), space, Budget.OfQueries(5),
            new Fidelity(Epochs: 1, Resolution: 16));
        var result = study.Run(new TwoCells(Nb201Cell.FromCode(0), Nb201Cell.FromCode(7)).WithStandardWrappers(), ev);
        Assert.Equal(2, result.Trials.Count);
        Assert.True(result.Trials[0].Evaluation.Failed);
        Assert.Equal("loss became NaN at epoch 1, step 1", result.Trials[0].Evaluation.Reason);
        Assert.False(result.Trials[1].Evaluation.Failed);
    }
}
