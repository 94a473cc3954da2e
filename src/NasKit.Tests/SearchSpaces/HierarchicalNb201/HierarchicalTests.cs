using System.Numerics;
using NasKit.Networks;
using NasKit.SearchSpaces.HierarchicalNb201;
using NasKit.SearchSpaces.Nb201;
using NasKit.Spaces;
using NasKit.Spaces.Grammars;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.HierarchicalNb201;

public class HierarchicalTests
{
    private static readonly HierarchicalNb201Space Space = new();

    [Theory]
    [InlineData("A -> \"x\" B\nB -> \"y\" A", "recursive (A -> B -> A)")]
    [InlineData("A -> \"x\" B", "uses 'B', which has no rule")]
    [InlineData("A = \"x\"", "must read 'NONTERMINAL -> symbols | symbols'")]
    [InlineData("A -> \"x\" | ", "an alternative of 'A' is empty")]
    public void Malformed_grammars_say_what_is_wrong(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => ContextFreeGrammar.Parse(text)).Message);

    [Fact]
    public void The_grammar_counts_its_language()
    {
        var g = Space.Grammar;
        BigInteger cell = BigInteger.Pow(5, 6);
        Assert.Equal(cell, g.Count("CELL"));
        Assert.Equal(cell * cell + 2 * cell * cell * cell, g.Count("C")); // Linear2, Linear3, Residual2
        Assert.True(Space.Count > BigInteger.Pow(10, 100));
    }

    [Fact]
    public void Sampling_mutation_and_crossover_stay_in_the_grammar()
    {
        var rng = new Random(5);
        for (int i = 0; i < 40; i++)
        {
            var a = Space.Sample(rng);
            var b = Space.Sample(rng);
            Assert.Equal(a, Space.Parse(a.ToText()));
            var m = Space.Mutate(a, rng);
            Assert.NotEqual(a, m);
            Assert.Equal(m, Space.Parse(m.ToText()));
            var c = Space.Crossover(a, b, rng);
            Assert.Equal(c, Space.Parse(c.ToText()));
        }
        var tree = Space.Sample(new Random(1));
        var neighbours = Space.Neighbours(tree);
        Assert.Equal(tree.Nodes().Count(n => n.Symbol == "OPS") * 4, neighbours.Count); // every op, each of 4 others (all places distinct)
        Assert.Contains("no alternative of D2", Assert.Throws<ArchitectureFormatException>(() => Space.Parse("(D2 Linear9)")).Message);
    }

    private static string[] GrammarOps(Nb201Cell cell) =>
        cell.Ops.Select(o => HierarchicalNb201Space.Nb201Names.Single(kv => kv.Value == Nb201Ops.Names[(int)o]).Key).ToArray();

    [Fact]
    public void With_NB201s_skeleton_every_derivation_is_an_NB201_cell_and_its_network()
    {
        var bench = Nb201Benchmark.Load();
        var rng = new Random(2);
        foreach (var cell in bench.Cells.OrderBy(_ => rng.Next()).Take(12))
        {
            var tree = Space.Nb201Skeleton(GrammarOps(cell));
            var ops = Space.AsNb201(tree)!;
            var nb201 = Nb201Cell.Parse($"|{Name(0)}~0|+|{Name(1)}~0|{Name(2)}~1|+|{Name(3)}~0|{Name(4)}~1|{Name(5)}~2|");
            string Name(int e) => HierarchicalNb201Space.Nb201Names[ops[e]];
            Assert.Equal(cell, nb201);
            using var scope = NewDisposeScope();
            using var h = Space.Build(tree, Nb201Network.Cifar10Shape);
            using var n = new Nb201Network(cell, Nb201Network.Cifar10Shape);
            long count = h.parameters().Sum(p => p.numel());
            Assert.Equal(n.parameters().Sum(p => p.numel()), count);
            Assert.Equal(bench.ParamsMb(cell), count / 1e6, 5); // the table's cifar10_params_mb
        }
        Assert.Null(Space.AsNb201(Space.Sample(new Random(3)))); // a free derivation is not NB201's
    }

    [Fact]
    public void Free_derivations_build_networks_that_classify_a_batch()
    {
        var rng = new Random(9);
        using var x = randn(2, 3, 32, 32);
        for (int i = 0; i < 8; i++)
        {
            var tree = Space.Sample(rng);
            using var scope = NewDisposeScope();
            using var net = Space.Build(tree, new NetworkShape(Channels: 4, CellsPerStage: 1));
            net.eval();
            var y = net.call(x);
            Assert.Equal(new long[] { 2, 10 }, y.shape);
            Assert.False(y.isnan().any().item<bool>());
        }
    }
}
