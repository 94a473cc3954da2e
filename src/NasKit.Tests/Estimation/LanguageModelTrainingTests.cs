using NasKit.Data;
using NasKit.Estimation;
using NasKit.Networks;
using NasKit.SearchSpaces.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Tests.Estimation;

public class LanguageModelTrainingTests
{
    [Fact]
    public void Tiny_Shakespeare_splits_as_nanoGPTs_prepare_script()
    {
        // data/shakespeare_char/prepare.py prints: vocab size 65, train has 1,003,854 tokens, val has 111,540 tokens.
        var corpus = CharCorpus.TinyShakespeare();
        Assert.Equal(65, corpus.VocabularySize);
        Assert.Equal(1_003_854, corpus.Train.Length);
        Assert.Equal(111_540, corpus.Valid.Length);
        Assert.Equal("First Citizen:", corpus.Decode(corpus.Train.Take(14)));
        Assert.Equal('\n', corpus.Vocabulary[0]);
        var (x, y) = corpus.Batch(valid: true, 3, 16, new Random(1));
        Assert.Equal([3L, 16], x.shape);
        Assert.True(x[.., 1..].eq(y[.., ..15]).all().item<bool>(), "targets are the inputs shifted by one token");
        Assert.Contains("not in corpus", Assert.Throws<ArgumentException>(() => corpus.Encode("naïve")).Message);
    }

    [Theory]
    [InlineData(0, 1e-3 / 101)]
    [InlineData(99, 1e-3 * 100 / 101)]
    [InlineData(100, 1e-3)]
    [InlineData(1050, 5.5e-4)]      // half-way through the cosine: min + (max - min)/2
    [InlineData(2000, 1e-4)]
    [InlineData(2500, 1e-4)]
    public void The_learning_rate_follows_nanoGPTs_get_lr(int iteration, double expected) =>
        Assert.Equal(expected, LanguageModelRecipe.NanoGptShakespeareCpu.LearningRateAt(iteration), 12);

    [Fact]
    public void Clipping_matches_torchs_clip_grad_norm()
    {
        using var scope = NewDisposeScope();
        var a = nn.Linear(6, 4);
        var x = randn(3, 6, generator: new Generator(2));
        a.forward(x).square().sum().mul(10).backward();
        var copies = a.parameters().Select(p => p.grad!.clone()).ToArray();
        double norm = GradientClipping.ClipNorm(a.parameters(), 0.5);
        double expected = Math.Sqrt(copies.Sum(g => g.square().sum().item<float>()));
        Assert.Equal(expected, norm, 1e-3);
        Assert.True(norm > 0.5);
        double after = Math.Sqrt(a.parameters().Sum(p => p.grad!.square().sum().item<float>()));
        Assert.Equal(0.5, after, 1e-4);
    }

    [Fact]
    public void A_short_training_run_learns_and_is_reproducible()
    {
        var corpus = CharCorpus.TinyShakespeare();
        var space = new DecoderSpace();
        var arch = space.Parse("layers=1, width=64, attention=full, position=rotary, dropout=0, l1.heads=2, l1.mlp=2");
        var recipe = new LanguageModelRecipe(Iterations: 40, BatchSize: 8, Context: 32, WarmupIterations: 5, EvalInterval: 20, EvalIterations: 4, FinalEvalIterations: 8);
        LanguageModelResult Run(int seed)
        {
            using var net = space.Build(arch, corpus.VocabularySize, 32, seed);
            return LanguageModelTraining.Train(net, corpus, recipe, seed, CPU);
        }
        var first = Run(3);
        Assert.Null(first.Failure);
        Assert.Equal([0, 20, 40], first.Curve.Select(p => p.Iteration));
        Assert.True(first.Curve[0].ValidLoss > 4.0, "an untrained model predicts about uniformly: ln 65 = 4.17 nats");
        Assert.True(first.ValidLoss < first.Curve[0].ValidLoss - 0.5, $"40 iterations must lower the loss; went from {first.Curve[0].ValidLoss} to {first.ValidLoss}");
        Assert.Equal(first.ValidLoss, Run(3).ValidLoss);
        Assert.NotEqual(first.ValidLoss, Run(4).ValidLoss);
    }

    [Fact]
    public void The_lm_evaluator_reports_loss_and_stops_when_told()
    {
        var space = new DecoderSpace();
        var evaluator = new EvaluatorDescriptor("lm", new Dictionary<string, string> { ["batch"] = "4", ["context"] = "16", ["steps-per-epoch"] = "5", ["warmup"] = "2" }).Create(space);
        var arch = space.Parse("layers=1, width=64, attention=multiquery, position=alibi, dropout=0.1, l1.heads=4, l1.mlp=1");
        var stopAfterOne = new StopAt(1);
        var e = evaluator.Evaluate(arch, new Fidelity(Epochs: 3), stopAfterOne);
        Assert.False(e.Failed, e.Reason);
        Assert.Equal(1, e.StoppedAt);
        Assert.Equal(Math.Exp(e[Metrics.ValidLoss]), e[Metrics.ValidPerplexity], 9);
        Assert.Equal(space.Parameters(arch, 65, 16) / 1e6, e[Metrics.Parameters], 9);
        Assert.Contains("has no argument", Assert.Throws<FormatException>(() =>
            new EvaluatorDescriptor("lm", new Dictionary<string, string> { ["epochs"] = "3" }).Create(space)).Message);
    }

    private sealed class StopAt(int epoch) : TrialContext
    {
        public override bool Report(int step, IReadOnlyDictionary<string, double> metrics) => step < epoch;
    }
}
