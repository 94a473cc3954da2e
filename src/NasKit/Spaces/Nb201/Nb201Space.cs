using NasKit.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Spaces.Nb201;

/// <summary>
/// The NAS-Bench-201 cell space (Dong &amp; Yang, ICLR 2020): 6 edges × 5 ops = 15,625 cells.
/// <para>
/// <see cref="All"/> enumerates in the order given at construction. The default is the code order
/// (0..15,624); <c>Nb201Benchmark.Space</c> gives a space in the benchmark's official index order, which
/// is not a formula of the ops (the benchmark's authors shuffled it), so it comes from the tables.
/// </para>
/// </summary>
public sealed class Nb201Space :
    ISearchSpace<Nb201Cell>, IEnumerableSpace<Nb201Cell>, IMutableSpace<Nb201Cell>,
    IEncodableSpace<Nb201Cell>, IPooledBuildSpace<Nb201Cell>, ICategoricalSpace<Nb201Cell>, ICrossoverSpace<Nb201Cell>,
    IGraphEncodableSpace<Nb201Cell>, IDifferentiableSpace<Nb201Cell>
{
    private readonly IReadOnlyList<Nb201Cell>? _order;

    public Nb201Space() { }

    /// <summary>A space that enumerates <paramref name="order"/> (a permutation of all 15,625 cells).</summary>
    public Nb201Space(IReadOnlyList<Nb201Cell> order)
    {
        if (order.Count != Nb201Cell.SpaceSize || order.Select(c => c.Code).Distinct().Count() != Nb201Cell.SpaceSize)
            throw new ArgumentException("The order must list each of the 15,625 NB201 cells exactly once.", nameof(order));
        _order = order;
    }

    public string Name => "nb201";
    public long Count => Nb201Cell.SpaceSize;

    public IEnumerable<Nb201Cell> All() =>
        _order ?? Enumerable.Range(0, Nb201Cell.SpaceSize).Select(Nb201Cell.FromCode);

    public Nb201Cell Sample(Random rng)
    {
        var ops = new Nb201Op[Nb201Cell.EdgeCount];
        for (int i = 0; i < ops.Length; i++) ops[i] = (Nb201Op)rng.Next(Nb201Ops.Count);
        return new Nb201Cell(ops);
    }

    public Nb201Cell Parse(string text) => Nb201Cell.Parse(text);

    private static readonly int[] ChoiceCounts = Enumerable.Repeat(Nb201Ops.Count, Nb201Cell.EdgeCount).ToArray();
    public IReadOnlyList<int> Choices => ChoiceCounts;
    public int[] ToDecisions(Nb201Cell arch) => arch.Ops.Select(o => (int)o).ToArray();
    public Nb201Cell FromDecisions(IReadOnlyList<int> decisions) => new(decisions.Select(d => (Nb201Op)d).ToArray());

    /// <summary>One-edge mutation as in the NB201 paper's REA: a random edge gets a different random op.</summary>
    public Nb201Cell Mutate(Nb201Cell arch, Random rng)
    {
        int edge = rng.Next(Nb201Cell.EdgeCount);
        int op = rng.Next(Nb201Ops.Count - 1);
        if (op >= (int)arch[edge]) op++;
        return arch.With(edge, (Nb201Op)op);
    }

    /// <summary>Uniform crossover: each edge's op comes from either parent with probability 1/2.</summary>
    public Nb201Cell Crossover(Nb201Cell a, Nb201Cell b, Random rng) =>
        new(Enumerable.Range(0, Nb201Cell.EdgeCount).Select(e => rng.Next(2) == 0 ? a[e] : b[e]).ToArray());

    /// <summary>The 24 cells that differ in exactly one edge, edge-major then op order.</summary>
    public IReadOnlyList<Nb201Cell> Neighbours(Nb201Cell arch)
    {
        var result = new List<Nb201Cell>(Nb201Cell.EdgeCount * (Nb201Ops.Count - 1));
        for (int e = 0; e < Nb201Cell.EdgeCount; e++)
            for (int op = 0; op < Nb201Ops.Count; op++)
                if (op != (int)arch[e]) result.Add(arch.With(e, (Nb201Op)op));
        return result;
    }

    // Input→output paths, as edge indices: 0→3; 0→1→3; 0→2→3; 0→1→2→3.
    private static readonly int[][] Paths = [[3], [0, 4], [1, 5], [0, 2, 5]];
    private const int PathOps = Nb201Ops.Count - 1; // 'none' removes the path, so 4 ops can appear on one
    private static readonly int PathFeatures = PathOps + PathOps * PathOps + PathOps * PathOps * PathOps; // 84

    // The op-on-node form of the cell (as NASLib and BRP-NAS give NB201 to a GCN): node 0 is the input, nodes 1..6
    // are the six edges' ops, node 7 the output. An op node takes its input from the cell's input (edge from node 0)
    // or from every op node ending where it starts; the output takes every op node ending at node 3.
    public int GraphNodes => Nb201Cell.EdgeCount + 2;
    public int NodeFeatures => Nb201Ops.Count + 2; // op one-hot, then is-input, is-output

    public (float[] Adjacency, float[] Features) Graph(Nb201Cell arch)
    {
        int n = GraphNodes, f = NodeFeatures;
        var adjacency = new float[n * n];
        var features = new float[n * f];
        features[0 * f + Nb201Ops.Count] = 1;
        features[(n - 1) * f + Nb201Ops.Count + 1] = 1;
        for (int e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            var (from, to) = Nb201Cell.Edges[e];
            features[(e + 1) * f + (int)arch[e]] = 1;
            if (from == 0) adjacency[0 * n + e + 1] = 1;
            for (int p = 0; p < Nb201Cell.EdgeCount; p++)
                if (Nb201Cell.Edges[p].To == from) adjacency[(p + 1) * n + e + 1] = 1;
            if (to == 3) adjacency[(e + 1) * n + n - 1] = 1;
        }
        return (adjacency, features);
    }

    public int EncodingLength(ArchitectureEncoding kind) => kind switch
    {
        ArchitectureEncoding.OneHot => Nb201Cell.EdgeCount * Nb201Ops.Count,
        ArchitectureEncoding.Path => PathFeatures,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// One-hot: 6 blocks of 5. Path (BANANAS): one bit per op sequence along an input→output path that
    /// exists, i.e. has no <c>none</c> edge; sequences of length 1, 2 and 3 over the 4 other ops.
    /// </summary>
    public float[] Encode(Nb201Cell arch, ArchitectureEncoding kind)
    {
        var v = new float[EncodingLength(kind)];
        if (kind == ArchitectureEncoding.OneHot)
        {
            for (int e = 0; e < Nb201Cell.EdgeCount; e++) v[e * Nb201Ops.Count + (int)arch[e]] = 1;
            return v;
        }
        foreach (var path in Paths)
        {
            int offset = path.Length switch { 1 => 0, 2 => PathOps, _ => PathOps + PathOps * PathOps };
            int index = 0;
            bool exists = true;
            foreach (int edge in path)
            {
                if (arch[edge] == Nb201Op.None) { exists = false; break; }
                index = index * PathOps + ((int)arch[edge] - 1);
            }
            if (exists) v[offset + index] = 1;
        }
        return v;
    }

    /// <summary>The benchmark's network (NB201 <c>TinyNetwork</c> with an <c>InferCell</c> per cell).</summary>
    public nn.Module<Tensor, Tensor> Build(Nb201Cell arch, NetworkShape shape) => new Nb201Network(arch, shape);

    public IReadOnlyList<string> OpNames => Nb201Ops.Names;

    public IRelaxedSupernet CreateSupernet(NetworkShape shape, SupernetOptions options) =>
        new Nb201SuperNetwork(shape, options.Affine, options.PartialChannels);

    /// <summary>Each edge's most probable op, <c>none</c> included, as NB201's own DARTS and GDAS derive.</summary>
    public Nb201Cell Derive(IReadOnlyList<double[][]> probabilities)
    {
        if (probabilities.Count != 1 || probabilities[0].Length != Nb201Cell.EdgeCount)
            throw new ArgumentException($"An NB201 cell takes one [{Nb201Cell.EdgeCount} × {Nb201Ops.Count}] weight matrix.");
        return new(probabilities[0].Select(p => (Nb201Op)Array.IndexOf(p, p.Max())).ToArray());
    }

    public int SkipConnections(Nb201Cell arch) => arch.Ops.Count(o => o == Nb201Op.SkipConnect);

    public INetworkPool<Nb201Cell> CreatePool(NetworkShape shape) => new Nb201NetworkPool(shape);
}
