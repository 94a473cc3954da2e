using NasKit.SearchSpaces.Nb201;
using NasKit.Networks;
using NasKit.SearchSpaces.Darts;
using NasKit.Runtime;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.Darts;

public class DartsSpaceTests
{
    private static double[][] Weights(double seed) => Enumerable.Range(0, 14).Select(e =>
    {
        var row = Enumerable.Range(0, 8).Select(k => Math.Abs(Math.Sin((e * 8 + k + 1) * seed)) * 1000 % 1).ToArray();
        return row.Select(v => v / row.Sum()).ToArray();
    }).ToArray();

    [Fact]
    public void Derivation_matches_the_reference_genotype_parser()
    {
        // Expected strings: the DARTS reference's _parse (model_search.py genotype()) run with Python on the same weights.
        var genotype = new DartsSpace().Derive([Weights(1.0), Weights(2.0)]);
        Assert.Equal("Genotype(normal=[('avg_pool_3x3', 1), ('dil_conv_3x3', 0), ('skip_connect', 1), ('dil_conv_3x3', 2), " +
                     "('max_pool_3x3', 2), ('sep_conv_3x3', 1), ('max_pool_3x3', 2), ('dil_conv_3x3', 3)], normal_concat=[2, 3, 4, 5], " +
                     "reduce=[('dil_conv_5x5', 0), ('max_pool_3x3', 1), ('dil_conv_3x3', 0), ('sep_conv_3x3', 1), ('avg_pool_3x3', 3), " +
                     "('sep_conv_3x3', 0), ('dil_conv_3x3', 4), ('dil_conv_5x5', 2)], reduce_concat=[2, 3, 4, 5])", genotype.ToText());
        Assert.Equal(1, new DartsSpace().SkipConnections(genotype));
    }

    [Fact]
    public void The_darts_supernet_mixes_with_two_weight_matrices_and_one_hot_weights_select_one_op()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var net = new DartsSuperNetwork(channels: 4, layers: 3, classes: 10);
        SeededInitialization.Apply(net, 1);
        net.train();
        Assert.Equal([(14, 8), (14, 8)], net.ArchitectureShape);
        var x = randn(new long[] { 2, 3, 16, 16 }, generator: new Generator(2));
        var oneHot = nn.functional.one_hot(arange(14) % 7 + 1, 8).to_type(ScalarType.Float32);
        var mixed = net.Forward(x, [oneHot, oneHot]);
        var sampled = net.ForwardSampled(x, [oneHot, oneHot]);
        Assert.Equal(new long[] { 2, 10 }, mixed.shape);
        Assert.True(mixed.allclose(sampled, rtol: 1e-4, atol: 1e-5)); // GDAS' one-op path computes the same network
        Assert.Throws<ArgumentException>(() => net.Forward(x, [oneHot]));
    }

    [Fact]
    public void Partial_channels_mix_a_share_pass_the_rest_and_shuffle()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var edge = new Nb201MixedEdge(8, partialChannels: 2);
        var x = randn(new long[] { 2, 8, 4, 4 }, generator: new Generator(3));
        var y = edge.Mix(x, zeros(5)); // every op weighted 0: the mixed half is zero
        // channel shuffle with 2 groups interleaves [mixed 0..3, bypass 4..7] as m0 b4 m1 b5 ...
        Assert.True(y[.., TensorIndex.Slice(1, null, 2)].allclose(x[.., 4..], rtol: 0, atol: 0));
        Assert.Equal(0, y[.., TensorIndex.Slice(0, null, 2)].abs().sum().item<float>());
        Assert.Throws<ArgumentException>(() => new Nb201SuperNetwork(new NetworkShape(6, 1), partialChannels: 4));
        var reducing = new DartsMixedEdge(8, 2, new SupernetOptions(PartialChannels: 4));
        Assert.Equal(new long[] { 2, 8, 2, 2 }, reducing.Mix(x, ones(8)).shape); // the bypass is pooled to the ops' resolution
    }
}
