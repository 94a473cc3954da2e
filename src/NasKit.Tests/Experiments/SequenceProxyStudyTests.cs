using NasKit.Data;
using NasKit.Estimation;
using NasKit.Estimation.ZeroCost;
using NasKit.Experiments;
using NasKit.SearchSpaces.Transformer;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Tests.Experiments;

public class SequenceProxyStudyTests
{
    [Fact]
    public void Correlations_are_taken_against_the_negative_loss_without_diverged_models()
    {
        static SequenceProxyRow Row(double loss, double size) => new("a", loss, loss, 1, new Dictionary<string, double> { ["size"] = size, ["noise"] = size % 2 });
        var rows = new[] { Row(2.0, 4), Row(2.5, 3), Row(3.0, 2), Row(3.5, 1), Row(double.NaN, 9) };
        var c = SequenceProxyStudy<Choices>.Correlate(rows).Single(x => x.Predictor == "size");
        Assert.Equal((1.0, 1.0, 4), (c.KendallTau, c.Spearman, c.Models)); // bigger predicted lower loss: perfect
        Assert.Contains("at least 3", Assert.Throws<ArgumentException>(() => SequenceProxyStudy<Choices>.Correlate(rows[..2])).Message);
    }

    [Fact]
    public void Every_applicable_proxy_scores_a_Transformer_finitely()
    {
        var space = new DecoderSpace();
        var corpus = CharCorpus.TinyShakespeare();
        var arch = (Choices)space.Parse("layers=2, width=64, attention=local, window=8, position=alibi, dropout=0, l1.heads=2, l1.mlp=2, l2.heads=4, l2.mlp=1");
        using var scope = NewDisposeScope();
        var input = SequenceProxyInput.Create(space, arch, corpus, batch: 8, context: 32, seed: 1, CPU);
        foreach (var name in SequenceProxyInput.Applicable)
        {
            double score = NasKit.Catalogs.Catalog<IZeroCostProxy>.Get(name).Score(input);
            Assert.True(double.IsFinite(score) && score != 0, $"{name} gave {score}");
        }
        // Scored twice, the same network gives the same score (seeded batch and initialisation).
        Assert.Equal(new Snip().Score(input), new Snip().Score(SequenceProxyInput.Create(space, arch, corpus, 8, 32, 1, CPU)));
    }
}
