using NasKit.SearchSpaces.Transformer;
using NasKit.Spaces;

namespace NasKit.Tests.SearchSpaces.Transformer;

public class DecoderSpaceTests
{
    private readonly DecoderSpace _space = new();

    [Fact]
    public void The_baseline_reads_back_from_its_text()
    {
        var baseline = _space.NanoGptBaseline;
        Assert.Equal(baseline, _space.Parse(baseline.ToText()));
        Assert.Null(baseline["l5.heads"]);
        Assert.Null(baseline["window"]);
        var config = _space.Configure(baseline, 65, 64);
        Assert.Equal((4, 128, AttentionKind.Full, PositionKind.Learned), (config.Layers.Count, config.Width, config.Attention, config.Position));
        Assert.All(config.Layers, l => Assert.Equal(new DecoderLayerConfig(4, 4), l));
    }

    [Fact]
    public void Depth_decides_which_layer_decisions_exist()
    {
        // Per depth d: 16^d layer choices (4 heads x 4 ratios); attention: full, multiquery, or local with 3 windows.
        long layers = Enumerable.Range(1, DecoderSpace.MaxLayers).Sum(d => (long)Math.Pow(16, d));
        Assert.Equal(layers * 5 * 5 * 5 * 3, _space.Count);
        var rng = new Random(0);
        for (int i = 0; i < 200; i++)
        {
            var a = _space.Sample(rng);
            int depth = (int)a.Number("layers");
            Assert.Equal(depth, Enumerable.Range(1, DecoderSpace.MaxLayers).Count(l => a[$"l{l}.heads"] is not null));
            Assert.Equal(a, _space.Parse(a.ToText()));
            var m = _space.Mutate(a, rng);
            Assert.NotEqual(a, m);
            Assert.InRange((int)m.Number("layers"), depth - 1, depth + 1); // depth is ordinal: one layer more or fewer
        }
    }

    [Fact]
    public void Malformed_text_names_the_problem()
    {
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse("layers=2, width=100, attention=full, position=learned, dropout=0, l1.heads=4, l1.mlp=4, l2.heads=4, l2.mlp=4"));
        Assert.Contains("width", e.Message);
        e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse("layers=1, width=64, attention=local, position=learned, dropout=0, l1.heads=4, l1.mlp=4"));
        Assert.Contains("window", e.Message);
        e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse("layers=1, width=64, attention=full, position=learned, dropout=0, l1.heads=4, l1.mlp=4, l2.heads=4"));
        Assert.Contains("l2.heads", e.Message);
    }
}
