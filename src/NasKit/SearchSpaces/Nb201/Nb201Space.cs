using NasKit.Networks;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// The NAS-Bench-201 cell space (Dong &amp; Yang, ICLR 2020): 6 edges × 5 ops = 15,625 cells, one categorical
/// decision per edge. Sampling, mutation (the NB201 paper's REA: a random edge gets a different random op),
/// neighbours, crossover and one-hot encoding come from <see cref="DecisionSpace{TArch}"/>; this class adds the
/// official string form, the path encoding, the cell graph, the networks, the supernets and the cost model.
/// <para>
/// <see cref="All"/> enumerates in the order given at construction. The default is the code order
/// (0..15,624); <c>Nb201Benchmark.Space</c> gives a space in the benchmark's official index order, which
/// is not a formula of the ops (the benchmark's authors shuffled it), so it comes from the tables.
/// </para>
/// </summary>
public sealed class Nb201Space : DecisionSpace<Nb201Cell>,
    IPooledBuildSpace<Nb201Cell>, IGraphEncodableSpace<Nb201Cell>, IDifferentiableSpace<Nb201Cell>,
    IWeightSharingSpace<Nb201Cell>, ICostModelSpace<Nb201Cell>, IInheritableSpace<Nb201Cell>
{
    private readonly IReadOnlyList<Nb201Cell>? _order;

    public Nb201Space() : base("nb201", Nb201Cell.Edges.Select(e => Decision.Categorical($"{e.From}->{e.To}", [.. Nb201Ops.Names])).ToArray()) { }

    /// <summary>A space that enumerates <paramref name="order"/> (a permutation of all 15,625 cells).</summary>
    public Nb201Space(IReadOnlyList<Nb201Cell> order) : this()
    {
        if (order.Count != Nb201Cell.SpaceSize || order.Select(c => c.Code).Distinct().Count() != Nb201Cell.SpaceSize)
            throw new ArgumentException("The order must list each of the 15,625 NB201 cells exactly once.", nameof(order));
        _order = order;
    }

    protected override Nb201Cell FromValues(int[] values) => new(values.Select(v => (Nb201Op)v).ToArray());
    protected override int[] ValuesOf(Nb201Cell arch) => arch.Ops.Select(o => (int)o).ToArray();

    public override long Count => Nb201Cell.SpaceSize;
    public override IEnumerable<Nb201Cell> All() => _order ?? Enumerable.Range(0, Nb201Cell.SpaceSize).Select(Nb201Cell.FromCode);

    /// <summary>The official string (<see cref="Nb201Cell.Parse"/>).</summary>
    public override Nb201Cell Parse(string text) => Nb201Cell.Parse(text);

    // Input→output paths, as edge indices: 0→3; 0→1→3; 0→2→3; 0→1→2→3.
    private static readonly int[][] Paths = [[3], [0, 4], [1, 5], [0, 2, 5]];
    private const int PathOps = Nb201Ops.Count - 1; // 'none' removes the path, so 4 ops can appear on one
    private static readonly int PathFeatures = PathOps + PathOps * PathOps + PathOps * PathOps * PathOps; // 84

    public override IReadOnlyList<ArchitectureEncoding> Encodings { get; } = [ArchitectureEncoding.OneHot, ArchitectureEncoding.Path];

    public override int EncodingLength(ArchitectureEncoding kind) => kind == ArchitectureEncoding.Path ? PathFeatures : base.EncodingLength(kind);

    /// <summary>
    /// One-hot: 6 blocks of 5. Path (BANANAS): one bit per op sequence along an input→output path that
    /// exists, i.e. has no <c>none</c> edge; sequences of length 1, 2 and 3 over the 4 other ops.
    /// </summary>
    public override float[] Encode(Nb201Cell arch, ArchitectureEncoding kind)
    {
        if (kind != ArchitectureEncoding.Path) return base.Encode(arch, kind);
        var v = new float[PathFeatures];
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

    /// <summary>The benchmark's network (NB201 <c>TinyNetwork</c> with an <c>InferCell</c> per cell).</summary>
    public nn.Module<Tensor, Tensor> Build(Nb201Cell arch, NetworkShape shape) => new Nb201Network(arch, shape);

    /// <summary>
    /// Everything outside the cells (stem, reduction blocks, last BN, classifier) and, in every cell, each edge whose op
    /// the two cells share: its module keeps its weights even when the edit moved its position among the cell's modules.
    /// </summary>
    public IReadOnlyList<(string Child, string Parent)> Inherited(Nb201Cell parent, Nb201Cell child, NetworkShape shape)
    {
        var pairs = new List<(string, string)> { ("stem.", "stem."), ("lastact_bn.", "lastact_bn."), ("classifier.", "classifier.") };
        int k = 0;
        for (int stage = 0; stage < 3; stage++)
        {
            if (stage > 0) { pairs.Add(($"cells.{k}.", $"cells.{k}.")); k++; } // the ResNet reduction block
            for (int n = 0; n < shape.CellsPerStage; n++, k++)
                for (int e = 0; e < Nb201Cell.EdgeCount; e++)
                    if (parent.Ops[e] == child.Ops[e] && Nb201InferCell.ModuleIndex(child, e) is var c and >= 0)
                        pairs.Add(($"cells.{k}.edges.{c}.", $"cells.{k}.edges.{Nb201InferCell.ModuleIndex(parent, e)}."));
        }
        return pairs;
    }

    public INetworkPool<Nb201Cell> CreatePool(NetworkShape shape) => new Nb201NetworkPool(shape);

    public long Parameters(Nb201Cell arch, NetworkShape shape) => Nb201CostModel.Parameters(arch, shape);
    public long Flops(Nb201Cell arch, NetworkShape shape, int resolution) => Nb201CostModel.Flops(arch, shape, resolution);

    public IReadOnlyList<string> OpNames => Nb201Ops.Names;

    public IRelaxedSupernet CreateSupernet(NetworkShape shape, SupernetOptions options) =>
        new Nb201SuperNetwork(shape, options.Affine, options.PartialChannels);

    public IWeightSharingSupernet<Nb201Cell> CreateWeightSharingSupernet(NetworkShape shape) => new Nb201SuperNetwork(shape);

    /// <summary>Each edge's most probable op, <c>none</c> included, as NB201's own DARTS and GDAS derive.</summary>
    public Nb201Cell Derive(IReadOnlyList<double[][]> probabilities)
    {
        if (probabilities.Count != 1 || probabilities[0].Length != Nb201Cell.EdgeCount)
            throw new ArgumentException($"An NB201 cell takes one [{Nb201Cell.EdgeCount} × {Nb201Ops.Count}] weight matrix.");
        return new(probabilities[0].Select(p => (Nb201Op)Array.IndexOf(p, p.Max())).ToArray());
    }

    public int SkipConnections(Nb201Cell arch) => arch.Ops.Count(o => o == Nb201Op.SkipConnect);
}
