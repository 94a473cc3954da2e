using NasKit.Data;
using NasKit.Estimation;
using NasKit.Networks;
using NasKit.SearchSpaces.TextClassification;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.TextClassification;

public class SentenceClassifierTests
{
    private readonly SentenceClassifierSpace _space = new();

    [Fact]
    public void Kims_cnn_has_the_papers_size()
    {
        // Kim (2014): 300-wide embeddings, 100 maps of widths 3, 4, 5 over them, a linear layer on the 300 max-pooled features.
        const int vocabulary = 8765, classes = 6;
        long expected = vocabulary * 300L + (300 * 100 * (3 + 4 + 5) + 300) + (300 * classes + classes);
        Assert.Equal(expected, _space.Parameters(_space.KimCnn, vocabulary, classes));
        using var model = _space.Build(_space.KimCnn, vocabulary, classes, 0);
        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
        Assert.Equal(_space.KimCnn, _space.Parse(_space.KimCnn.ToText()));
    }

    [Fact]
    public void Parameter_counts_match_the_built_networks_across_the_space()
    {
        var rng = new Random(5);
        var ops = new HashSet<string>();
        for (int i = 0; i < 60; i++)
        {
            using var scope = NewDisposeScope();
            var arch = _space.Sample(rng);
            for (int l = 1; l <= (int)arch.Number("layers"); l++) ops.Add(arch[$"l{l}.op"]! + arch[$"l{l}.skip"]);
            using var model = _space.Build(arch, 50, 3, i);
            Assert.Equal(_space.Parameters(arch, 50, 3), model.parameters().Sum(p => p.numel()));
            var logits = model.forward(tensor(new long[] { 0, 0, 4, 9, 3, 0, 0, 0, 0, 7, 0, 0 }, [2, 6]));
            Assert.Equal([2L, 3], logits.shape);
            Assert.True(logits.isfinite().all().item<bool>(), arch.ToText());
            Assert.Equal(arch, _space.Parse(arch.ToText()));
        }
        Assert.True(ops.Count >= 15, $"the sample covered only {ops.Count} op/skip pairs");
    }

    [Fact]
    public void The_space_counts_its_conditional_layers()
    {
        long perLayer = 9 * 2; // 9 operations x residual or not
        long layers = Enumerable.Range(1, SentenceClassifierSpace.MaxLayers).Sum(d => (long)Math.Pow(perLayer, d));
        Assert.Equal(layers * 5 * 5 * 2 * 2, _space.Count);
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse("layers=1, embed=300, width=100, readout=max, dropout=0.5, l1.op=conv345, l1.skip=none"));
        Assert.Contains("width", e.Message);
        e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse("layers=1, embed=300, width=300, readout=max, dropout=0.5, l1.op=lstm, l1.skip=none"));
        Assert.Contains("l1.op", e.Message);
    }

    [Fact]
    public void Constraints_bound_the_output_rows_and_zero_the_padding_embedding()
    {
        using var scope = NewDisposeScope();
        var model = (SentenceClassifier)_space.Build(_space.KimCnn, 20, 3, 1);
        var output = model.named_parameters().Single(p => p.name == "output.weight").parameter;
        var embedding = model.named_parameters().Single(p => p.name == "embedding.weight").parameter;
        using (no_grad())
        {
            output[0].fill_(1.0);  // norm sqrt(300) > 3: scaled to 3
            output[1].fill_(0.1);  // norm 1.73: unchanged
            embedding[0].fill_(0.5);
        }
        model.ApplyConstraints();
        Assert.Equal(3.0, output[0].norm().item<float>(), 4);
        Assert.Equal(Math.Sqrt(300) * 0.1, output[1].norm().item<float>(), 4);
        Assert.Equal(0.0, embedding[0].abs().sum().item<float>());
    }

    [Fact]
    public void Training_learns_a_keyword_task_and_reports_the_best_development_epoch()
    {
        // Class = whether the sentence holds word 3 ("good"), anywhere among filler words: a max-over-time CNN learns it.
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var rng = new Random(0);
            string[] filler = ["the", "a", "film", "is", "was", "plot", "it", "very", "and", "of"];
            string Sentence(bool good)
            {
                var words = Enumerable.Range(0, rng.Next(3, 9)).Select(_ => filler[rng.Next(filler.Length)]).ToList();
                if (good) words.Insert(rng.Next(words.Count + 1), "good");
                return (good ? "1 " : "0 ") + string.Join(' ', words);
            }
            string train = Path.Combine(dir.FullName, "train"), test = Path.Combine(dir.FullName, "test");
            File.WriteAllLines(train, Enumerable.Range(0, 400).Select(i => Sentence(i % 2 == 0)));
            File.WriteAllLines(test, Enumerable.Range(0, 100).Select(i => Sentence(i % 2 == 0)));
            var task = SentenceTask.Read("keyword", SentenceTask.CleanKim, train, null, test, 2);
            var arch = (Choices)_space.Parse("layers=1, embed=64, width=48, readout=max, dropout=0.3, l1.op=conv345, l1.skip=none");
            var evaluator = new SentenceClassifierEvaluator<Choices>(_space, task, SentenceClassifierRecipe.Kim with { Epochs = 6 }, seed: 0);
            var e = evaluator.Evaluate(arch, new NasKit.Estimation.Fidelity(Epochs: 6));
            Assert.False(e.Failed, e.Reason);
            Assert.True(e.Metrics[Metrics.TestAccuracy] >= 95, $"test accuracy {e.Metrics[Metrics.TestAccuracy]}");
            Assert.Equal(6, e.Curves![Metrics.ValidAccuracy].Count);
            Assert.Equal(e.Curves[Metrics.ValidAccuracy].Max(), e.Metrics[Metrics.ValidAccuracy]);

            var budgeted = new SentenceClassifierEvaluator<Choices>(_space, task, SentenceClassifierRecipe.Kim, seed: 0, maxParameters: 1000);
            var over = budgeted.Evaluate(arch, new NasKit.Estimation.Fidelity(Epochs: 6));
            Assert.True(over.Failed);
            Assert.Contains("exceed the budget of 1,000", over.Reason);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void The_textcls_descriptor_builds_a_budgeted_evaluator_and_refuses_what_it_cannot_read()
    {
        var evaluator = new EvaluatorDescriptor("textcls", new Dictionary<string, string> { ["data"] = "trec", ["max-params"] = "100000" }).Create(_space);
        var budgeted = Assert.IsType<SentenceClassifierEvaluator<Choices>>(evaluator);
        Assert.Equal(100_000, budgeted.MaxParameters);
        var refused = budgeted.Evaluate(_space.KimCnn, new NasKit.Estimation.Fidelity(Epochs: 1));
        Assert.True(refused.Failed);
        Assert.Contains("2,991,606 parameters exceed", refused.Reason);
        Assert.Contains("not a sentence classification task", Assert.Throws<FormatException>(() =>
            new EvaluatorDescriptor("textcls", new Dictionary<string, string> { ["data"] = "imdb" }).Create(_space)).Message);
        Assert.Contains("has no argument", Assert.Throws<FormatException>(() =>
            new EvaluatorDescriptor("textcls", new Dictionary<string, string> { ["epochs"] = "3" }).Create(_space)).Message);
    }
}
