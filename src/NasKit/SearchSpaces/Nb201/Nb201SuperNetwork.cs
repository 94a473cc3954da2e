using NasKit.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using NasKit.Networks;

using BatchNorm = NasKit.Networks.BatchNorm;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// One NB201 edge holding every candidate op (a supernet's mixed op). It runs either one op (a single path, as
/// SPOS, ENAS and weight inheritance do) or the weighted sum of all ops (the continuous relaxation of DARTS and
/// GDAS). <c>none</c> has no module and contributes zeros, so it is never computed.
/// </summary>
public sealed class Nb201MixedEdge : nn.Module<Tensor, Tensor>
{
    private readonly ReluConvBn conv1x1, conv3x3;
    private readonly AvgPool3x3 pool;
    private readonly int _k;

    /// <param name="partialChannels">PC-DARTS' K: the ops are built for channels/K and <see cref="Mix"/> runs them on that share only.</param>
    public Nb201MixedEdge(long channels, bool batchNorm = true, bool affine = true, int partialChannels = 1) : base(nameof(Nb201MixedEdge))
    {
        _k = partialChannels;
        long c = channels / partialChannels;
        conv1x1 = new ReluConvBn(c, c, 1, 1, 0, affine: affine, batchNorm: batchNorm);
        conv3x3 = new ReluConvBn(c, c, 3, 1, 1, affine: affine, batchNorm: batchNorm);
        pool = new AvgPool3x3();
        RegisterComponents();
    }

    /// <summary>The op's module (null for none and skip_connect, which have no weights).</summary>
    public nn.Module<Tensor, Tensor>? Module(Nb201Op op) => op switch
    {
        Nb201Op.NorConv1x1 => conv1x1,
        Nb201Op.NorConv3x3 => conv3x3,
        Nb201Op.AvgPool3x3 => pool,
        _ => null,
    };

    /// <summary>One op; null for none (a zero contribution).</summary>
    public Tensor? Apply(Tensor x, Nb201Op op) => _k != 1
        ? throw new InvalidOperationException("A single path needs full-channel ops; this supernet was built with partial channels (PC-DARTS).")
        : op switch
    {
        Nb201Op.None => null,
        Nb201Op.SkipConnect => x,
        _ => Module(op)!.call(x),
    };

    /// <summary>Σ_k weights[k]·op_k(x) over the ops in <see cref="Nb201Op"/> order; weights is a vector of 5.</summary>
    public Tensor Mix(Tensor x, Tensor weights) => PartialChannels.Apply(x, _k, h => RelaxedSupernets.Sum(
        Enumerable.Range(1, Nb201Ops.Count - 1).Select(k => (Nb201Op)k == Nb201Op.SkipConnect // none (k = 0) adds weight × 0
            ? h * weights[k]
            : Module((Nb201Op)k)!.call(h) * weights[k])));

    public override Tensor forward(Tensor x) =>
        throw new InvalidOperationException("A mixed edge runs through Apply (one op) or Mix (weighted ops), not forward.");
}

/// <summary>An NB201 cell whose six edges are mixed edges: the node DAG of <see cref="Nb201InferCell"/>.</summary>
public sealed class Nb201SearchCell : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Nb201MixedEdge> edges = new();

    public Nb201SearchCell(long channels, bool batchNorm = true, bool affine = true, int partialChannels = 1) : base(nameof(Nb201SearchCell))
    {
        for (int e = 0; e < Nb201Cell.EdgeCount; e++) edges.Add(new Nb201MixedEdge(channels, batchNorm, affine, partialChannels));
        RegisterComponents();
    }

    public Nb201MixedEdge Edge(int e) => edges[e];

    /// <summary>Runs the DAG with <paramref name="edge"/> computing each edge (null = no contribution).</summary>
    public Tensor Run(Tensor input, Func<int, Nb201MixedEdge, Tensor, Tensor?> edge)
    {
        // Tensors made here are released once added (see Nb201InferCell.forward): partial sums and edge outputs, which
        // in a supernet no hook observes. An edge output that is its input (a skip on a path) belongs to the caller.
        var nodes = new Tensor?[4];
        var owned = new bool[4];
        nodes[0] = input;
        for (int e = 0, j = 1; j <= 3; j++)
        {
            Tensor? sum = null;
            for (int i = 0; i < j; i++, e++)
            {
                if (nodes[i] is null) continue;
                var y = edge(e, edges[e], nodes[i]!);
                if (y is null) continue;
                bool yOwned = !ReferenceEquals(y, nodes[i]);
                if (sum is null) { (sum, owned[j]) = (y, yOwned); continue; }
                var next = sum.Plus(y);
                if (owned[j]) sum.Dispose();
                if (yOwned) y.Dispose();
                (sum, owned[j]) = (next, true);
            }
            nodes[j] = sum;
        }
        for (int j = 1; j <= 2; j++)
            if (owned[j] && !ReferenceEquals(nodes[j], nodes[3])) nodes[j]!.Dispose();
        return nodes[3] ?? zeros_like(input);
    }

    public override Tensor forward(Tensor x) =>
        throw new InvalidOperationException("A search cell runs through Run with a path or weights, not forward.");
}

/// <summary>
/// The NB201 supernet: the macro skeleton of <see cref="Nb201Network"/> with a search cell in every cell position,
/// sharing one set of weights among all 15,625 cells. <see cref="Forward(Tensor, Nb201Cell)"/> runs one cell's path
/// (one-shot / SPOS / ENAS); <see cref="Forward(Tensor, Tensor)"/> mixes every op by per-edge weights [6, 5] (DARTS,
/// GDAS). <see cref="Subnet"/> builds a standalone network of one cell with the inherited weights.
/// </summary>
public sealed class Nb201SuperNetwork : nn.Module<Tensor, Tensor>, IRelaxedSupernet, IWeightSharingSupernet<Nb201Cell>
{
    private readonly Stem stem;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> cells = new();
    private readonly BatchNorm2d? lastact_bn;
    private readonly ReLU lastact_relu;
    private readonly Linear classifier;

    public NetworkShape Shape { get; }

    /// <summary>The options it was built with.</summary>
    public SupernetOptions Options { get; }

    /// <param name="affine">False for the cells' BN without learned scale and shift, as DARTS and NB201 search with.</param>
    /// <param name="partialChannels">PC-DARTS' K (1: every channel through every op).</param>
    public Nb201SuperNetwork(NetworkShape shape, bool affine = true, int partialChannels = 1) : base(nameof(Nb201SuperNetwork))
    {
        TorchRuntime.Prepare();
        Shape = shape;
        Options = new SupernetOptions(affine, partialChannels);
        Options.Validate(shape.Channels);
        long c = shape.Channels;
        bool bn = shape.BatchNorm;
        stem = new Stem(shape.InputChannels, c, bn);
        long cPrev = c;
        for (int stage = 0; stage < 3; stage++)
        {
            long cCur = c << stage;
            if (stage > 0) { cells.Add(new ResNetBasicBlock(cPrev, cCur, 2, bn)); cPrev = cCur; }
            for (int n = 0; n < shape.CellsPerStage; n++) cells.Add(new Nb201SearchCell(cCur, bn, affine, partialChannels));
        }
        lastact_bn = bn ? BatchNorm.Create2d(cPrev) : null;
        lastact_relu = nn.ReLU();
        classifier = nn.Linear(cPrev, shape.Classes);
        RegisterComponents();
    }

    /// <summary>Also frees the native layers TorchSharp leaves behind (see <see cref="NativeModules"/>).</summary>
    protected override void Dispose(bool disposing) => NativeModules.Dispose(this, disposing, base.Dispose);

    nn.Module IRelaxedSupernet.Module => this;
    nn.Module IWeightSharingSupernet<Nb201Cell>.Module => this;

    public IReadOnlyList<(int Edges, int Ops)> ArchitectureShape { get; } = [(Nb201Cell.EdgeCount, Nb201Ops.Count)];

    Tensor IRelaxedSupernet.Forward(Tensor x, IReadOnlyList<Tensor> edgeWeights)
    {
        RelaxedSupernets.CheckShape(edgeWeights, ArchitectureShape);
        return Forward(x, edgeWeights[0]);
    }

    Tensor IRelaxedSupernet.ForwardSampled(Tensor x, IReadOnlyList<Tensor> hardWeights)
    {
        RelaxedSupernets.CheckShape(hardWeights, ArchitectureShape);
        return ForwardSampled(x, hardWeights[0]);
    }

    /// <summary>Logits of one cell's path through the shared weights.</summary>
    public Tensor Forward(Tensor x, Nb201Cell path) => Run(x, (e, edge, h) => edge.Apply(h, path[e]));

    /// <summary>Logits of the continuous relaxation: edge e mixes its ops by <paramref name="edgeWeights"/>[e] (shape [6, 5]).</summary>
    public Tensor Forward(Tensor x, Tensor edgeWeights)
    {
        if (edgeWeights.shape is not [Nb201Cell.EdgeCount, Nb201Ops.Count])
            throw new ArgumentException($"Edge weights must have shape [{Nb201Cell.EdgeCount}, {Nb201Ops.Count}], got [{string.Join(", ", edgeWeights.shape)}].");
        return Run(x, (e, edge, h) => edge.Mix(h, edgeWeights[e]));
    }

    /// <summary>
    /// GDAS' forward: edge e runs only the op its one-hot <paramref name="hardWeights"/>[e] selects, times that weight,
    /// plus the (zero-valued) other weights, as the reference does so that every weight gets a gradient.
    /// </summary>
    public Tensor ForwardSampled(Tensor x, Tensor hardWeights)
    {
        if (hardWeights.shape is not [Nb201Cell.EdgeCount, Nb201Ops.Count])
            throw new ArgumentException($"Edge weights must have shape [{Nb201Cell.EdgeCount}, {Nb201Ops.Count}], got [{string.Join(", ", hardWeights.shape)}].");
        long[] chosen;
        using (var index = hardWeights.detach().argmax(1).cpu()) chosen = index.data<long>().ToArray();
        return Run(x, (e, edge, h) =>
        {
            var w = hardWeights[e];
            var selected = w[chosen[e]];
            var y = edge.Apply(h, (Nb201Op)chosen[e]) ?? h.mul(0.0); // none: zeros that still carry the weight's gradient
            return (y * selected).Plus(w.sum() - selected); // sub takes no scalar; add does
        });
    }

    private Tensor Run(Tensor x, Func<int, Nb201MixedEdge, Tensor, Tensor?> edge)
    {
        var h = stem.call(x);
        foreach (var m in cells) h = m is Nb201SearchCell cell ? cell.Run(h, edge) : m.call(h);
        h = lastact_relu.call(lastact_bn is null ? h : lastact_bn.call(h));
        return classifier.call(nn.functional.adaptive_avg_pool2d(h, 1).flatten(1));
    }

    public override Tensor forward(Tensor x) =>
        throw new InvalidOperationException("Run the supernet with Forward(x, cell) for one path or Forward(x, edgeWeights) for the relaxation.");

    /// <summary>A standalone <see cref="Nb201Network"/> of <paramref name="cell"/> holding copies of the shared weights and BN statistics.</summary>
    public Nb201Network Subnet(Nb201Cell cell)
    {
        if (Options.PartialChannels != 1) throw new InvalidOperationException("A PC-DARTS supernet's ops see part of the channels; it has no full-width subnet to extract.");
        var net = new Nb201Network(cell, Shape);
        using var _ = no_grad();
        Copy(stem, net.StemModule);
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is Nb201SearchCell search)
            {
                var target = (Nb201InferCell)net.Stages[i];
                for (int e = 0; e < Nb201Cell.EdgeCount; e++)
                    if (target.EdgeModule(e) is { } m) Copy(search.Edge(e).Module(cell[e])!, m);
            }
            else Copy(cells[i], net.Stages[i]);
        }
        if (lastact_bn is not null) Copy(lastact_bn, net.LastBatchNorm!);
        Copy(classifier, net.Classifier);
        return net;
    }

    // A non-affine BN has no scale and shift to copy; the subnet keeps its 1 and 0, which compute the same.
    private static void Copy(nn.Module from, nn.Module to)
    {
        var source = from.state_dict();
        foreach (var (name, t) in to.state_dict())
            if (source.TryGetValue(name, out var s)) t.copy_(s);
    }
}
