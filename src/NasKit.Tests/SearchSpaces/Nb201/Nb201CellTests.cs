using CsCheck;
using NasKit.Spaces;
using NasKit.SearchSpaces.Nb201;

namespace NasKit.Tests.SearchSpaces.Nb201;

public class Nb201CellTests
{
    private const string Best = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    [Fact]
    public void Every_code_round_trips_through_its_official_string()
    {
        var seen = new HashSet<string>();
        for (int code = 0; code < Nb201Cell.SpaceSize; code++)
        {
            var cell = Nb201Cell.FromCode(code);
            var text = cell.ToText();
            Assert.True(seen.Add(text));
            var back = Nb201Cell.Parse(text);
            Assert.Equal(cell, back);
            Assert.Equal(cell.GetHashCode(), back.GetHashCode());
        }
    }

    [Fact]
    public void Parses_the_official_order_of_edges()
    {
        var cell = Nb201Cell.Parse(Best);
        Assert.Equal(Nb201Op.NorConv3x3, cell.Op(0, 1));
        Assert.Equal(Nb201Op.NorConv3x3, cell.Op(0, 2));
        Assert.Equal(Nb201Op.NorConv3x3, cell.Op(1, 2));
        Assert.Equal(Nb201Op.SkipConnect, cell.Op(0, 3));
        Assert.Equal(Nb201Op.NorConv3x3, cell.Op(1, 3));
        Assert.Equal(Nb201Op.NorConv1x1, cell.Op(2, 3));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("|nor_conv_3x3~0|", "1 node group(s)")]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|", "node 3 must have 3 incoming edge(s)")]
    [InlineData("|conv_7x7~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", "unknown op 'conv_7x7' on edge 0->1")]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~1|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", "must come from node 0, found ~1")]
    [InlineData("|nor_conv_3x3|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", "has no '~input' suffix")]
    [InlineData("nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", "must start and end with '|'")]
    [InlineData("|nor_conv_3x3~x|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", "not a node number")]
    public void Malformed_strings_get_an_error_that_names_the_problem(string text, string expected)
    {
        var e = Assert.Throws<ArchitectureFormatException>(() => Nb201Cell.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.Contains("Expected '|op~0|+|op~0|op~1|+|op~0|op~1|op~2|'", e.Message);
    }

    private static readonly string[] Pieces =
        ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3", "|", "+", "~", "~0", "~1", "~2", "~3", "", " ", "conv"];

    private static readonly Gen<string> Token = Gen.OneOf(
        Gen.Int[0, Pieces.Length - 1].Select(i => Pieces[i]),
        Gen.String[Gen.Char["|+~0123abc_ "], 0, 4]);

    [Fact]
    public void Any_text_either_parses_to_a_cell_that_prints_it_back_or_fails_with_a_format_error()
    {
        // Property: parsing never crashes with another exception, and whatever it accepts is canonical.
        Gen.OneOf(
                Token.Array[0, 30].Select(t => string.Concat(t)),
                // Start from a valid string and corrupt one character.
                Gen.Int[0, Nb201Cell.SpaceSize - 1].Select(Gen.Int[0, 95], Gen.Char["|+~0123456789_abcnoerx "],
                    (code, pos, ch) =>
                    {
                        var s = Nb201Cell.FromCode(code).ToText();
                        pos = Math.Min(pos, s.Length - 1);
                        return s[..pos] + ch + s[(pos + 1)..];
                    }))
            .Sample(text =>
            {
                try
                {
                    var cell = Nb201Cell.Parse(text);
                    Assert.Equal(text.Trim(), cell.ToText());
                }
                catch (ArchitectureFormatException e)
                {
                    Assert.StartsWith("Malformed architecture", e.Message);
                }
            }, iter: 20_000);
    }

    [Fact]
    public void Any_valid_cell_round_trips()
    {
        Gen.Int[0, 4].Array[6].Sample(ops =>
        {
            var cell = new Nb201Cell(ops.Select(o => (Nb201Op)o).ToArray());
            Assert.Equal(cell, Nb201Cell.Parse(cell.ToText()));
            Assert.Equal(cell, Nb201Cell.FromCode(cell.Code));
        });
    }

    [Fact]
    public void Output_connectivity_matches_the_benchmark_key_file_count()
    {
        // nb201_arch_keys.csv: 15,284 cells have a none-free input->output path, 341 do not.
        int connected = Enumerable.Range(0, Nb201Cell.SpaceSize).Count(c => Nb201Cell.FromCode(c).IsOutputConnected);
        Assert.Equal(15_284, connected);
    }
}
