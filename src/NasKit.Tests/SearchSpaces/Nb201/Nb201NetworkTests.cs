using NasKit.Hardware;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.SearchSpaces.Nb201;
using TorchSharp;

namespace NasKit.Tests.SearchSpaces.Nb201;

public class Nb201NetworkTests
{
    public Nb201NetworkTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Built_networks_have_the_analytic_parameter_count_for_any_shape()
    {
        var rng = new Random(5);
        var space = new Nb201Space();
        foreach (var shape in new[] { new NetworkShape(), new NetworkShape(8, 1, 100), new NetworkShape(24, 2, 120, 1) })
            for (int i = 0; i < 15; i++)
            {
                var cell = space.Sample(rng);
                using var net = space.Build(cell, shape);
                Assert.Equal(Nb201CostModel.Parameters(cell, shape), net.ParameterCount());
            }
    }

    [Fact]
    public void Parameter_count_equals_the_table_except_for_exactly_the_documented_quirk_rows()
    {
        var bench = TestData.Nb201;
        var mismatches = new List<int>();
        for (int i = 0; i < bench.Cells.Count; i++)
        {
            long analytic = Nb201CostModel.Parameters(bench.CellAt(i), Nb201Network.Cifar10Shape);
            if (Math.Abs(bench.ParamsMb(bench.CellAt(i)) * 1e6 - analytic) >= 0.5) mismatches.Add(i);
        }
        Assert.Equal(15_421, bench.Cells.Count - mismatches.Count);
        Assert.Equal(TestData.ParamsQuirkIndices, mismatches);
    }

    [Fact]
    public void Built_networks_match_the_table_on_a_sample_of_sound_rows()
    {
        var bench = TestData.Nb201;
        var quirk = TestData.ParamsQuirkIndices.ToHashSet();
        var rng = new Random(2);
        for (int k = 0; k < 40; k++)
        {
            int i = rng.Next(bench.Cells.Count);
            if (quirk.Contains(i)) continue;
            using var net = new Nb201Network(bench.CellAt(i), Nb201Network.Cifar10Shape);
            Assert.Equal((long)Math.Round(bench.ParamsMb(bench.CellAt(i)) * 1e6), net.ParameterCount());
        }
    }

    [Fact]
    public void Forward_gives_logits_and_a_disconnected_cell_still_trains_its_head()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(4, 3, 32, 32, generator: new torch.Generator(1));
        using var net = new Nb201Network(Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"), new NetworkShape(8, 1));
        var y = net.forward(x);
        Assert.Equal(new long[] { 4, 10 }, y.shape);
        Assert.False(y.isnan().any().item<bool>());

        using var dead = new Nb201Network(Nb201Cell.FromCode(0), new NetworkShape(8, 1)); // all edges none
        var z = dead.forward(x);
        Assert.Equal(new long[] { 4, 10 }, z.shape);
        z.sum().backward();
    }

    [Fact]
    public void Flops_of_the_all_conv3x3_cell_are_the_largest_and_the_all_none_cell_the_smallest()
    {
        var all = Enumerable.Range(0, Nb201Cell.SpaceSize).Select(Nb201Cell.FromCode).ToArray();
        var flops = all.Select(c => Nb201CostModel.Flops(c, Nb201Network.Cifar10Shape)).ToArray();
        var conv3 = new Nb201Cell(Enumerable.Repeat(Nb201Op.NorConv3x3, 6).ToArray());
        Assert.Equal(flops.Max(), Nb201CostModel.Flops(conv3, Nb201Network.Cifar10Shape));
        Assert.Equal(flops.Min(), Nb201CostModel.Flops(Nb201Cell.FromCode(0), Nb201Network.Cifar10Shape));
        // Halving the resolution quarters every spatial term.
        Assert.True(Nb201CostModel.Flops(conv3, Nb201Network.Cifar10Shape, 16) < Nb201CostModel.Flops(conv3, Nb201Network.Cifar10Shape) / 3.9);
    }
}
