using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces.Grammars;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm = NasKit.Networks.BatchNorm;

namespace NasKit.SearchSpaces.HierarchicalNb201;

/// <summary>
/// The network a hierarchical derivation describes. Every topology terminal is a small DAG whose edges carry the
/// production's other items, in the edge order of the reference (NePS' topologies): LinearK chains K edges;
/// Residual2 is (1→2, 1→3, 2→3) and Residual3 (1→2, 2→3, 1→4, 3→4), the 1→last edge being the skip; Cell is NB201's
/// (1→2, 1→3, 2→3, 1→4, 2→4, 3→4). A node sums its incoming edges; the last node is the output. resBlock is NB201's
/// ResNet basic block (stride 2, channels doubled); ops are NB201's (ReLU-conv-BN, 3×3 average pooling, identity, zero).
/// </summary>
public sealed class HierarchicalNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Stem stem;
    private readonly TopologyModule body;
    private readonly BatchNorm2d lastact_bn;
    private readonly ReLU relu = nn.ReLU();
    private readonly Linear classifier;

    public HierarchicalNetwork(DerivationTree tree, NetworkShape shape) : base(nameof(HierarchicalNetwork))
    {
        TorchRuntime.Prepare();
        stem = new Stem(shape.InputChannels, shape.Channels, shape.BatchNorm);
        (body, long channels) = TopologyModule.Create(tree, shape.Channels);
        lastact_bn = BatchNorm.Create2d(channels);
        classifier = nn.Linear(channels, shape.Classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = relu.call(lastact_bn.call(body.call(stem.call(input))));
        return classifier.call(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1));
    }

    protected override void Dispose(bool disposing) => NativeModules.Dispose(this, disposing, base.Dispose);
}

/// <summary>One topology of the derivation as a DAG of modules; edges whose op is zero are left out.</summary>
public sealed class TopologyModule : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> edges = new();
    private readonly (int From, int To)[] _edges;
    private readonly int _nodes;

    private TopologyModule(IReadOnlyList<(int From, int To, nn.Module<Tensor, Tensor> Op)> unordered) : base(nameof(TopologyModule))
    {
        // Sorted by target once: every source is complete before an edge reads it.
        var dag = unordered.OrderBy(e => e.To).ToArray();
        _edges = dag.Select(e => (e.From, e.To)).ToArray();
        _nodes = dag.Length == 0 ? 2 : dag.Max(e => e.To);
        foreach (var e in dag) edges.Add(e.Op);
        RegisterComponents();
    }

    public static IReadOnlyList<(int From, int To)> EdgeList(string topology) => topology switch
    {
        "Cell" => [(1, 2), (1, 3), (2, 3), (1, 4), (2, 4), (3, 4)],
        "Residual2" => [(1, 2), (1, 3), (2, 3)],
        "Residual3" => [(1, 2), (2, 3), (1, 4), (3, 4)],
        _ when topology.StartsWith("Linear", StringComparison.Ordinal) && int.TryParse(topology["Linear".Length..], out int k) && k >= 1 =>
            Enumerable.Range(1, k).Select(i => (i, i + 1)).ToArray(),
        _ => throw new ArgumentException($"Unknown topology '{topology}' (Cell, LinearK, Residual2, Residual3)."),
    };

    /// <summary>The module of a topology node and its output channels, from <paramref name="channels"/> in.</summary>
    public static (TopologyModule Module, long Channels) Create(DerivationTree node, long channels)
    {
        var items = node.Items().Skip(1).ToArray(); // the first item is the topology terminal
        var edgeList = EdgeList(node.Head);
        if (items.Length != edgeList.Count) throw new ArgumentException($"Topology {node.Head} has {edgeList.Count} edges, the derivation gives {items.Length}.");
        // The channels at each node: every edge into it must agree (the grammar guarantees it).
        var at = new Dictionary<int, long> { [1] = channels };
        var dag = new List<(int, int, nn.Module<Tensor, Tensor>)>();
        for (int e = 0; e < edgeList.Count; e++)
        {
            var (from, to) = edgeList[e];
            long cIn = at[from];
            var (op, cOut) = Edge(items[e].Symbol.Name, items[e].Child, cIn);
            if (at.TryGetValue(to, out var existing) && existing != cOut)
                throw new ArgumentException($"Topology {node.Head}: edges into node {to} give {existing} and {cOut} channels.");
            at[to] = cOut;
            if (op is not null) dag.Add((from, to, op));
        }
        return (new TopologyModule(dag), at[edgeList.Max(e => e.To)]);
    }

    private static (nn.Module<Tensor, Tensor>? Op, long Channels) Edge(string symbol, DerivationTree? child, long c)
    {
        if (child is null)
            return symbol == "resBlock" ? (new ResNetBasicBlock(c, 2 * c, 2, true, Activation.ReLU), 2 * c)
                : throw new ArgumentException($"Unknown terminal edge '{symbol}' (resBlock).");
        if (child.Symbol == "OPS")
            return child.Head switch
            {
                "zero" => (null, c),
                "id" => (nn.Identity(), c),
                "conv3x3" => (new ReluConvBn(c, c, 3, 1, 1), c),
                "conv1x1" => (new ReluConvBn(c, c, 1, 1, 0), c),
                "avg_pool" => (new AvgPool3x3(), c),
                var op => throw new ArgumentException($"Unknown op '{op}'."),
            };
        var (module, channels) = Create(child, c);
        return (module, channels);
    }

    public override Tensor forward(Tensor input)
    {
        var nodes = new Tensor?[_nodes + 1];
        nodes[1] = input;
        for (int i = 0; i < _edges.Length; i++)
        {
            var e = _edges[i];
            if (nodes[e.From] is not { } x) continue; // a source without live inputs is zero
            var y = edges[i].call(x);
            nodes[e.To] = nodes[e.To] is { } sum ? sum.Plus(y) : y;
        }
        return nodes[_nodes] ?? zeros_like(input);
    }
}
