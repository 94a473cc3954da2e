using NasKit.Networks;
using NasKit.SearchSpaces.NasNet;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.NasNet;

public class NasNetTests
{
    private static long Parameters(nn.Module m) => m.parameters().Sum(p => p.numel());

    [Theory]
    // The parameter count of TF-slim's build_nasnet_cifar (nets/nasnet/nasnet.py, NasNetANormalCell/ReductionCell) without
    // its auxiliary head, counted layer by layer from that code; at F=32, N=6 the paper reports 3.3M for "NASNet-A (6 @ 768)".
    [InlineData(32, 6, 3_346_538)]
    [InlineData(16, 2, 363_194)]
    [InlineData(8, 1, 72_370)]
    public void NasNetA_has_the_reference_parameter_count(int filters, int cells, long expected)
    {
        using var net = new NasNetNetwork(NasNetGenotype.NasNetA, new NetworkShape(filters, cells));
        Assert.Equal(expected, Parameters(net));
    }

    [Fact]
    public void NasNetA_and_sampled_genotypes_classify_a_batch()
    {
        var space = new NasNetSpace();
        var rng = new Random(3);
        using var x = randn(2, 3, 32, 32);
        foreach (var g in new[] { NasNetGenotype.NasNetA }.Concat(Enumerable.Range(0, 12).Select(_ => space.Sample(rng))))
        {
            using var scope = NewDisposeScope();
            using var net = space.Build(g, new NetworkShape(4, 1));
            net.eval();
            var y = net.call(x);
            Assert.Equal(new long[] { 2, 10 }, y.shape);
            Assert.False(y.isnan().any().item<bool>(), g.ToText());
        }
    }

    [Fact]
    public void The_text_form_round_trips_and_says_what_is_wrong()
    {
        var space = new NasNetSpace();
        var rng = new Random(1);
        for (int i = 0; i < 50; i++)
        {
            var g = space.Sample(rng);
            Assert.Equal(g, space.Parse(g.ToText()));
            Assert.Equal(g, space.Create(space.ToDecisions(g)));
            Assert.NotEqual(g, space.Mutate(g, rng));
        }
        Assert.Equal(NasNetGenotype.NasNetA, NasNetGenotype.Parse(NasNetGenotype.NasNetA.ToText()));
        Assert.Equal([1, 2, 3, 4, 5, 6], NasNetGenotype.NasNetA.Normal.Concat);
        Assert.Equal([3, 4, 5, 6], NasNetGenotype.NasNetA.Reduce.Concat);
        var bad = NasNetGenotype.NasNetA.ToText();
        Assert.Contains("reads hidden state 4; it can read 0..2", Assert.Throws<ArchitectureFormatException>(() =>
            NasNetGenotype.Parse(bad.Replace("sep_conv_5x5~1 + sep_conv_3x3~1 |", "sep_conv_5x5~4 + sep_conv_3x3~1 |"))).Message);
        Assert.Contains("is not op~input with an op of identity", Assert.Throws<ArchitectureFormatException>(() =>
            NasNetGenotype.Parse(bad.Replace("sep_conv_5x5~0", "sep_conv_9x9~0"))).Message);
        Assert.Contains("5 combinations", Assert.Throws<ArchitectureFormatException>(() => NasNetGenotype.Parse("normal: identity~0 + identity~1; reduce: identity~0 + identity~1")).Message);
        Assert.Contains("'normal: ...; reduce: ...'", Assert.Throws<ArchitectureFormatException>(() => NasNetGenotype.Parse("sep_conv_3x3~0")).Message);
    }

    [Fact]
    public void A_searched_cell_outputs_the_combinations_no_later_one_reads()
    {
        var space = new NasNetSpace();
        var g = space.Sample(new Random(7));
        foreach (var cell in new[] { g.Normal, g.Reduce })
        {
            var read = cell.Combinations.SelectMany(c => new[] { c.LeftInput, c.RightInput }).ToHashSet();
            Assert.Equal(Enumerable.Range(2, 5).Where(s => !read.Contains(s)), cell.Concat);
        }
        Assert.Equal(40, space.Decisions.Count);
        Assert.Equal(13, NasNetGenotype.OpNames.Count);
    }
}
