using NasKit.Data;
using NasKit.Estimation;
using NasKit.Networks;
using NasKit.SearchSpaces.KeywordSpotting;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.KeywordSpotting;

public class KwsTests
{
    private static readonly FeatureMapShape Mfcc = new(49, 10);
    private readonly KwsSpace _space = new();

    [Fact]
    public void Ds_cnn_s_has_the_reference_models_size_and_cost()
    {
        // ML-KWS-for-MCU create_ds_cnn_model, model_size_info 5 64 10 4 2 2 64 3 3 1 1 (x4), slim layers: every
        // convolution has a bias, every batch norm a shift only (center=True, scale=False).
        long stem = 10 * 4 * 64 + 64 + 64;
        long ds = (3 * 3 * 64 + 64 + 64) + (64 * 64 + 64 + 64);
        long fc = 64 * 10 + 10;
        Assert.Equal(stem + 4 * ds + fc, _space.Parameters(_space.DsCnnSmall, Mfcc, 10));
        Assert.Equal(23_050, stem + 4 * ds + fc);
        using var model = _space.Build(_space.DsCnnSmall, Mfcc, 10, 0);
        Assert.Equal(23_050, model.parameters().Sum(p => p.numel()));
        // SAME padding, stride 2: 49x10 -> 25x5. Hello Edge reports 5.4 M operations (2 per multiply-accumulate, 12 classes).
        long macs = 25 * 5 * 64 * 40 + 4 * (25 * 5 * 64 * 9 + 25 * 5 * 64 * 64) + 64 * 10;
        Assert.Equal(macs, _space.MultiplyAccumulates(_space.DsCnnSmall, Mfcc, 10));
        Assert.InRange(2 * (macs + 64 * 2) / 1e6, 5.2, 5.4);
    }

    [Fact]
    public void Costs_match_the_built_networks_across_the_space()
    {
        var rng = new Random(11);
        var kinds = new HashSet<string>();
        for (int i = 0; i < 60; i++)
        {
            using var scope = NewDisposeScope();
            var arch = _space.Sample(rng);
            var config = _space.Configure(arch, Mfcc, 10);
            foreach (var b in config.Blocks) kinds.Add($"{b.Convolution}{b.Stride}{b.MaxPool}");
            using var model = _space.Build(arch, Mfcc, 10, i);
            Assert.Equal(_space.Parameters(arch, Mfcc, 10), model.parameters().Sum(p => p.numel()));
            var x = randn(3, 1, 49, 10);
            var logits = model.forward(x);
            Assert.Equal([3L, 10], logits.shape);
            Assert.True(logits.isfinite().all().item<bool>(), arch.ToText());
            Assert.Equal(arch, _space.Parse(arch.ToText()));
        }
        Assert.True(kinds.Count >= 7, $"the sample covered only {kinds.Count} layer kinds");
    }

    [Fact]
    public void Same_padding_gives_the_shapes_the_costs_assume()
    {
        // Shapes() drives the multiply-accumulate count; a network whose layers produce other shapes would be mis-costed.
        var arch = (Choices)_space.Parse("stem.kernel=5x3, stem.stride=2x1, stem.width=16, layers=3, " +
            "l1.op=conv, l1.kernel=5, l1.stride=2, l1.width=24, l1.pool=max, l2.op=dsconv, l2.kernel=3, l2.stride=2, l2.width=32, l2.pool=max, " +
            "l3.op=dsconv, l3.kernel=3, l3.stride=1, l3.width=16, l3.pool=none");
        var config = _space.Configure(arch, Mfcc, 10);
        Assert.Equal([(25, 10, 16), (7, 3, 24), (2, 1, 32), (2, 1, 16)], config.Shapes());
        // 49 -> 25 (stride 2) -> 13 (stride 2) -> 7 (pool) -> 4 (stride 2) -> 2 (pool); 10 -> 10 -> 5 -> 3 -> 2 -> 1.
        using var model = (KwsNetwork)_space.Build(arch, Mfcc, 10, 0);
        var seen = new List<long[]>();
        using var x = randn(1, 1, 49, 10);
        var h = x;
        foreach (var layer in model.children().OfType<TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>>>().Single())
        {
            h = layer.call(h);
            seen.Add(h.shape);
        }
        Assert.Equal([1L, 16, 25, 10], seen[0]);
        Assert.Equal([1L, 16, 2, 1], seen[^1]);
        Assert.Contains(seen, s => s.SequenceEqual(new long[] { 1, 24, 7, 3 }));
    }

    [Fact]
    public void Training_is_deterministic_and_learns()
    {
        var task = SpokenDigitTasks.Load(SpokenDigitSplit.Official, AudioFeatureSettings.HelloEdge);
        var arch = (Choices)_space.Parse("stem.kernel=10x4, stem.stride=2x2, stem.width=16, layers=1, l1.op=dsconv, l1.kernel=3, l1.stride=1, l1.width=16, l1.pool=none");
        var recipe = KeywordSpottingRecipe.HelloEdge with { Epochs = 3, LearningRates = [3e-3] };
        KwsResult Run()
        {
            using var model = _space.Build(arch, Mfcc, 10, 4);
            return KeywordSpottingTraining.Train(model, task, recipe, 4, CPU);
        }
        var a = Run();
        var b = Run();
        Assert.Null(a.Failure);
        Assert.Equal(a.Curve.Select(e => e.TrainLoss), b.Curve.Select(e => e.TrainLoss));
        Assert.Equal(a.TestAccuracy, b.TestAccuracy);
        Assert.True(a.Curve[^1].TrainLoss < a.Curve[0].TrainLoss, "the training loss did not fall");
        Assert.True(a.Curve.Max(e => e.DevAccuracy) > 30, $"development accuracy {a.Curve.Max(e => e.DevAccuracy)}% after 3 epochs (chance is 10%)");
        Assert.Equal(6, a.TestBySpeaker.Count);
        Assert.Equal(a.TestAccuracy, a.TestBySpeaker.Values.Average(), 1e-9); // 50 test recordings per speaker
    }

    /// <summary>Stops a trial after <paramref name="epochs"/> reports, as a stopping rule would.</summary>
    private sealed class StopAfter(int epochs) : TrialContext
    {
        public List<IReadOnlyDictionary<string, double>> Reports { get; } = [];
        public override bool Report(int step, IReadOnlyDictionary<string, double> metrics) { Reports.Add(metrics); return Reports.Count < epochs; }
    }

    [Fact]
    public void The_evaluator_reports_the_selected_epoch_its_costs_and_where_a_stopping_rule_ended_it()
    {
        var task = SpokenDigitTasks.Load(SpokenDigitSplit.Official, AudioFeatureSettings.HelloEdge);
        var arch = (Choices)_space.Parse("stem.kernel=10x4, stem.stride=2x2, stem.width=16, layers=1, l1.op=dsconv, l1.kernel=3, l1.stride=1, l1.width=16, l1.pool=none");
        var evaluator = new KeywordSpottingEvaluator<Choices>(_space, task, KeywordSpottingRecipe.HelloEdge with { LearningRates = [3e-3] }, 0, device: CPU);
        var context = new StopAfter(2);
        var e = evaluator.Evaluate(arch, new Fidelity(Epochs: 3), context);
        Assert.False(e.Failed, e.Reason);
        Assert.Equal(2, e.StoppedAt);
        var curve = e.Curves![Metrics.ValidAccuracy];
        Assert.Equal(context.Reports.Select(r => r[Metrics.ValidAccuracy]), curve);
        Assert.Equal(curve.Max(), e[Metrics.ValidAccuracy]);
        Assert.InRange(e[Metrics.TestAccuracy], 0, 100);
        Assert.Equal(context.Reports[^1][Metrics.TrainLoss], e[Metrics.TrainLoss]);
        Assert.Equal(_space.Parameters(arch, evaluator.Input, 10) / 1e6, e[Metrics.Parameters], 12);
        Assert.Equal(_space.MultiplyAccumulates(arch, evaluator.Input, 10) / 1e6, e[Metrics.Flops], 12);
        Assert.True(e[Metrics.CpuLatency] > 0);
        Assert.Equal(e.CostSeconds, e[Metrics.WallSeconds]);
    }

    [Fact]
    public void The_evaluator_refuses_architectures_over_budget_without_training()
    {
        var task = SpokenDigitTasks.Load(SpokenDigitSplit.Official, AudioFeatureSettings.HelloEdge);
        var byParams = new KeywordSpottingEvaluator<Choices>(_space, task, KeywordSpottingRecipe.HelloEdge, 0, maxParameters: 20_000);
        var e = byParams.Evaluate(_space.DsCnnSmall, new Fidelity(Epochs: 1));
        Assert.True(e.Failed);
        Assert.Contains("23,050 parameters exceed the budget of 20,000", e.Reason);
        var byLatency = new KeywordSpottingEvaluator<Choices>(_space, task, KeywordSpottingRecipe.HelloEdge, 0, maxLatencyMs: 1e-6);
        var l = byLatency.Evaluate(_space.DsCnnSmall, new Fidelity(Epochs: 1));
        Assert.True(l.Failed);
        Assert.Contains("exceeds the budget", l.Reason);
    }
}
