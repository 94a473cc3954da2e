using NasKit.Networks;
using NasKit.SearchSpaces.Nb201;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.Nb201;

public class Nb201SuperNetworkTests
{
    private static readonly Nb201Cell Cell = Nb201Cell.Parse("|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");

    [Fact]
    public void A_subnet_with_inherited_weights_computes_what_its_path_through_the_supernet_computes()
    {
        using var scope = NewDisposeScope();
        var super = new Nb201SuperNetwork(new NetworkShape(4, 2));
        SeededInitialization.Apply(super, 5);
        var g = new Generator(1);
        var x = randn(new long[] { 6, 3, 16, 16 }, generator: g);
        super.train();
        for (int i = 0; i < 3; i++) super.Forward(randn(new long[] { 6, 3, 16, 16 }, generator: g), Cell); // moves the path's BN statistics
        super.eval();
        using var subnet = super.Subnet(Cell);
        subnet.eval();
        var viaSupernet = super.Forward(x, Cell);
        var standalone = subnet.call(x);
        Assert.True(viaSupernet.allclose(standalone, rtol: 1e-5, atol: 1e-6), $"max difference {(viaSupernet - standalone).abs().max().item<float>()}");

        // Training the subnet does not touch the supernet: the weights were copied, not aliased.
        var before = super.Forward(x, Cell).clone();
        using (no_grad()) foreach (var p in subnet.parameters()) p.add_(1.0);
        Assert.True(super.Forward(x, Cell).allclose(before, rtol: 0, atol: 0));
    }

    [Fact]
    public void One_hot_edge_weights_give_the_same_logits_as_the_single_path()
    {
        using var scope = NewDisposeScope();
        var super = new Nb201SuperNetwork(new NetworkShape(4, 1));
        SeededInitialization.Apply(super, 2);
        super.train(); // batch statistics: a zero-weighted op adds exact zeros
        var cell = Nb201Cell.Parse("|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|");
        var weights = zeros(Nb201Cell.EdgeCount, Nb201Ops.Count);
        for (int e = 0; e < Nb201Cell.EdgeCount; e++) weights[e, (int)cell[e]] = tensor(1f);
        var x = randn(new long[] { 4, 3, 16, 16 }, generator: new Generator(3));
        Assert.True(super.Forward(x, weights).allclose(super.Forward(x, cell), rtol: 1e-5, atol: 1e-6));
        Assert.True(super.ForwardSampled(x, weights).allclose(super.Forward(x, cell), rtol: 1e-5, atol: 1e-6)); // GDAS' one-op forward
        Assert.Throws<ArgumentException>(() => super.Forward(x, zeros(5, 5)));
    }

    [Fact]
    public void All_cells_share_one_set_of_weights()
    {
        using var super = new Nb201SuperNetwork(Nb201Network.Cifar10Shape);
        using var best = new Nb201Network(Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"), Nb201Network.Cifar10Shape);
        // Every cell position holds one 3x3 and one 1x1 conv per edge: the all-3x3 network plus six 1x1 convs per cell.
        long extra = new long[] { 16, 32, 64 }.Sum(c => 5 * 6 * (c * c + 2 * c)); // 5 cells per stage, 6 edges, conv + BN

        Assert.Equal(best.ParameterCount() + extra, super.ParameterCount());
    }
}
