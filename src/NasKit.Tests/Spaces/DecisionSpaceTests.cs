using NasKit.SearchSpaces.Nb201;
using NasKit.Spaces;

namespace NasKit.Tests.Spaces;

public class DecisionSpaceTests
{
    /// <summary>An MLP space with a conditional decision: dropout exists only for 3 and 4 layers.</summary>
    private static DecisionSpace Mlp() => new("mlp",
        Decision.Integer("layers", 1, 4),
        Decision.Ordinal("width", "16", "32", "64", "128"),
        Decision.Categorical("activation", "relu", "gelu", "tanh"),
        Decision.Categorical("dropout", "0", "0.1", "0.3").When("layers", "3", "4"));

    [Fact]
    public void Count_and_enumeration_agree_with_the_conditions()
    {
        var space = Mlp();
        // layers 1-2: 4 widths × 3 activations; layers 3-4: the same × 3 dropouts.
        Assert.Equal(2 * 4 * 3 + 2 * 4 * 3 * 3, space.Count);
        var all = space.All().ToArray();
        Assert.Equal(space.Count, all.Length);
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.All(all, a => Assert.Equal(a["layers"] is "3" or "4", a["dropout"] is not null));
        Assert.Equal(long.MaxValue, new DecisionSpace("huge", Enumerable.Range(0, 40).Select(i => Decision.Categorical($"d{i}", "a", "b", "c")).ToArray()).Count);
    }

    [Fact]
    public void Text_round_trips_and_malformed_text_says_what_is_wrong()
    {
        var space = Mlp();
        var rng = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            var a = space.Sample(rng);
            Assert.Equal(a, space.Parse(a.ToText()));
        }
        Assert.Equal("layers=3, width=64, activation=gelu, dropout=0.1", space.Parse("layers=3, width=64, activation=gelu, dropout=0.1").ToText());
        string Problem(string text) => Assert.Throws<ArchitectureFormatException>(() => space.Parse(text)).Message;
        Assert.Contains("decision 'dropout' is missing", Problem("layers=4, width=64, activation=gelu"));
        Assert.Contains("decision 'dropout' does not exist here (layers is 2)", Problem("layers=2, width=64, activation=gelu, dropout=0"));
        Assert.Contains("decision 'width' has no option '48'", Problem("layers=2, width=48, activation=gelu"));
        Assert.Contains("has no decision 'depth'", Problem("depth=2, width=16, activation=gelu"));
        Assert.Contains("given twice", Problem("layers=2, layers=2, width=16, activation=gelu"));
        Assert.Throws<ArgumentException>(() => new DecisionSpace("bad", Decision.Categorical("a", "x"), Decision.Categorical("b", "y").When("c", "x")));
        Assert.Throws<ArgumentException>(() => Decision.Categorical("a,b", "x"));
        Assert.Throws<ArgumentException>(() => Decision.Categorical("a", "x", "x"));
    }

    [Fact]
    public void Moves_change_one_active_decision_and_ordinal_ones_step_to_a_neighbour()
    {
        var space = Mlp();
        var rng = new Random(5);
        for (int i = 0; i < 500; i++)
        {
            var a = space.Sample(rng);
            var m = space.Mutate(a, rng);
            Assert.NotEqual(a, m);
            var changed = space.Decisions.Where(d => a[d.Name] != m[d.Name] && a[d.Name] is not null && m[d.Name] is not null).ToArray();
            Assert.True(changed.Length <= 1, $"{a} -> {m}");
            if (a["layers"] != m["layers"]) Assert.Equal(1, Math.Abs(a.Number("layers") - m.Number("layers")));
            if (a["width"] != m["width"]) Assert.Equal(1, Math.Abs(Math.Log2(a.Number("width")) - Math.Log2(m.Number("width"))));
            // A mutation is a neighbour, unless it brought a decision into existence (then drawn at random, not at option 0).
            if (!space.Decisions.Any(d => a[d.Name] is null && m[d.Name] is not null)) Assert.Contains(m, space.Neighbours(a));
        }
        // Neighbours of a 2-layer net: layers 1 or 3 (dropout appears at its first option), 2 widths, 2 activations.
        var two = space.Parse("layers=2, width=32, activation=relu");
        Assert.Equal(["layers=1, width=32, activation=relu", "layers=3, width=32, activation=relu, dropout=0", "layers=2, width=16, activation=relu",
                      "layers=2, width=64, activation=relu", "layers=2, width=32, activation=gelu", "layers=2, width=32, activation=tanh"],
                     space.Neighbours(two).Select(n => n.ToText()));
    }

    [Fact]
    public void Encodings_and_controller_decisions_ignore_what_does_not_exist()
    {
        var space = Mlp();
        var a = space.Parse("layers=1, width=16, activation=tanh");
        var v = space.Encode(a, ArchitectureEncoding.OneHot);
        Assert.Equal(4 + 4 + 3 + 3, v.Length);
        Assert.Equal(3, v.Sum()); // dropout's block stays zero
        Assert.Equal([true, true, true, false], ((ICategoricalSpace<Choices>)space).Active(space.ToDecisions(a)));
        Assert.Equal(a, space.FromDecisions([0, 0, 2, 2])); // an inactive decision's value is dropped
        Assert.Throws<NotSupportedException>(() => space.Encode(a, ArchitectureEncoding.Path));
    }

    [Fact]
    public void Nb201_written_as_decisions_keeps_the_benchmark_papers_moves()
    {
        var space = new Nb201Space();
        Assert.Equal(6, space.Decisions.Count);
        Assert.Equal(15_625, space.Count);
        var cell = Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        Assert.Equal(24, space.Neighbours(cell).Count);
        Assert.Equal(Enumerable.Range(0, 15_625).Select(Nb201Cell.FromCode), space.All());
        // The NB201 paper's REA mutation: a random edge gets a different random op, drawn as rng.Next(6), rng.Next(4).
        var rng = new Random(11);
        var expected = new Random(11);
        for (int i = 0; i < 100; i++)
        {
            var m = space.Mutate(cell, rng);
            int edge = expected.Next(6), op = expected.Next(4);
            if (op >= (int)cell[edge]) op++;
            Assert.Equal(cell.With(edge, (Nb201Op)op), m);
        }
    }

    [Fact]
    public void Numeric_decisions_are_ordered_grids_on_their_scale()
    {
        var lr = Decision.Numeric("lr", 1e-4, 1e-1, 4, log: true);
        Assert.Equal(["0.0001", "0.001", "0.01", "0.1"], lr.Options);
        Assert.Equal(DecisionKind.Ordinal, lr.Kind);
        Assert.Equal(["0", "0.25", "0.5", "0.75", "1"], Decision.Numeric("p", 0, 1, 5).Options);
        // Whole numbers on a log scale: repeats after rounding are dropped.
        Assert.Equal(["1", "2", "3", "4"], Decision.Numeric("units", 1, 4, 9, log: true, integer: true).Options);
        Assert.Throws<ArgumentException>(() => Decision.Numeric("lr", 0, 1, 5, log: true));
        Assert.Throws<ArgumentException>(() => Decision.Numeric("lr", 1, 1, 5));
        Assert.Throws<ArgumentException>(() => Decision.Numeric("lr", 0, 1, 1));
    }
}
