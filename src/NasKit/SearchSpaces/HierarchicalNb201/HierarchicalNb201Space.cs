using NasKit.Networks;
using NasKit.Spaces;
using NasKit.Spaces.Grammars;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.HierarchicalNb201;

/// <summary>
/// The hierarchical NAS-Bench-201 space of Schrodi et al. 2023 ("Construction of hierarchical neural architecture search
/// spaces based on context-free grammars"; grammars from github.com/automl/hierarchical_nas_construction,
/// benchmarks/search_spaces/hierarchical_nb201/grammars/macro.cfg and cell.cfg): three levels: the network skeleton
/// (D2: where the two down-sampling stages go), the arrangement of cells within a stage (D1, D0, C, DOWN: linear or
/// residual), and each cell itself (an NB201 cell, drawn separately at every place). With the upper levels fixed to
/// NB201's skeleton and one cell everywhere it is exactly the NB201 network (<see cref="Nb201Skeleton"/>).
/// </summary>
public sealed class HierarchicalNb201Space() : GrammarSpace("hierarchical-nb201", ContextFreeGrammar.Parse(MacroGrammar, CellGrammar)), IBuildableSpace<DerivationTree>
{
    public const string MacroGrammar = """
        D2 -> "Linear3" D1 D1 D0 | "Linear3" D0 D1 D1 | "Linear4" D1 D1 D0 D0
        D1 -> "Linear3" C C DOWN | "Linear4" C C C DOWN | "Residual3" C C DOWN DOWN
        D0 -> "Linear3" C C CELL | "Linear4" C C C CELL | "Residual3" C C CELL CELL
        DOWN -> "Linear2" CELL "resBlock" | "Linear3" CELL CELL "resBlock" | "Residual2" CELL "resBlock" "resBlock"
        C -> "Linear2" CELL CELL | "Linear3" CELL CELL CELL | "Residual2" CELL CELL CELL
        """;

    public const string CellGrammar = """
        CELL -> "Cell" OPS OPS OPS OPS OPS OPS
        OPS -> "id" | "zero" | "conv3x3" | "conv1x1" | "avg_pool"
        """;

    /// <summary>The grammar's op names in NB201's (none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3).</summary>
    public static IReadOnlyDictionary<string, string> Nb201Names { get; } = new Dictionary<string, string>
    {
        ["zero"] = "none", ["id"] = "skip_connect", ["conv1x1"] = "nor_conv_1x1", ["conv3x3"] = "nor_conv_3x3", ["avg_pool"] = "avg_pool_3x3",
    };

    /// <summary>
    /// NB201's network as a derivation: D2 = Linear3 D1 D1 D0, D1 = Linear3 C C DOWN, D0 = Linear3 C C CELL,
    /// DOWN = Linear2 CELL resBlock, C = Linear2 CELL CELL (five cells per stage, a residual block between stages),
    /// with the cell of grammar ops <paramref name="ops"/> (NB201's edge order: 0→1, 0→2, 1→2, 0→3, 1→3, 2→3) everywhere.
    /// </summary>
    public DerivationTree Nb201Skeleton(IReadOnlyList<string> ops)
    {
        var opsRule = Grammar.Productions("OPS");
        DerivationTree Cell() => new(Grammar, "CELL", 0, ops.Select(o =>
        {
            int alt = opsRule.ToList().FindIndex(p => p[0].Name == o);
            return alt >= 0 ? new DerivationTree(Grammar, "OPS", alt, []) : throw new ArgumentException($"'{o}' is not an op of the grammar ({string.Join(", ", Nb201Names.Keys)}).");
        }).ToArray());
        DerivationTree C() => new(Grammar, "C", 0, [Cell(), Cell()]);
        DerivationTree D1() => new(Grammar, "D1", 0, [C(), C(), new DerivationTree(Grammar, "DOWN", 0, [Cell()])]);
        return new DerivationTree(Grammar, "D2", 0, [D1(), D1(), new DerivationTree(Grammar, "D0", 0, [C(), C(), Cell()])]);
    }

    /// <summary>The six ops (grammar names) when the tree is NB201's skeleton with one cell everywhere, else null.</summary>
    public IReadOnlyList<string>? AsNb201(DerivationTree tree)
    {
        var cells = tree.Nodes().Where(n => n.Symbol == "CELL").Select(c => c.Children.Select(o => o.Head).ToArray()).ToArray();
        if (cells.Length == 0 || cells.Any(c => !c.SequenceEqual(cells[0]))) return null;
        return Nb201Skeleton(cells[0]).Equals(tree) ? cells[0] : null;
    }

    /// <summary>NB201's stem, the derived network at C channels (doubling at each residual block), BN-ReLU, pooling, a linear head.</summary>
    public nn.Module<Tensor, Tensor> Build(DerivationTree arch, NetworkShape shape) => new HierarchicalNetwork(arch, shape);

    public NetworkShape ReferenceShape => new(Channels: 16, CellsPerStage: 5);
}
