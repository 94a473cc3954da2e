using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.Darts;

/// <summary>One input of an intermediate node: an op applied to an earlier state (0, 1: the two cell inputs).</summary>
public readonly record struct DartsEdge(DartsOp Op, int Input);

/// <summary>
/// A discrete DARTS architecture: a normal and a reduction cell, each with two inputs per intermediate node, and
/// the nodes concatenated as the cell's output. Text form is the reference's Python repr,
/// <c>Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=[2, 3, 4, 5])</c>;
/// <see cref="Parse"/> also reads <c>range(2, 6)</c> and double quotes, as published genotypes use both.
/// </summary>
public sealed partial class DartsGenotype : IArchitecture
{
    public IReadOnlyList<DartsEdge> Normal { get; }
    public IReadOnlyList<int> NormalConcat { get; }
    public IReadOnlyList<DartsEdge> Reduce { get; }
    public IReadOnlyList<int> ReduceConcat { get; }

    /// <summary>Intermediate nodes per cell (edges / 2).</summary>
    public int Steps => Normal.Count / 2;

    public DartsGenotype(IReadOnlyList<DartsEdge> normal, IReadOnlyList<int> normalConcat, IReadOnlyList<DartsEdge> reduce, IReadOnlyList<int> reduceConcat)
    {
        Check(normal, normalConcat, "normal");
        Check(reduce, reduceConcat, "reduce");
        if (normal.Count != reduce.Count) throw new ArgumentException($"The normal cell has {normal.Count / 2} nodes and the reduction cell {reduce.Count / 2}; they must match.");
        (Normal, NormalConcat, Reduce, ReduceConcat) = (normal.ToArray(), normalConcat.ToArray(), reduce.ToArray(), reduceConcat.ToArray());
    }

    private static void Check(IReadOnlyList<DartsEdge> edges, IReadOnlyList<int> concat, string cell)
    {
        if (edges.Count == 0 || edges.Count % 2 != 0) throw new ArgumentException($"The {cell} cell needs two inputs per node; it has {edges.Count} edges.");
        for (int k = 0; k < edges.Count; k++)
        {
            int node = 2 + k / 2;
            if (edges[k].Input < 0 || edges[k].Input >= node)
                throw new ArgumentException($"The {cell} cell's edge {k} feeds node {node} from state {edges[k].Input}; a node takes states 0..{node - 1}.");
        }
        int states = 2 + edges.Count / 2;
        if (concat.Count == 0 || concat.Any(c => c < 0 || c >= states) || concat.Distinct().Count() != concat.Count)
            throw new ArgumentException($"The {cell} cell's concat [{string.Join(", ", concat)}] must list distinct states in 0..{states - 1}.");
    }

    public string ToText()
    {
        var sb = new StringBuilder("Genotype(normal=");
        Edges(sb, Normal).Append(", normal_concat=");
        List(sb, NormalConcat).Append(", reduce=");
        Edges(sb, Reduce).Append(", reduce_concat=");
        List(sb, ReduceConcat).Append(')');
        return sb.ToString();
    }

    private static StringBuilder Edges(StringBuilder sb, IReadOnlyList<DartsEdge> edges) =>
        sb.Append('[').AppendJoin(", ", edges.Select(e => $"('{e.Op.Name()}', {e.Input})")).Append(']');

    private static StringBuilder List(StringBuilder sb, IReadOnlyList<int> values) => sb.Append('[').AppendJoin(", ", values).Append(']');

    public override string ToString() => ToText();

    private const string Form = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ...], normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=[2, 3, 4, 5])";

    [GeneratedRegex(@"^\s*Genotype\s*\(\s*normal\s*=\s*\[(?<normal>[^\]]*)\]\s*,\s*normal_concat\s*=\s*(?<nc>\[[^\]]*\]|range\s*\([^)]*\))\s*,\s*reduce\s*=\s*\[(?<reduce>[^\]]*)\]\s*,\s*reduce_concat\s*=\s*(?<rc>\[[^\]]*\]|range\s*\([^)]*\))\s*,?\s*\)\s*$", RegexOptions.Singleline)]
    private static partial Regex Shape();

    [GeneratedRegex(@"\(\s*(?<q>['""])(?<op>[^'""]*)\k<q>\s*,\s*(?<input>-?\d+)\s*\)")]
    private static partial Regex EdgePattern();

    public static DartsGenotype Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = Shape().Match(text);
        if (!m.Success) throw new ArchitectureFormatException(text, "not a DARTS genotype (fields normal, normal_concat, reduce, reduce_concat in that order)", Form);
        var normal = ParseEdges(text, m.Groups["normal"].Value, "normal");
        var reduce = ParseEdges(text, m.Groups["reduce"].Value, "reduce");
        var nc = ParseConcat(text, m.Groups["nc"].Value, "normal_concat");
        var rc = ParseConcat(text, m.Groups["rc"].Value, "reduce_concat");
        try { return new DartsGenotype(normal, nc, reduce, rc); }
        catch (ArgumentException e) { throw new ArchitectureFormatException(text, e.Message.TrimEnd('.'), Form); }
    }

    private static List<DartsEdge> ParseEdges(string text, string body, string field)
    {
        var edges = new List<DartsEdge>();
        int consumed = 0;
        foreach (Match e in EdgePattern().Matches(body))
        {
            var between = body[consumed..e.Index].Trim().Trim(',').Trim();
            if (between.Length > 0) throw new ArchitectureFormatException(text, $"{field}: unexpected '{between}'", Form);
            consumed = e.Index + e.Length;
            var name = e.Groups["op"].Value;
            if (!DartsOps.TryParse(name, out var op))
                throw new ArchitectureFormatException(text, $"{field}: unknown op '{name}' (known: {string.Join(", ", DartsOps.Names)})", Form);
            edges.Add(new DartsEdge(op, int.Parse(e.Groups["input"].Value, CultureInfo.InvariantCulture)));
        }
        var rest = body[consumed..].Trim().Trim(',').Trim();
        if (rest.Length > 0) throw new ArchitectureFormatException(text, $"{field}: unexpected '{rest}'", Form);
        return edges;
    }

    private static int[] ParseConcat(string text, string value, string field)
    {
        value = value.Trim();
        if (value.StartsWith("range"))
        {
            var args = value[(value.IndexOf('(') + 1)..value.LastIndexOf(')')].Split(',', StringSplitOptions.TrimEntries);
            if (args.Length != 2 || !int.TryParse(args[0], out int from) || !int.TryParse(args[1], out int to) || to <= from)
                throw new ArchitectureFormatException(text, $"{field}: '{value}' is not range(a, b) with a < b", Form);
            return Enumerable.Range(from, to - from).ToArray();
        }
        var items = value.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new ArchitectureFormatException(text, $"{field}: '{s}' is not a node number", Form)).ToArray();
    }

    public bool Equals(IArchitecture? other) => other is DartsGenotype g && g.ToText() == ToText();
    public override bool Equals(object? obj) => obj is DartsGenotype g && Equals(g);
    public override int GetHashCode() => ToText().GetHashCode(StringComparison.Ordinal);
}
