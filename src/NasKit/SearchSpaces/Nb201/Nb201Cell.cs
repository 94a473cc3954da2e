using System.Text;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// A NAS-Bench-201 cell: a DAG on 4 nodes (0 = input, 3 = output) with one op on each of its 6 edges.
/// Edges are kept in the order of the official string: 0→1, 0→2, 1→2, 0→3, 1→3, 2→3.
/// The value is stored as a base-5 code (edge 0→1 is the most significant digit), so equality and hashing
/// are integer operations and <see cref="Code"/> enumerates the space as 0..15,624.
/// </summary>
public sealed class Nb201Cell : IArchitecture, IEquatable<Nb201Cell>
{
    public const int EdgeCount = 6;
    public const int SpaceSize = 15_625; // 5^6

    /// <summary>(from, to) node of each edge, in official string order.</summary>
    public static readonly IReadOnlyList<(int From, int To)> Edges = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)];

    private readonly Nb201Op[] _ops;

    public int Code { get; }

    public Nb201Cell(IReadOnlyList<Nb201Op> ops)
    {
        if (ops.Count != EdgeCount)
            throw new ArgumentException($"An NB201 cell has {EdgeCount} edges, got {ops.Count} ops.", nameof(ops));
        _ops = new Nb201Op[EdgeCount];
        int code = 0;
        for (int i = 0; i < EdgeCount; i++)
        {
            if ((byte)ops[i] >= Nb201Ops.Count) throw new ArgumentOutOfRangeException(nameof(ops), $"op {(byte)ops[i]} on edge {i}");
            _ops[i] = ops[i];
            code = code * Nb201Ops.Count + (int)ops[i];
        }
        Code = code;
    }

    public static Nb201Cell FromCode(int code)
    {
        if ((uint)code >= SpaceSize) throw new ArgumentOutOfRangeException(nameof(code), $"code must be in 0..{SpaceSize - 1}");
        var ops = new Nb201Op[EdgeCount];
        for (int i = EdgeCount - 1; i >= 0; i--) { ops[i] = (Nb201Op)(code % Nb201Ops.Count); code /= Nb201Ops.Count; }
        return new Nb201Cell(ops);
    }

    public IReadOnlyList<Nb201Op> Ops => _ops;

    public Nb201Op this[int edge] => _ops[edge];

    /// <summary>The op on edge from→to.</summary>
    public Nb201Op Op(int from, int to) => _ops[EdgeIndex(from, to)];

    public static int EdgeIndex(int from, int to) => to switch
    {
        1 when from == 0 => 0,
        2 when from is 0 or 1 => 1 + from,
        3 when from is >= 0 and <= 2 => 3 + from,
        _ => throw new ArgumentOutOfRangeException(nameof(to), $"no edge {from}->{to} in an NB201 cell"),
    };

    public Nb201Cell With(int edge, Nb201Op op)
    {
        var ops = (Nb201Op[])_ops.Clone();
        ops[edge] = op;
        return new Nb201Cell(ops);
    }

    /// <summary>True when some input→output path has no <c>none</c> edge (else the cell outputs zeros).</summary>
    public bool IsOutputConnected
    {
        get
        {
            bool n1 = Op(0, 1) != Nb201Op.None;
            bool n2 = Op(0, 2) != Nb201Op.None || (n1 && Op(1, 2) != Nb201Op.None);
            return Op(0, 3) != Nb201Op.None || (n1 && Op(1, 3) != Nb201Op.None) || (n2 && Op(2, 3) != Nb201Op.None);
        }
    }

    /// <summary>The official string, e.g. <c>|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|</c>.</summary>
    public string ToText()
    {
        var sb = new StringBuilder(96);
        int edge = 0;
        for (int node = 1; node <= 3; node++)
        {
            if (node > 1) sb.Append('+');
            sb.Append('|');
            for (int from = 0; from < node; from++) sb.Append(_ops[edge++].Name()).Append('~').Append(from).Append('|');
        }
        return sb.ToString();
    }

    public override string ToString() => ToText();

    public bool Equals(Nb201Cell? other) => other is not null && other.Code == Code;
    public bool Equals(IArchitecture? other) => other is Nb201Cell c && Equals(c);
    public override bool Equals(object? obj) => obj is Nb201Cell c && Equals(c);
    public override int GetHashCode() => Code;

    public static bool operator ==(Nb201Cell? a, Nb201Cell? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(Nb201Cell? a, Nb201Cell? b) => !(a == b);

    public const string ExpectedForm =
        "'|op~0|+|op~0|op~1|+|op~0|op~1|op~2|' with op one of none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3";

    /// <summary>Parses the official string; every malformation gets a message that says what is wrong.</summary>
    public static Nb201Cell Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArchitectureFormatException Fail(string problem) => new(text, problem, ExpectedForm);

        string s = text.Trim();
        if (s.Length == 0) throw Fail("the text is empty");
        var groups = s.Split('+');
        if (groups.Length != 3)
            throw Fail($"found {groups.Length} node group(s) separated by '+', an NB201 cell has 3 (for nodes 1, 2 and 3)");
        var ops = new Nb201Op[EdgeCount];
        int edge = 0;
        for (int node = 1; node <= 3; node++)
        {
            string g = groups[node - 1];
            if (g.Length < 2 || g[0] != '|' || g[^1] != '|')
                throw Fail($"node {node}'s group '{g}' must start and end with '|'");
            var tokens = g[1..^1].Split('|');
            if (tokens.Length != node)
                throw Fail($"node {node} must have {node} incoming edge(s), found {tokens.Length} in '{g}'");
            for (int from = 0; from < node; from++)
            {
                string token = tokens[from];
                int tilde = token.LastIndexOf('~');
                if (tilde < 0) throw Fail($"edge token '{token}' into node {node} has no '~input' suffix");
                string opName = token[..tilde], input = token[(tilde + 1)..];
                if (!Nb201Ops.TryParse(opName, out var op))
                    throw Fail($"unknown op '{opName}' on edge {from}->{node}");
                if (!int.TryParse(input, System.Globalization.NumberStyles.None, null, out int src))
                    throw Fail($"edge token '{token}' into node {node} has input '{input}', which is not a node number");
                if (src != from)
                    throw Fail($"node {node}'s edge {from + 1} must come from node {from}, found ~{src}");
                ops[edge++] = op;
            }
        }
        return new Nb201Cell(ops);
    }

    public static bool TryParse(string text, out Nb201Cell? cell)
    {
        try { cell = Parse(text); return true; }
        catch (ArchitectureFormatException) { cell = null; return false; }
    }
}
