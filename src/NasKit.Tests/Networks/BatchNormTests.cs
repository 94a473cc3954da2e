using NasKit.Networks;
using NasKit.SearchSpaces.Darts;
using NasKit.Runtime;
using NasKit.SearchSpaces.Nb201;
using TorchSharp;

namespace NasKit.Tests.Networks;

public class BatchNormTests
{
    [Fact]
    public void No_network_keeps_the_batch_counter_whose_increment_races_the_finalizer()
    {
        TorchRuntime.EnsureLoaded();
        var cell = Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_3x3~1|none~2|");
        using var nb201 = new Nb201Network(cell, Nb201Network.Cifar10Shape with { Channels = 8, CellsPerStage = 1 });
        using var super = new Nb201SuperNetwork(Nb201Network.Cifar10Shape with { Channels = 8, CellsPerStage = 1 });
        using var darts = new DartsNetwork(PublishedGenotypes.DartsV2, channels: 8, layers: 3);
        foreach (var net in new torch.nn.Module[] { nb201, super, darts })
        {
            var norms = net.modules().OfType<TorchSharp.Modules.BatchNorm2d>().ToList();
            Assert.NotEmpty(norms);
            Assert.All(norms, bn => Assert.Null(bn.num_batches_tracked));
            Assert.DoesNotContain(net.named_buffers(), b => b.name.EndsWith("num_batches_tracked"));
        }
    }

    [Fact]
    public void Running_statistics_still_follow_the_batches_with_momentum_one_tenth()
    {
        TorchRuntime.EnsureLoaded();
        using var bn = BatchNorm.Create2d(3);
        bn.train();
        using var x = torch.arange(2 * 3 * 2 * 2, dtype: torch.float32).reshape(2, 3, 2, 2);
        using var y = bn.forward(x);
        // channel 0 holds 0..3 and 12..15: mean 7.5, so the running mean moves from 0 to 0.75.
        Assert.Equal(0.75, bn.running_mean!.data<float>()[0], 5);
    }
}
