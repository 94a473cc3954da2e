using System.Text;

namespace NasKit.Spaces.Grammars;

/// <summary>
/// One derivation of a grammar: a nonterminal, the alternative chosen for it and the derivations of its nonterminals,
/// in order. Immutable; its text is the bracketed form <c>(D0 Linear3 (C Linear2 (CELL Cell (OPS id) ...) ...) ...)</c>:
/// each nonterminal node opens a bracket with its name, then its production's terminals and children in order.
/// </summary>
public sealed class DerivationTree : IArchitecture
{
    private readonly string _text;

    public string Symbol { get; }
    public int Alternative { get; }
    public IReadOnlyList<GrammarSymbol> Production { get; }
    /// <summary>The derivations of the production's nonterminals, in order.</summary>
    public IReadOnlyList<DerivationTree> Children { get; }

    public DerivationTree(ContextFreeGrammar grammar, string symbol, int alternative, IReadOnlyList<DerivationTree> children)
    {
        var productions = grammar.Productions(symbol);
        if (alternative < 0 || alternative >= productions.Count) throw new ArgumentException($"'{symbol}' has alternatives 0..{productions.Count - 1}, got {alternative}.");
        Production = productions[alternative];
        var expected = Production.Where(s => !s.Terminal).Select(s => s.Name).ToArray();
        if (!expected.SequenceEqual(children.Select(c => c.Symbol)))
            throw new ArgumentException($"'{symbol}' alternative {alternative} derives [{string.Join(" ", expected)}], got [{string.Join(" ", children.Select(c => c.Symbol))}].");
        (Symbol, Alternative, Children) = (symbol, alternative, children.ToArray());
        var sb = new StringBuilder("(").Append(symbol);
        int k = 0;
        foreach (var s in Production) sb.Append(' ').Append(s.Terminal ? s.Name : Children[k++]._text);
        _text = sb.Append(')').ToString();
    }

    /// <summary>The production's symbols with each nonterminal replaced by its derivation: what a builder walks.</summary>
    public IEnumerable<(GrammarSymbol Symbol, DerivationTree? Child)> Items()
    {
        int k = 0;
        foreach (var s in Production) yield return (s, s.Terminal ? null : Children[k++]);
    }

    /// <summary>The first terminal of the production: the topology or op the node stands for.</summary>
    public string Head => Production[0].Terminal ? Production[0].Name : throw new InvalidOperationException($"'{Symbol}' derives no leading terminal.");

    /// <summary>Every node, this one first, depth-first.</summary>
    public IEnumerable<DerivationTree> Nodes() => Children.SelectMany(c => c.Nodes()).Prepend(this);

    public int Size => 1 + Children.Sum(c => c.Size);

    public string ToText() => _text;
    public override string ToString() => _text;
    public bool Equals(IArchitecture? other) => other is DerivationTree t && t._text == _text;
    public override bool Equals(object? obj) => obj is DerivationTree t && t._text == _text;
    public override int GetHashCode() => _text.GetHashCode(StringComparison.Ordinal);
}
