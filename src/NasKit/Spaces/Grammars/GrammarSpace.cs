namespace NasKit.Spaces.Grammars;

/// <summary>
/// The architectures a context-free grammar derives (Schrodi et al. 2023): sampling expands each nonterminal with a
/// uniformly drawn alternative; mutation redraws the subtree of one node drawn uniformly; crossover swaps two subtrees
/// of the same nonterminal between the parents; neighbours swap the alternative of one node whose alternatives are
/// terminals only (an op, say). Every move stays in the grammar's language.
/// </summary>
public class GrammarSpace : ISearchSpace<DerivationTree>, IMutableSpace<DerivationTree>, ICrossoverSpace<DerivationTree>
{
    public ContextFreeGrammar Grammar { get; }
    public string Name { get; }

    public GrammarSpace(string name, ContextFreeGrammar grammar) => (Name, Grammar) = (name, grammar);

    /// <summary>The number of derivations of the start symbol.</summary>
    public System.Numerics.BigInteger Count => Grammar.Count();

    public DerivationTree Sample(Random rng) => Expand(Grammar.Start, rng);

    private DerivationTree Expand(string symbol, Random rng)
    {
        var productions = Grammar.Productions(symbol);
        int alternative = rng.Next(productions.Count);
        return new DerivationTree(Grammar, symbol, alternative, productions[alternative].Where(s => !s.Terminal).Select(s => Expand(s.Name, rng)).ToArray());
    }

    public DerivationTree Mutate(DerivationTree arch, Random rng)
    {
        var nodes = arch.Nodes().ToArray();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var target = nodes[rng.Next(nodes.Length)];
            if (Grammar.Count(target.Symbol) < 2) continue;
            var child = Replace(arch, target, Expand(target.Symbol, rng));
            if (!child.Equals(arch)) return child;
        }
        throw new InvalidOperationException($"{arch.ToText()} has no neighbour in space '{Name}': every node has one derivation.");
    }

    public IReadOnlyList<DerivationTree> Neighbours(DerivationTree arch)
    {
        var result = new List<DerivationTree>();
        foreach (var node in arch.Nodes().Where(n => n.Children.Count == 0))
        {
            var productions = Grammar.Productions(node.Symbol);
            for (int a = 0; a < productions.Count; a++)
                if (a != node.Alternative && productions[a].All(s => s.Terminal))
                    result.Add(Replace(arch, node, new DerivationTree(Grammar, node.Symbol, a, [])));
        }
        return result.Distinct().ToArray();
    }

    /// <summary>A's tree with one subtree (drawn uniformly) replaced by a subtree of B of the same nonterminal; A itself when B has none.</summary>
    public DerivationTree Crossover(DerivationTree a, DerivationTree b, Random rng)
    {
        var nodes = a.Nodes().ToArray();
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var target = nodes[rng.Next(nodes.Length)];
            var donors = b.Nodes().Where(n => n.Symbol == target.Symbol).ToArray();
            if (donors.Length > 0) return Replace(a, target, donors[rng.Next(donors.Length)]);
        }
        return a;
    }

    /// <summary>The tree with the node <paramref name="target"/> (by reference) replaced by <paramref name="replacement"/>.</summary>
    public DerivationTree Replace(DerivationTree tree, DerivationTree target, DerivationTree replacement)
    {
        if (ReferenceEquals(tree, target)) return replacement;
        bool changed = false;
        var children = tree.Children.Select(c =>
        {
            var r = Replace(c, target, replacement);
            changed |= !ReferenceEquals(r, c);
            return r;
        }).ToArray();
        return changed ? new DerivationTree(Grammar, tree.Symbol, tree.Alternative, children) : tree;
    }

    /// <summary>Reads the bracketed text form, checking every node against the grammar.</summary>
    public virtual DerivationTree Parse(string text)
    {
        var tokens = text.Replace("(", " ( ").Replace(")", " ) ").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int at = 0;
        DerivationTree Node(string expected)
        {
            if (at >= tokens.Length || tokens[at] != "(") throw Error($"expected '(' opening a {expected} at token {at + 1}");
            at++;
            if (at >= tokens.Length || tokens[at] != expected) throw Error($"expected {expected} at token {at + 1}, got '{(at < tokens.Length ? tokens[at] : "the end")}'");
            at++;
            var productions = Grammar.Productions(expected);
            int start = at;
            for (int alt = 0; alt < productions.Count; alt++)
            {
                at = start;
                var children = new List<DerivationTree>();
                bool ok = true;
                foreach (var s in productions[alt])
                {
                    if (s.Terminal) { if (at < tokens.Length && tokens[at] == s.Name) at++; else { ok = false; break; } }
                    else
                    {
                        if (at >= tokens.Length || tokens[at] != "(" || at + 1 >= tokens.Length || tokens[at + 1] != s.Name) { ok = false; break; }
                        children.Add(Node(s.Name));
                    }
                }
                if (ok && at < tokens.Length && tokens[at] == ")") { at++; return new DerivationTree(Grammar, expected, alt, children); }
            }
            throw Error($"no alternative of {expected} ({string.Join(" | ", productions.Select(p => string.Join(" ", p)))}) matches at token {start + 1}");
        }
        ArchitectureFormatException Error(string problem)
        {
            var example = Sample(new Random(0)).ToText();
            return new(text, problem, $"a derivation of {Grammar.Start} such as {example[..Math.Min(80, example.Length)]}...");
        }
        var tree = Node(Grammar.Start);
        if (at != tokens.Length) throw Error($"text continues after the derivation at token {at + 1}");
        return tree;
    }
}
