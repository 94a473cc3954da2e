using System.Globalization;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.TransNasBench101;

/// <summary>The micro space as decisions: one op per edge, 4^6 = 4,096 cells.</summary>
public sealed class TnbMicroSpace() : DecisionSpace<TnbArchitecture>("transnas-micro",
    EdgeNames.Select(e => Decision.Categorical(e, [.. TnbArchitecture.MicroOps])).ToArray())
{
    /// <summary>Edge names in the string's order: node 1 from 0 | node 2 from 0, 1 | node 3 from 0, 1, 2.</summary>
    public static IReadOnlyList<string> EdgeNames { get; } = ["1<-0", "2<-0", "2<-1", "3<-0", "3<-1", "3<-2"];

    protected override TnbArchitecture FromValues(int[] values) => new(TnbFamily.Micro, values);
    protected override int[] ValuesOf(TnbArchitecture arch) => arch.Family == TnbFamily.Micro ? arch.Codes.ToArray()
        : throw new ArgumentException($"{arch} is a macro skeleton, not a micro cell.");
    public override TnbArchitecture Parse(string text) => TnbArchitecture.Parse(text) is { Family: TnbFamily.Micro } a ? a
        : throw new ArchitectureFormatException(text, "a macro skeleton where a micro cell is expected", "64-41414-a_bc_def, e.g. 64-41414-3_13_123");
}

/// <summary>
/// The macro space as decisions: the depth (4–6) and each present module's kind, 5,376 strings of which the 3,256 that
/// down-sample 1–4 times and double 1–3 times are the benchmark's skeletons (the counting rule is not a decision; the
/// benchmark's covered subset, <see cref="SubsetSpace{TArch}"/>, keeps to valid ones).
/// </summary>
public sealed class TnbMacroSpace() : DecisionSpace<TnbArchitecture>("transnas-macro", SkeletonDecisions())
{
    private static Decision[] SkeletonDecisions()
    {
        var list = new List<Decision> { Decision.Integer("depth", TnbArchitecture.MinModules, TnbArchitecture.MaxModules) };
        for (int m = 1; m <= TnbArchitecture.MaxModules; m++)
        {
            var module = Decision.Categorical($"module{m}", [.. TnbArchitecture.MacroModules]);
            list.Add(m <= TnbArchitecture.MinModules ? module
                : module.When("depth", Enumerable.Range(m, TnbArchitecture.MaxModules - m + 1).Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray()));
        }
        return list.ToArray();
    }

    protected override TnbArchitecture FromValues(int[] values)
    {
        int depth = TnbArchitecture.MinModules + values[0];
        return new(TnbFamily.Macro, values.Skip(1).Take(depth).Select(v => v + 1).ToArray());
    }

    protected override int[] ValuesOf(TnbArchitecture arch)
    {
        if (arch.Family != TnbFamily.Macro) throw new ArgumentException($"{arch} is a micro cell, not a macro skeleton.");
        var values = new int[1 + TnbArchitecture.MaxModules];
        values[0] = arch.Codes.Count - TnbArchitecture.MinModules;
        for (int m = 0; m < arch.Codes.Count; m++) values[1 + m] = arch.Codes[m] - 1;
        return values;
    }

    public override TnbArchitecture Parse(string text) => TnbArchitecture.Parse(text) is { Family: TnbFamily.Macro } a ? a
        : throw new ArchitectureFormatException(text, "a micro cell where a macro skeleton is expected", "64-<4 to 6 codes 1-4>-basic, e.g. 64-1412-basic");
}
