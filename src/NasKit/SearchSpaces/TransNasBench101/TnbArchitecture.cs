using System.Globalization;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.TransNasBench101;

/// <summary>TransNAS-Bench-101's two spaces: a cell in a fixed skeleton, or a skeleton of fixed cells.</summary>
public enum TnbFamily { Micro, Macro }

/// <summary>
/// One TransNAS-Bench-101 architecture (Duan et al., CVPR 2021), written as the benchmark writes it.
/// <para>Micro: a cell of 4 nodes whose 6 edges each carry none (0), skip (1), 1×1 conv (2) or 3×3 conv (3), in the
/// fixed skeleton <c>64-41414</c>: <c>64-41414-3_13_123</c> (node 1 from node 0 | node 2 from 0, 1 | node 3 from 0, 1, 2).</para>
/// <para>Macro: 4 to 6 modules of the fixed residual cell, each basic (1), channel-doubling (2), down-sampling (3) or
/// both (4), with 1–4 down-samplings and 1–3 doublings (3,256 skeletons): <c>64-1412-basic</c>.</para>
/// The data's keys are NASLib's six-code tuples, mapped to these strings as NASLib's
/// <c>convert_naslib_to_transbench101_micro/macro</c> do (codes in order; the macro tuple padded with zeros).
/// </summary>
public sealed class TnbArchitecture : IArchitecture
{
    public static IReadOnlyList<string> MicroOps { get; } = ["none", "skip", "conv1x1", "conv3x3"];
    public static IReadOnlyList<string> MacroModules { get; } = ["basic", "widen", "down", "down-widen"];
    public const int MicroEdges = 6, MinModules = 4, MaxModules = 6;

    private readonly int[] _codes;
    private readonly string _text;

    public TnbFamily Family { get; }
    /// <summary>Micro: the 6 edge codes 0–3. Macro: the 4–6 module codes 1–4.</summary>
    public IReadOnlyList<int> Codes => _codes;

    /// <summary>Any codes of the right range and length; <see cref="Parse"/> also checks the macro space's counting rules.</summary>
    public TnbArchitecture(TnbFamily family, IReadOnlyList<int> codes)
    {
        if (family == TnbFamily.Micro && (codes.Count != MicroEdges || codes.Any(c => c is < 0 or > 3)))
            throw new ArgumentException($"A TransNAS-Bench-101 cell has {MicroEdges} edge codes 0-3, got [{string.Join(", ", codes)}].");
        if (family == TnbFamily.Macro && (codes.Count is < MinModules or > MaxModules || codes.Any(c => c is < 1 or > 4)))
            throw new ArgumentException($"A TransNAS-Bench-101 skeleton has {MinModules}-{MaxModules} module codes 1-4, got [{string.Join(", ", codes)}].");
        (Family, _codes) = (family, codes.ToArray());
        _text = family == TnbFamily.Micro
            ? $"64-41414-{_codes[0]}_{_codes[1]}{_codes[2]}_{_codes[3]}{_codes[4]}{_codes[5]}"
            : $"64-{string.Concat(_codes)}-basic";
    }

    public int DownSamplings => _codes.Count(c => c is 3 or 4);
    public int Doublings => _codes.Count(c => c is 2 or 4);

    /// <summary>Reads the benchmark's string of either family (<c>64-41414-3_13_123</c>, <c>64-1412-basic</c>).</summary>
    public static TnbArchitecture Parse(string text)
    {
        const string expected = "64-41414-a_bc_def with codes 0-3 (micro) or 64-<4 to 6 codes 1-4>-basic (macro), e.g. 64-41414-3_13_123 or 64-1412-basic";
        var parts = text.Trim().Split('-');
        if (parts.Length == 3 && parts[0] == "64" && parts[1] == "41414")
        {
            var groups = parts[2].Split('_');
            if (groups.Length != 3 || groups[0].Length != 1 || groups[1].Length != 2 || groups[2].Length != 3)
                throw new ArchitectureFormatException(text, "a cell lists its edges as a_bc_def (node 1 | node 2 | node 3)", expected);
            var codes = string.Concat(groups).Select(c => c - '0').ToArray();
            if (codes.Any(c => c is < 0 or > 3)) throw new ArchitectureFormatException(text, "edge codes are 0 (none), 1 (skip), 2 (1x1 conv) or 3 (3x3 conv)", expected);
            return new TnbArchitecture(TnbFamily.Micro, codes);
        }
        if (parts.Length == 3 && parts[0] == "64" && parts[2] == "basic")
        {
            var codes = parts[1].Select(c => c - '0').ToArray();
            if (codes.Length is < MinModules or > MaxModules) throw new ArchitectureFormatException(text, $"a skeleton has {MinModules} to {MaxModules} modules, got {codes.Length}", expected);
            if (codes.Any(c => c is < 1 or > 4)) throw new ArchitectureFormatException(text, "module codes are 1 (basic), 2 (widen), 3 (down) or 4 (down and widen)", expected);
            var arch = new TnbArchitecture(TnbFamily.Macro, codes);
            if (arch.DownSamplings is < 1 or > 4 || arch.Doublings is < 1 or > 3)
                throw new ArchitectureFormatException(text, $"a skeleton down-samples 1-4 times and doubles channels 1-3 times, this one {arch.DownSamplings} and {arch.Doublings}", expected);
            return arch;
        }
        throw new ArchitectureFormatException(text, "not a TransNAS-Bench-101 string", expected);
    }

    /// <summary>NASLib's key in the zero-cost files: six codes, the macro ones padded with zeros (<c>(1, 4, 1, 2, 0, 0)</c>).</summary>
    public static TnbArchitecture FromNasLibKey(TnbFamily family, string key)
    {
        var inner = key.Trim();
        if (!inner.StartsWith('(') || !inner.EndsWith(')')) throw new FormatException($"'{key}' is not a tuple of six codes.");
        var codes = inner[1..^1].Split(',').Select(t => int.TryParse(t.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : throw new FormatException($"'{key}' holds '{t.Trim()}', not a code.")).ToArray();
        if (codes.Length != 6) throw new FormatException($"'{key}' has {codes.Length} codes, not 6.");
        if (family == TnbFamily.Macro)
        {
            int used = Array.IndexOf(codes, 0) is var z and >= 0 ? z : codes.Length;
            if (codes.Skip(used).Any(c => c != 0)) throw new FormatException($"'{key}' has a module after a zero (padding ends the skeleton).");
            codes = codes[..used];
        }
        return new TnbArchitecture(family, codes);
    }

    public string ToText() => _text;
    public override string ToString() => _text;
    public bool Equals(IArchitecture? other) => other is TnbArchitecture a && a._text == _text;
    public override bool Equals(object? obj) => obj is TnbArchitecture a && a._text == _text;
    public override int GetHashCode() => _text.GetHashCode(StringComparison.Ordinal);
}
