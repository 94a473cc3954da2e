using NasKit.SearchSpaces.Nb201;

namespace NasKit.Tests;

/// <summary>The benchmark is loaded once for the whole test run.</summary>
public static class TestData
{
    private static readonly Lazy<Nb201Benchmark> Bench = new(() => Nb201Benchmark.Load());
    public static Nb201Benchmark Nb201 => Bench.Value;

    /// <summary>The 204 rows whose cifar10_params_mb is inconsistent in the source, as listed in
    /// shared/data/nasbench201/PROVENANCE.md ("Known quirk"), copied verbatim.</summary>
    public static readonly int[] ParamsQuirkIndices =
    [
        296, 299, 327, 737, 768, 770, 775, 1151, 2332, 2958, 3034, 3077, 3103, 3113, 3300, 3400, 3434, 3681, 3899, 4024, 4070,
        4137, 4165, 4174, 4227, 4248, 4464, 4578, 4650, 4815, 4982, 5010, 5065, 5442, 5601, 5658, 5694, 5706, 5751, 5824, 5835,
        6058, 6433, 6495, 6545, 6547, 6769, 6877, 6895, 6912, 6977, 7127, 7135, 7159, 7263, 7268, 7326, 7358, 7396, 7629, 7717,
        7785, 7793, 7894, 7950, 7971, 7981, 8160, 8173, 8181, 8280, 8322, 8423, 8447, 8448, 8533, 8540, 8557, 8589, 8719, 8804,
        8809, 8965, 9043, 9097, 9141, 9172, 9270, 9296, 9378, 9444, 9473, 9597, 9632, 9654, 9704, 9727, 9735, 10107, 10118,
        10162, 10167, 10173, 10207, 10212, 10281, 10308, 10340, 10369, 10554, 10597, 10668, 10709, 10821, 10868, 10906,
        10943, 10947, 10978, 10988, 11048, 11073, 11078, 11096, 11167, 11169, 11178, 11222, 11238, 11259, 11354, 11370,
        11374, 11511, 11514, 11581, 11639, 11676, 11843, 11896, 11911, 11961, 11964, 12016, 12027, 12073, 12115, 12121,
        12187, 12204, 12271, 12272, 12316, 12317, 12464, 12540, 12542, 12568, 12661, 12707, 12748, 12758, 12822, 12844,
        12861, 12939, 13003, 13023, 13223, 13326, 13479, 13492, 13599, 13970, 14264, 14267, 14293, 14328, 14394, 14412,
        14419, 14529, 14648, 14661, 14684, 14689, 14791, 14995, 15033, 15036, 15040, 15107, 15347, 15372, 15386, 15392,
        15403, 15435, 15474, 15484, 15534, 15539, 15551, 15584,
    ];

    /// <summary>
    /// Random 16×16 RGB images with random labels of 10 classes, for searches that must run, not learn. 16×16 at C=8:
    /// at C=2 on 8×8 inputs, libtorch's multithreaded CPU kernels (oneDNN capped at AVX2) gave NaN architecture
    /// gradients now and then (see environment.md); one thread or an SSE4.1 cap did not.
    /// </summary>
    public static NasKit.Data.ImageDataset NoiseImages(int count, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[count * 3 * 16 * 16];
        rng.NextBytes(pixels);
        return new NasKit.Data.ImageDataset("noise", pixels, Enumerable.Range(0, count).Select(_ => (byte)rng.Next(10)).ToArray(), 3, 16, 16, 10);
    }
}
