using System.Numerics;
using System.Text.RegularExpressions;

namespace NasKit.Spaces.Grammars;

/// <summary>A symbol of a production: a terminal (a topology, an op: written in quotes) or a nonterminal.</summary>
public sealed record GrammarSymbol(string Name, bool Terminal)
{
    public override string ToString() => Terminal ? $"\"{Name}\"" : Name;
}

/// <summary>
/// A context-free grammar for architectures, in the notation of Schrodi et al. 2023 (NePS' <c>.cfg</c> files):
/// <c>D1 -> "Linear3" C C DOWN | "Residual3" C C DOWN DOWN</c>, one nonterminal per line, alternatives separated by
/// <c>|</c>, terminals quoted. The first line's nonterminal is the start symbol. Grammars must not be recursive, so
/// every derivation is finite and the space can be counted.
/// </summary>
public sealed partial class ContextFreeGrammar
{
    private readonly Dictionary<string, IReadOnlyList<IReadOnlyList<GrammarSymbol>>> _rules;
    private readonly Dictionary<string, BigInteger> _counts = new();

    public string Start { get; }
    public IReadOnlyCollection<string> Nonterminals => _rules.Keys;

    public IReadOnlyList<IReadOnlyList<GrammarSymbol>> Productions(string nonterminal) =>
        _rules.TryGetValue(nonterminal, out var p) ? p : throw new ArgumentException($"The grammar has no rule for '{nonterminal}'.");

    private ContextFreeGrammar(string start, Dictionary<string, IReadOnlyList<IReadOnlyList<GrammarSymbol>>> rules)
    {
        (Start, _rules) = (start, rules);
        foreach (var (lhs, productions) in rules)
            foreach (var s in productions.SelectMany(p => p).Where(s => !s.Terminal))
                if (!rules.ContainsKey(s.Name)) throw new FormatException($"Grammar rule '{lhs}' uses '{s.Name}', which has no rule; define it or quote it as a terminal.");
        foreach (var lhs in rules.Keys) CheckNotRecursive(lhs, []);
    }

    private void CheckNotRecursive(string symbol, List<string> path)
    {
        if (path.Contains(symbol)) throw new FormatException($"The grammar is recursive ({string.Join(" -> ", path.Append(symbol))}); NasKit's grammar spaces need finite derivations.");
        path.Add(symbol);
        foreach (var s in _rules[symbol].SelectMany(p => p).Where(s => !s.Terminal).Select(s => s.Name).Distinct()) CheckNotRecursive(s, path);
        path.RemoveAt(path.Count - 1);
    }

    /// <summary>Reads the <c>.cfg</c> notation; several texts are one grammar (a macro grammar and its cell grammar), the first line of the first the start.</summary>
    public static ContextFreeGrammar Parse(params string[] texts)
    {
        var rules = new Dictionary<string, IReadOnlyList<IReadOnlyList<GrammarSymbol>>>();
        string? start = null;
        foreach (var (line, number) in texts.SelectMany(t => t.Split('\n')).Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split("->", 2);
            var lhs = parts[0].Trim();
            if (parts.Length != 2 || !Identifier().IsMatch(lhs)) throw new FormatException($"Grammar line {number} '{line}' must read 'NONTERMINAL -> symbols | symbols'.");
            if (rules.ContainsKey(lhs)) throw new FormatException($"Grammar line {number}: '{lhs}' has a rule already; list all its alternatives on one line.");
            var productions = parts[1].Split('|').Select(alt => Symbols(alt, number)).ToArray();
            if (productions.Any(p => p.Count == 0)) throw new FormatException($"Grammar line {number}: an alternative of '{lhs}' is empty.");
            rules[lhs] = productions;
            start ??= lhs;
        }
        return start is null ? throw new FormatException("The grammar has no rules.") : new ContextFreeGrammar(start, rules);
    }

    private static IReadOnlyList<GrammarSymbol> Symbols(string alternative, int line) =>
        Token().Matches(alternative).Select(m => m.Groups[1].Success ? new GrammarSymbol(m.Groups[1].Value, true)
            : Identifier().IsMatch(m.Value) ? new GrammarSymbol(m.Value, false)
            : throw new FormatException($"Grammar line {line}: '{m.Value}' is neither a quoted terminal nor a nonterminal name.")).ToArray();

    /// <summary>The number of distinct derivations of <paramref name="symbol"/> (of the start symbol by default).</summary>
    public BigInteger Count(string? symbol = null)
    {
        symbol ??= Start;
        if (_counts.TryGetValue(symbol, out var c)) return c;
        var total = BigInteger.Zero;
        foreach (var p in _rules[symbol])
        {
            var product = BigInteger.One;
            foreach (var s in p.Where(s => !s.Terminal)) product *= Count(s.Name);
            total += product;
        }
        return _counts[symbol] = total;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex("\"([^\"]*)\"|[^\\s\"]+")]
    private static partial Regex Token();
}
