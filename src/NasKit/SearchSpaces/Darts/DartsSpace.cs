using NasKit.Experiments;
using NasKit.Networks;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.Darts;

/// <summary>
/// The DARTS cell space (Liu et al., ICLR 2019): a normal and a reduction cell of <see cref="Steps"/> intermediate
/// nodes, each node taking two different earlier states through one of the 7 ops other than <c>none</c>, all nodes
/// concatenated as the cell's output. As a discrete space (for RS, REA, local search, BANANAS, REINFORCE) it is made
/// of decisions: per cell and node, which pair of inputs (C(k, 2) options for the k states before it) and one op per
/// input; about 1.1e18 genotypes at 4 steps. A node's two edges are kept lower input first, so each network has one
/// genotype (the sum of a node's two ops does not depend on their order). For differentiable search it builds the
/// relaxed supernet and derives genotypes as the reference does.
/// <para>
/// Networks: C = Channels and 3·CellsPerStage + 2 cells (CellsPerStage normal cells in each of three stages, two
/// reductions between them): the reference search network is C=16, N=2 (8 cells), its CIFAR-10 evaluation network
/// C=36, 20 cells.
/// </para>
/// </summary>
public sealed class DartsSpace : DecisionSpace<DartsGenotype>, IDifferentiableSpace<DartsGenotype>, IBuildableSpace<DartsGenotype>
{
    // The discrete space's ops: every DARTS op but none (a derived genotype never uses it).
    private static readonly DartsOp[] Ops = Enum.GetValues<DartsOp>().Where(o => o != DartsOp.None).ToArray();
    private static readonly string[] CellNames = ["normal", "reduce"];

    public int Steps { get; }
    public IReadOnlyList<string> OpNames => DartsOps.Names;

    public DartsSpace(int steps = 4) : base("darts", Build(steps)) => Steps = steps;

    private static Decision[] Build(int steps)
    {
        if (steps < 1) throw new ArgumentException($"A DARTS cell needs at least one intermediate node, got {steps}.");
        var decisions = new List<Decision>();
        foreach (var cell in CellNames)
            for (int node = 2; node < steps + 2; node++)
            {
                decisions.Add(Decision.Categorical($"{cell}.node{node}.inputs", [.. Pairs(node).Select(p => $"{p.A}+{p.B}")]));
                decisions.Add(Decision.Categorical($"{cell}.node{node}.op1", [.. Ops.Select(o => o.Name())]));
                decisions.Add(Decision.Categorical($"{cell}.node{node}.op2", [.. Ops.Select(o => o.Name())]));
            }
        return [.. decisions];
    }

    /// <summary>The pairs of distinct inputs a node can take, lower first, in lexicographic order.</summary>
    private static IEnumerable<(int A, int B)> Pairs(int node)
    {
        for (int a = 0; a < node; a++)
            for (int b = a + 1; b < node; b++)
                yield return (a, b);
    }

    private static int PairIndex(int node, int a, int b) => Pairs(node).Select((p, i) => (p, i)).First(x => x.p == (a, b)).i;

    protected override DartsGenotype FromValues(int[] values)
    {
        var cells = new List<DartsEdge>[2];
        int d = 0;
        for (int c = 0; c < 2; c++)
        {
            cells[c] = [];
            for (int node = 2; node < Steps + 2; node++)
            {
                var (a, b) = Pairs(node).ElementAt(values[d]);
                cells[c].Add(new DartsEdge(Ops[values[d + 1]], a));
                cells[c].Add(new DartsEdge(Ops[values[d + 2]], b));
                d += 3;
            }
        }
        var concat = Enumerable.Range(2, Steps).ToArray();
        return new DartsGenotype(cells[0], concat, cells[1], concat);
    }

    protected override int[] ValuesOf(DartsGenotype g)
    {
        var values = new int[Decisions.Count];
        int d = 0;
        foreach (var (edges, concat, cell) in new[] { (g.Normal, g.NormalConcat, "normal"), (g.Reduce, g.ReduceConcat, "reduce") })
        {
            if (edges.Count != 2 * Steps) throw new ArgumentException($"The {cell} cell has {edges.Count / 2} nodes; this DARTS space has {Steps}.");
            if (!concat.Order().SequenceEqual(Enumerable.Range(2, Steps)))
                throw new ArgumentException($"The {cell} cell concatenates [{string.Join(", ", concat)}]; this space's cells concatenate every intermediate node, [{string.Join(", ", Enumerable.Range(2, Steps))}].");
            for (int node = 2; node < Steps + 2; node++)
            {
                var (e1, e2) = (edges[2 * (node - 2)], edges[2 * (node - 2) + 1]);
                if (e1.Input == e2.Input) throw new ArgumentException($"Node {node} of the {cell} cell takes state {e1.Input} twice; here a node takes two different states.");
                if (e1.Op == DartsOp.None || e2.Op == DartsOp.None) throw new ArgumentException($"Node {node} of the {cell} cell uses 'none', which a discrete DARTS cell has not.");
                if (e1.Input > e2.Input) (e1, e2) = (e2, e1);
                values[d] = PairIndex(node, e1.Input, e2.Input);
                values[d + 1] = Array.IndexOf(Ops, e1.Op);
                values[d + 2] = Array.IndexOf(Ops, e2.Op);
                d += 3;
            }
        }
        return values;
    }

    /// <summary>Reads the reference's genotype text (<see cref="DartsGenotype.Parse"/>) and puts each node's edges lower input first.</summary>
    public override DartsGenotype Parse(string text)
    {
        var g = DartsGenotype.Parse(text);
        try { return FromValues(ValuesOf(g)); }
        catch (ArgumentException e) { throw new ArchitectureFormatException(text, e.Message.TrimEnd('.'), $"a DARTS genotype with {Steps} nodes per cell"); }
    }

    public static int Layers(NetworkShape shape) => 3 * shape.CellsPerStage + 2;

    /// <summary>The reference's evaluation network (<see cref="DartsNetwork"/>) at C = Channels with <see cref="Layers"/> cells.</summary>
    public nn.Module<Tensor, Tensor> Build(DartsGenotype arch, NetworkShape shape) =>
        new DartsNetwork(arch, shape.Channels, Layers(shape), shape.Classes, shape.InputChannels);

    public IRelaxedSupernet CreateSupernet(NetworkShape shape, SupernetOptions options) =>
        new DartsSuperNetwork(shape.Channels, Layers(shape), shape.Classes, shape.InputChannels, Steps, options);

    /// <summary>
    /// The reference's <c>genotype()</c>: for each node, the two inputs whose strongest op other than <c>none</c> is
    /// largest (ties to the lower input, as Python's stable sort), each with that op; all nodes concatenated.
    /// </summary>
    public DartsGenotype Derive(IReadOnlyList<double[][]> probabilities)
    {
        if (probabilities.Count != 2) throw new ArgumentException($"A DARTS architecture has normal and reduction weights; got {probabilities.Count} matrices.");
        var concat = Enumerable.Range(2, Steps).ToArray();
        return new DartsGenotype(ParseWeights(probabilities[0]), concat, ParseWeights(probabilities[1]), concat);
    }

    private List<DartsEdge> ParseWeights(double[][] w)
    {
        if (w.Length != DartsSearchCell.EdgeCount(Steps) || w.Any(r => r.Length != DartsOps.Count))
            throw new ArgumentException($"Expected [{DartsSearchCell.EdgeCount(Steps)} × {DartsOps.Count}] weights for {Steps} steps.");
        var gene = new List<DartsEdge>();
        int start = 0;
        for (int i = 0; i < Steps; i++)
        {
            int n = i + 2;
            int Best(int j) => Enumerable.Range(1, DartsOps.Count - 1).Aggregate((b, k) => w[start + j][k] > w[start + j][b] ? k : b);
            var inputs = Enumerable.Range(0, n).OrderByDescending(j => w[start + j][Best(j)]).Take(2); // OrderBy is stable
            foreach (var j in inputs) gene.Add(new DartsEdge((DartsOp)Best(j), j));
            start += n;
        }
        return gene;
    }

    public int SkipConnections(DartsGenotype arch) => arch.Normal.Count(e => e.Op == DartsOp.SkipConnect);
}

/// <summary><c>darts</c> in the space catalog: the DARTS/PC-DARTS cell space with 4 nodes per cell.</summary>
public sealed class DartsSpaceEntry : ISpaceEntry
{
    public string Name => "darts";
    public string Description => "DARTS cells (normal + reduction, 4 nodes, 7 ops): discrete (~1.1e18 genotypes, buildable) and differentiable.";
    public int Order => 20;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new DartsSpace());
}
