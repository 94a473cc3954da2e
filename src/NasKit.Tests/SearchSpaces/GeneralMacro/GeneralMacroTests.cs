using NasKit.Networks;
using NasKit.SearchSpaces.GeneralMacro;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.GeneralMacro;

public class GeneralMacroTests
{
    [Fact]
    public void The_space_counts_only_the_decisions_each_depth_leaves()
    {
        var space = new GeneralMacroSpace();
        // Per stage: 3 widths x sum over depth d of (8 types x 2 skips)^d.
        long perStage = 3 * (16L + 16 * 16 + 16 * 16 * 16 + 16 * 16 * 16 * 16);
        Assert.Equal(perStage * perStage * perStage, space.Count);
    }

    [Fact]
    public void Depth_removes_and_adds_layer_decisions()
    {
        var space = new GeneralMacroSpace();
        var shallow = space.Parse("s1.depth=1, s1.width=16, s1.l1.type=conv3x3, s1.l1.skip=none, s2.depth=2, s2.width=32, s2.l1.type=sep3x3, s2.l1.skip=residual, " +
                                  "s2.l2.type=identity, s2.l2.skip=none, s3.depth=1, s3.width=128, s3.l1.type=mb5x5e6, s3.l1.skip=residual");
        Assert.Null(shallow["s1.l2.type"]);
        Assert.Equal(4, space.Layers(shallow, space.ReferenceShape).Count);
        Assert.Equal([1, 2, 1, 2], space.Layers(shallow, space.ReferenceShape).Select(l => l.Stride));
        // Every neighbour that deepens a stage brings exactly that stage's new layer's decisions into existence.
        foreach (var n in space.Neighbours(shallow))
        {
            int layers = space.Layers(n, space.ReferenceShape).Count;
            Assert.InRange(layers, 3, 5); // a neighbour removes or adds one layer, or changes one
            Assert.Equal(n, space.Parse(n.ToText()));
        }
        Assert.Contains(space.Neighbours(shallow), n => n["s1.l2.type"] is not null);
    }

    [Fact]
    public void Sampled_networks_classify_a_batch_and_differ_in_size()
    {
        var space = new GeneralMacroSpace();
        var rng = new Random(2);
        var shape = new NetworkShape(Channels: 8, CellsPerStage: 1);
        var sizes = new HashSet<long>();
        using var x = randn(2, 3, 32, 32);
        for (int i = 0; i < 25; i++)
        {
            var arch = space.Sample(rng);
            using var scope = NewDisposeScope();
            using var net = space.Build(arch, shape);
            net.eval();
            var y = net.call(x);
            Assert.Equal(new long[] { 2, 10 }, y.shape);
            sizes.Add(net.parameters().Sum(p => p.numel()));
            var layers = space.Layers(arch, shape);
            Assert.Equal(2, layers.Count(l => l.Stride == 2)); // one down-sampling at the start of stages 2 and 3
            Assert.All(layers.Zip(layers.Skip(1)), p => Assert.Equal(p.First.OutputChannels, p.Second.InputChannels));
        }
        Assert.True(sizes.Count > 20);
    }

    [Fact]
    public void A_residual_identity_layer_adds_no_parameters_and_a_projected_one_does()
    {
        var space = new GeneralMacroSpace();
        string Arch(string skip) => $"s1.depth=1, s1.width=16, s1.l1.type=identity, s1.l1.skip={skip}, s2.depth=1, s2.width=32, s2.l1.type=identity, s2.l1.skip={skip}, " +
                                    $"s3.depth=1, s3.width=64, s3.l1.type=identity, s3.l1.skip=none";
        long Count(string skip) { using var net = space.Build(space.Parse(Arch(skip)), space.ReferenceShape); return net.parameters().Sum(p => p.numel()); }
        // s1: 16->16 identity (no params either way); s2: 16->32 at stride 2, a 1x1 projection (512 + BN 64): doubled by the residual's own projection.
        Assert.Equal(Count("none") + 16 * 32 + 2 * 32, Count("residual"));
    }
}
