using NasKit.Spaces;
using NasKit.SearchSpaces.Nb201;

namespace NasKit.Tests.SearchSpaces.Nb201;

public class Nb201SpaceTests
{
    private readonly Nb201Space _space = new();

    [Fact]
    public void Enumerates_all_15625_distinct_cells()
    {
        Assert.Equal(15_625, _space.Count);
        Assert.Equal(15_625, _space.All().Distinct().Count());
    }

    [Fact]
    public void The_benchmark_space_enumerates_in_the_tables_index_order()
    {
        var bench = TestData.Nb201;
        var all = bench.Space.All().ToList();
        Assert.Equal("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|", all[0].ToText());
        for (int i = 0; i < all.Count; i += 997) Assert.Equal(i, bench.IndexOf(all[i]));
    }

    [Fact]
    public void Neighbours_are_the_24_cells_one_edge_away()
    {
        var cell = _space.Sample(new Random(7));
        var n = _space.Neighbours(cell);
        Assert.Equal(24, n.Count);
        Assert.Equal(24, n.Distinct().Count());
        Assert.All(n, x => Assert.Equal(1, Enumerable.Range(0, 6).Count(e => x[e] != cell[e])));
    }

    [Fact]
    public void Mutation_changes_exactly_one_edge_and_reaches_every_neighbour()
    {
        var rng = new Random(3);
        var cell = _space.Sample(rng);
        var reached = new HashSet<Nb201Cell>();
        for (int i = 0; i < 2000; i++)
        {
            var m = _space.Mutate(cell, rng);
            Assert.Equal(1, Enumerable.Range(0, 6).Count(e => m[e] != cell[e]));
            reached.Add(m);
        }
        Assert.Equal(_space.Neighbours(cell).ToHashSet(), reached);
    }

    [Fact]
    public void Sampling_is_uniform_enough_and_seeded()
    {
        var r1 = new Random(11); var r2 = new Random(11);
        for (int i = 0; i < 100; i++) Assert.Equal(_space.Sample(r1), _space.Sample(r2));
        var counts = new int[5];
        var rng = new Random(1);
        for (int i = 0; i < 50_000; i++) counts[(int)_space.Sample(rng)[2]]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void One_hot_encoding_has_one_bit_per_edge()
    {
        var cell = Nb201Cell.Parse("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|");
        var v = _space.Encode(cell, ArchitectureEncoding.OneHot);
        Assert.Equal(30, v.Length);
        Assert.Equal(6, v.Sum());
        Assert.Equal(1, v[0 * 5 + 3]);
        Assert.Equal(1, v[1 * 5 + 0]);
    }

    [Fact]
    public void Path_encoding_counts_only_paths_without_none()
    {
        // ResNet-like cell: paths 0->3 (skip), 0->1->3 (dead: 1->3 is none), 0->2->3 (dead: 0->2 none),
        // 0->1->2->3 = conv3x3, conv3x3, skip. Two live paths.
        var cell = Nb201Cell.Parse("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|");
        var v = _space.Encode(cell, ArchitectureEncoding.Path);
        Assert.Equal(84, v.Length);
        Assert.Equal(2, v.Sum());
        Assert.Equal(1, v[0]); // length-1 path, op skip (index 0 among the 4 non-none ops)
        int conv3 = 2, skip = 0;
        Assert.Equal(1, v[4 + 16 + (conv3 * 4 + conv3) * 4 + skip]);
        var allNone = Nb201Cell.FromCode(0);
        Assert.Equal(0, _space.Encode(allNone, ArchitectureEncoding.Path).Sum());
    }
}
