using NasKit.Networks;
using NasKit.Networks.Darts;

namespace NasKit.Spaces.Darts;

/// <summary>
/// The DARTS cell space (Liu et al., ICLR 2019) for differentiable search: normal and reduction cells of
/// <see cref="Steps"/> intermediate nodes, each node taking two inputs from the earlier states through one of 8 ops.
/// The supernet for a <see cref="NetworkShape"/> has C = Channels and 3·CellsPerStage + 2 cells (CellsPerStage
/// normal cells in each of three stages, two reductions between them: the reference search network is C=16, N=2, 8 cells).
/// </summary>
public sealed class DartsSpace(int steps = 4) : IDifferentiableSpace<DartsGenotype>
{
    public int Steps { get; } = steps;
    public string Name => "darts";
    public IReadOnlyList<string> OpNames => DartsOps.Names;

    public static int Layers(NetworkShape shape) => 3 * shape.CellsPerStage + 2;

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
        return new DartsGenotype(Parse(probabilities[0]), concat, Parse(probabilities[1]), concat);
    }

    private List<DartsEdge> Parse(double[][] w)
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
