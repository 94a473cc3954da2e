using System.Globalization;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.NasNet;

/// <summary>The 13 operations of the NASNet search space (Zoph et al., CVPR 2018, section 3).</summary>
public enum NasNetOp
{
    Identity, Conv1x3Then3x1, Conv1x7Then7x1, DilatedConv3x3, AvgPool3x3, MaxPool3x3, MaxPool5x5, MaxPool7x7,
    Conv1x1, Conv3x3, SepConv3x3, SepConv5x5, SepConv7x7,
}

/// <summary>One of a cell's 5 combinations: two hidden states, an op on each, their sum.</summary>
public sealed record NasNetCombination(int LeftInput, NasNetOp LeftOp, int RightInput, NasNetOp RightOp);

/// <summary>
/// A NASNet cell in TF-slim's convention (nets/nasnet/nasnet_utils.py): hidden state 0 is the cell's input (the
/// previous cell's output), 1 the cell before that, 2–6 the combinations in order. The output concatenates
/// <see cref="Concat"/>; a searched cell concatenates the combinations no later combination reads (null: that rule).
/// </summary>
public sealed record NasNetCell(IReadOnlyList<NasNetCombination> Combinations, IReadOnlyList<int>? ExplicitConcat = null)
{
    public const int CombinationCount = 5;

    /// <summary>The hidden states the cell outputs, concatenated along channels.</summary>
    public IReadOnlyList<int> Concat => ExplicitConcat ?? Enumerable.Range(2, CombinationCount)
        .Where(s => !Combinations.Any(c => c.LeftInput == s || c.RightInput == s)).ToArray();

    public bool Equals(NasNetCell? other) => other is not null && NasNetGenotype.CellText(this) == NasNetGenotype.CellText(other);
    public override int GetHashCode() => NasNetGenotype.CellText(this).GetHashCode(StringComparison.Ordinal);
}

/// <summary>
/// A NASNet architecture: a normal and a reduction cell. Text form, one line:
/// <c>normal: sep_conv_5x5~0 + sep_conv_3x3~1 | ... ; reduce: ... </c>, each cell's combinations separated by
/// <c>|</c>, each combination <c>op~input + op~input</c>, optionally ending <c>-> concat 1 2 3</c> when the cell's output is
/// not the searched rule (the published NASNet-A).
/// </summary>
public sealed class NasNetGenotype : IArchitecture
{
    public static IReadOnlyList<string> OpNames { get; } =
    [
        "identity", "conv_1x3_3x1", "conv_1x7_7x1", "dil_conv_3x3", "avg_pool_3x3", "max_pool_3x3", "max_pool_5x5", "max_pool_7x7",
        "conv_1x1", "conv_3x3", "sep_conv_3x3", "sep_conv_5x5", "sep_conv_7x7",
    ];

    private readonly string _text;

    public NasNetCell Normal { get; }
    public NasNetCell Reduce { get; }

    public NasNetGenotype(NasNetCell normal, NasNetCell reduce)
    {
        Check(normal, "normal");
        Check(reduce, "reduce");
        (Normal, Reduce) = (normal, reduce);
        _text = $"normal: {CellText(normal)}; reduce: {CellText(reduce)}";
    }

    private static void Check(NasNetCell cell, string which)
    {
        if (cell.Combinations.Count != NasNetCell.CombinationCount)
            throw new ArgumentException($"A NASNet {which} cell has {NasNetCell.CombinationCount} combinations, got {cell.Combinations.Count}.");
        for (int i = 0; i < cell.Combinations.Count; i++)
        {
            var c = cell.Combinations[i];
            foreach (int input in new[] { c.LeftInput, c.RightInput })
                if (input < 0 || input >= 2 + i)
                    throw new ArgumentException($"Combination {i + 1} of the {which} cell reads hidden state {input}; it can read 0..{i + 1} (the two cell inputs and earlier combinations).");
        }
        if (cell.ExplicitConcat is { } concat && (concat.Count == 0 || concat.Any(s => s < 0 || s > 6) || concat.Distinct().Count() != concat.Count))
            throw new ArgumentException($"The {which} cell's concat must list distinct hidden states 0..6, got [{string.Join(", ", concat)}].");
        if (cell.Concat.Count == 0) throw new ArgumentException($"The {which} cell outputs nothing: every combination is read by a later one.");
    }

    internal static string CellText(NasNetCell cell)
    {
        var text = string.Join(" | ", cell.Combinations.Select(c => $"{OpNames[(int)c.LeftOp]}~{c.LeftInput} + {OpNames[(int)c.RightOp]}~{c.RightInput}"));
        return cell.ExplicitConcat is { } concat ? $"{text} -> concat {string.Join(" ", concat)}" : text;
    }

    /// <summary>NASNet-A (Zoph et al. 2018, figure 4), exactly as TF-slim's NasNetANormalCell and NasNetAReductionCell define it.</summary>
    public static NasNetGenotype NasNetA { get; } = Parse(
        "normal: sep_conv_5x5~0 + sep_conv_3x3~1 | sep_conv_5x5~1 + sep_conv_3x3~1 | avg_pool_3x3~0 + identity~1 | avg_pool_3x3~1 + avg_pool_3x3~1 | " +
        "sep_conv_3x3~0 + identity~0 -> concat 1 2 3 4 5 6; " +
        "reduce: sep_conv_5x5~0 + sep_conv_7x7~1 | max_pool_3x3~0 + sep_conv_7x7~1 | avg_pool_3x3~0 + sep_conv_5x5~1 | identity~3 + avg_pool_3x3~2 | " +
        "sep_conv_3x3~2 + max_pool_3x3~0 -> concat 3 4 5 6");

    public static NasNetGenotype Parse(string text)
    {
        const string expected = "'normal: op~i + op~j | ... (5 combinations); reduce: ...', ops " + "identity, conv_1x3_3x1, ..., sep_conv_7x7";
        var parts = text.Split(';', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts[0].StartsWith("normal:", StringComparison.Ordinal) || !parts[1].StartsWith("reduce:", StringComparison.Ordinal))
            throw new ArchitectureFormatException(text, "a NASNet genotype is 'normal: ...; reduce: ...'", expected);
        try { return new NasNetGenotype(ParseCell(text, parts[0]["normal:".Length..], expected), ParseCell(text, parts[1]["reduce:".Length..], expected)); }
        catch (ArgumentException e) { throw new ArchitectureFormatException(text, e.Message.TrimEnd('.'), expected); }
    }

    private static NasNetCell ParseCell(string text, string cell, string expected)
    {
        var arrow = cell.Split("-> concat", StringSplitOptions.TrimEntries);
        if (arrow.Length > 2) throw new ArchitectureFormatException(text, "'-> concat' appears twice in a cell", expected);
        int[]? concat = arrow.Length == 2
            ? arrow[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
                : throw new ArchitectureFormatException(text, $"concat lists '{s}', not a hidden state", expected)).ToArray()
            : null;
        var combos = arrow[0].Split('|', StringSplitOptions.TrimEntries);
        if (combos.Length != NasNetCell.CombinationCount)
            throw new ArchitectureFormatException(text, $"a cell has {NasNetCell.CombinationCount} combinations separated by '|', got {combos.Length}", expected);
        return new NasNetCell(combos.Select(c =>
        {
            var sides = c.Split('+', StringSplitOptions.TrimEntries);
            if (sides.Length != 2) throw new ArchitectureFormatException(text, $"combination '{c}' must be 'op~input + op~input'", expected);
            var (lo, li) = Term(text, sides[0], expected);
            var (ro, ri) = Term(text, sides[1], expected);
            return new NasNetCombination(li, lo, ri, ro);
        }).ToArray(), concat);
    }

    private static (NasNetOp, int) Term(string text, string term, string expected)
    {
        var t = term.Split('~');
        int op = t.Length == 2 ? OpNames.ToList().IndexOf(t[0]) : -1;
        if (op < 0) throw new ArchitectureFormatException(text, $"'{term}' is not op~input with an op of {string.Join(", ", OpNames)}", expected);
        if (!int.TryParse(t[1], NumberStyles.None, CultureInfo.InvariantCulture, out int input))
            throw new ArchitectureFormatException(text, $"'{term}' has input '{t[1]}', not a hidden-state number", expected);
        return ((NasNetOp)op, input);
    }

    public string ToText() => _text;
    public override string ToString() => _text;
    public bool Equals(IArchitecture? other) => other is NasNetGenotype g && g._text == _text;
    public override bool Equals(object? obj) => obj is NasNetGenotype g && g._text == _text;
    public override int GetHashCode() => _text.GetHashCode(StringComparison.Ordinal);
}
