using CsCheck;
using NasKit.Networks;
using NasKit.SearchSpaces.Darts;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.Darts;

public class DartsGenotypeTests
{
    [Fact]
    public void Published_genotypes_print_in_the_reference_form_and_parse_back()
    {
        foreach (var (name, g, _) in PublishedGenotypes.All)
        {
            var text = g.ToText();
            Assert.StartsWith("Genotype(normal=[('", text);
            Assert.Equal(g, DartsGenotype.Parse(text));
            Assert.Equal(text, DartsGenotype.Parse(text).ToText());
        }
        // range(2, 6) and double quotes, as some published files write them, mean the same genotype.
        var pc = PublishedGenotypes.PcDarts.ToText().Replace("[2, 3, 4, 5]", "range(2, 6)").Replace('\'', '"');
        Assert.Equal(PublishedGenotypes.PcDarts, DartsGenotype.Parse(pc));
        Assert.Equal([2, 3, 4, 5], PublishedGenotypes.PcDarts.NormalConcat);
    }

    [Fact]
    public void Any_valid_genotype_round_trips_through_its_text()
    {
        var edge = (int node) => Gen.Select(Gen.Int[0, DartsOps.Count - 1], Gen.Int[0, node - 1], (op, input) => new DartsEdge((DartsOp)op, input));
        var cell = Gen.Select(edge(2), edge(2), edge(3), edge(3), edge(4), edge(4), Gen.Select(edge(5), edge(5), (a, b) => (a, b)),
            (a, b, c, d, e, f, gh) => new[] { a, b, c, d, e, f, gh.a, gh.b });
        Gen.Select(cell, cell, Gen.Int[2, 5]).Sample((normal, reduce, first) =>
        {
            var g = new DartsGenotype(normal, Enumerable.Range(first, 6 - first).ToArray(), reduce, [2, 3, 4, 5]);
            return DartsGenotype.Parse(g.ToText()).Equals(g);
        }, iter: 2000);
    }

    [Theory]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0)], normal_concat=[2])", "not a DARTS genotype")]
    [InlineData("Genotype(normal=[('sep_conv_9x9', 0), ('sep_conv_3x3', 1)], normal_concat=[2], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])", "unknown op 'sep_conv_9x9'")]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 2)], normal_concat=[2], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])", "feeds node 2 from state 2")]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0)], normal_concat=[2], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])", "two inputs per node")]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], normal_concat=[2, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])", "must list distinct states in 0..2")]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], normal_concat=range(4, 2), reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])", "is not range(a, b)")]
    [InlineData("Genotype(normal=[('sep_conv_3x3', 0) ('sep_conv_3x3', 1) x], normal_concat=[2], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])", "normal: unexpected 'x'")]
    public void Malformed_genotypes_say_what_is_wrong(string text, string expected)
    {
        var e = Assert.Throws<ArchitectureFormatException>(() => DartsGenotype.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.Contains("Expected Genotype(normal=", e.Message);
    }

    [Fact]
    public void Published_genotypes_build_with_the_parameter_counts_their_papers_report()
    {
        foreach (var (name, g, published) in PublishedGenotypes.All)
        {
            if (published is null) continue;
            using var net = new DartsNetwork(g, channels: 36, layers: 20);
            double millions = net.ParameterCount() / 1e6;
            // Papers round to 0.1M; the reference code prints e.g. "param size = 3.349342MB" for DARTS_V2.
            Assert.True(Math.Abs(millions - published.Value) <= 0.05, $"{name}: {millions:0.000000}M parameters, published {published}M");
            Console.WriteLine($"{name}: {millions:0.000000}M parameters (published {published}M)");
        }
    }

    [Fact]
    public void A_small_darts_network_classifies_a_batch()
    {
        using var net = new DartsNetwork(PublishedGenotypes.DartsV2, channels: 8, layers: 5);
        using var scope = NewDisposeScope();
        var y = net.call(randn(2, 3, 32, 32));
        Assert.Equal(new long[] { 2, 10 }, y.shape);
        Assert.False(y.isnan().any().item<bool>());
    }
}
