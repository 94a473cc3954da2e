using NasKit.Networks;
using NasKit.SearchSpaces.Darts;
using NasKit.Runtime;
using NasKit.SearchSpaces.Nb201;
using TorchSharp;

namespace NasKit.Tests.Runtime;

public class NativeModulesTests
{
    [Fact]
    public void TorchSharp_still_leaves_a_disposed_convolution_holding_its_native_module()
    {
        // Pins the reason for NativeModules: if an upgrade fixes Conv2d.Dispose, this fails and the workaround can go.
        TorchRuntime.EnsureLoaded();
        var conv = torch.nn.Conv2d(2, 2, 3);
        Assert.True(NativeModules.HoldsNativeHandle(conv));
        conv.Dispose();
        Assert.True(NativeModules.HoldsNativeHandle(conv));
    }

    [Fact]
    public void Disposing_a_network_frees_the_native_object_of_every_layer()
    {
        TorchRuntime.EnsureLoaded();
        var cell = Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_3x3~1|none~2|");
        var networks = new torch.nn.Module[]
        {
            new Nb201Network(cell, Nb201Network.Cifar10Shape with { Channels = 4, CellsPerStage = 1 }),
            new Nb201SuperNetwork(Nb201Network.Cifar10Shape with { Channels = 4, CellsPerStage = 1 }),
            new DartsNetwork(PublishedGenotypes.DartsV2, channels: 4, layers: 3),
        };
        foreach (var net in networks)
        {
            var modules = net.modules().ToList();
            Assert.Contains(modules, m => m is TorchSharp.Modules.Conv2d);
            Assert.All(modules, m => Assert.True(NativeModules.HoldsNativeHandle(m)));
            net.Dispose();
            Assert.All(modules, m => Assert.False(NativeModules.HoldsNativeHandle(m), $"{m.GetType().Name} of {net.GetType().Name} still holds its native module"));
        }
    }
}
