using NasKit.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using NasKit.Networks;

using BatchNorm = NasKit.Networks.BatchNorm;

namespace NasKit.SearchSpaces.Darts;

/// <summary>
/// A DARTS mixed edge (the reference's search <c>MixedOp</c>): all eight ops, each pooling op followed by a BN
/// without affine parameters. With PC-DARTS' K the ops see the first C/K channels; the rest bypass the edge
/// (max-pooled 2×2 on a reducing edge) and the channels are shuffled.
/// </summary>
public sealed class DartsMixedEdge : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> ops = new();
    private readonly MaxPool2d bypass_pool;
    private readonly int _k;

    public DartsMixedEdge(long channels, long stride, SupernetOptions options) : base(nameof(DartsMixedEdge))
    {
        _k = options.PartialChannels;
        long c = channels / _k;
        for (int k = 0; k < DartsOps.Count; k++)
        {
            var op = DartsOperations.Create((DartsOp)k, c, stride, options.Affine);
            ops.Add((DartsOp)k is DartsOp.MaxPool3x3 or DartsOp.AvgPool3x3 ? new PoolThenNorm(op, c) : op);
        }
        bypass_pool = nn.MaxPool2d(2, 2);
        RegisterComponents();
    }

    /// <summary>Σ_k weights[k]·op_k(x), weights a vector of 8 in <see cref="DartsOp"/> order.</summary>
    public Tensor Mix(Tensor x, Tensor weights) => PartialChannels.Apply(x, _k, h => RelaxedSupernets.Sum(
        Enumerable.Range(1, DartsOps.Count - 1).Select(k => ops[k].call(h) * weights[k])), // none (k = 0) adds weight × 0
        bypass_pool.call);

    /// <summary>GDAS: only the op selected by the one-hot <paramref name="hard"/> runs.</summary>
    public Tensor Sampled(Tensor x, Tensor hard, int chosen) => PartialChannels.Apply(x, _k, h =>
    {
        var selected = hard[chosen];
        return ops[chosen].call(h) * selected + (hard.sum() - selected);
    }, bypass_pool.call);

    public override Tensor forward(Tensor x) =>
        throw new InvalidOperationException("A mixed edge runs through Mix (weighted ops) or Sampled (one op), not forward.");

    private sealed class PoolThenNorm : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> pool;
        private readonly BatchNorm2d bn;

        public PoolThenNorm(nn.Module<Tensor, Tensor> pool, long channels) : base(nameof(PoolThenNorm))
        {
            this.pool = pool;
            bn = BatchNorm.Create2d(channels, affine: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => bn.call(pool.call(x));
    }
}

/// <summary>
/// A DARTS search cell (the reference's model_search <c>Cell</c>): preprocess both inputs to C channels, then node
/// i (of <c>steps</c>) sums a mixed edge from every earlier state; the output concatenates the intermediate nodes.
/// Edges are numbered node by node: node 0 has edges 0–1 (from the two inputs), node 1 edges 2–4, and so on.
/// </summary>
public sealed class DartsSearchCell : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> preprocess0, preprocess1;
    private readonly ModuleList<DartsMixedEdge> edges = new();
    private readonly int _steps;

    public bool Reduction { get; }

    public DartsSearchCell(int steps, long cPrevPrev, long cPrev, long c, bool reduction, bool reductionPrev, SupernetOptions options) : base(nameof(DartsSearchCell))
    {
        (_steps, Reduction) = (steps, reduction);
        preprocess0 = reductionPrev ? new FactorizedReduce(cPrevPrev, c, affine: false) : new ReluConvBn(cPrevPrev, c, 1, 1, 0, affine: false);
        preprocess1 = new ReluConvBn(cPrev, c, 1, 1, 0, affine: false);
        for (int i = 0; i < steps; i++)
            for (int j = 0; j < 2 + i; j++)
                edges.Add(new DartsMixedEdge(c, reduction && j < 2 ? 2 : 1, options));
        RegisterComponents();
    }

    public static int EdgeCount(int steps) => steps * (steps + 3) / 2;

    /// <summary>Runs the cell with <paramref name="edge"/> computing edge e on state h.</summary>
    public Tensor Run(Tensor s0, Tensor s1, Func<int, DartsMixedEdge, Tensor, Tensor> edge)
    {
        var states = new List<Tensor> { preprocess0.call(s0), preprocess1.call(s1) };
        int offset = 0;
        for (int i = 0; i < _steps; i++)
        {
            int first = offset, inputs = states.Count;
            // Edge outputs are new tensors (a weighted mix or a sampled op times its gate): summed and released.
            states.Add(RelaxedSupernets.Sum(Enumerable.Range(0, inputs).Select(j => edge(first + j, edges[first + j], states[j]))));
            offset += inputs;
        }
        var output = cat(states.Skip(2).ToArray(), 1);
        foreach (var state in states) state.Dispose(); // read by nothing after the concatenation; autograd keeps what it saved
        return output;
    }

    public override Tensor forward(Tensor s0, Tensor s1) =>
        throw new InvalidOperationException("A search cell runs through Run with edge weights, not forward.");
}

/// <summary>
/// The DARTS search supernet for CIFAR (the reference's model_search <c>Network</c>): stem conv 3×3 to 3C + BN,
/// <c>layers</c> search cells with reductions at layers/3 and 2·layers/3, global pooling and a linear classifier.
/// Two weight matrices of [14 edges × 8 ops] (4 steps): one shared by the normal cells, one by the reduction cells.
/// The reference searches at C=16 with 8 layers.
/// </summary>
public sealed class DartsSuperNetwork : nn.Module<Tensor, Tensor>, IRelaxedSupernet
{
    private readonly Stem stem;
    private readonly ModuleList<DartsSearchCell> cells = new();
    private readonly Linear classifier;

    public SupernetOptions Options { get; }
    public int Steps { get; }
    public IReadOnlyList<(int Edges, int Ops)> ArchitectureShape { get; }

    public DartsSuperNetwork(int channels = 16, int layers = 8, int classes = 10, int inputChannels = 3, int steps = 4, SupernetOptions? options = null)
        : base(nameof(DartsSuperNetwork))
    {
        TorchRuntime.Prepare();
        if (layers < 3) throw new ArgumentException($"A DARTS supernet needs at least 3 cells (two of them reductions), got {layers}.");
        Options = options ?? new SupernetOptions();
        Options.Validate(channels);
        Steps = steps;
        int edges = DartsSearchCell.EdgeCount(steps);
        ArchitectureShape = [(edges, DartsOps.Count), (edges, DartsOps.Count)];
        long cCurr = 3L * channels;
        stem = new Stem(inputChannels, cCurr, batchNorm: true);
        long cPrevPrev = cCurr, cPrev = cCurr;
        cCurr = channels;
        bool reductionPrev = false;
        for (int i = 0; i < layers; i++)
        {
            bool reduction = i == layers / 3 || i == 2 * layers / 3;
            if (reduction) cCurr *= 2;
            cells.Add(new DartsSearchCell(steps, cPrevPrev, cPrev, cCurr, reduction, reductionPrev, Options));
            reductionPrev = reduction;
            (cPrevPrev, cPrev) = (cPrev, steps * cCurr);
        }
        classifier = nn.Linear(cPrev, classes);
        RegisterComponents();
    }

    nn.Module IRelaxedSupernet.Module => this;

    public Tensor Forward(Tensor x, IReadOnlyList<Tensor> edgeWeights)
    {
        RelaxedSupernets.CheckShape(edgeWeights, ArchitectureShape);
        return Run(x, reduce => (e, edge, h) => edge.Mix(h, edgeWeights[reduce ? 1 : 0][e]));
    }

    public Tensor ForwardSampled(Tensor x, IReadOnlyList<Tensor> hardWeights)
    {
        RelaxedSupernets.CheckShape(hardWeights, ArchitectureShape);
        var chosen = hardWeights.Select(w => { using var i = w.detach().argmax(1).cpu(); return i.data<long>().Select(v => (int)v).ToArray(); }).ToArray();
        return Run(x, reduce => (e, edge, h) => { int t = reduce ? 1 : 0; return edge.Sampled(h, hardWeights[t][e], chosen[t][e]); });
    }

    private Tensor Run(Tensor x, Func<bool, Func<int, DartsMixedEdge, Tensor, Tensor>> edgeOf)
    {
        var s0 = stem.call(x);
        var s1 = s0;
        foreach (var cell in cells)
        {
            var output = cell.Run(s0, s1, edgeOf(cell.Reduction));
            // The state two cells back is read by no later cell: released now, as Python would (the stem output,
            // which is s0 and s1 at once for the first cell, goes after the second).
            if (!ReferenceEquals(s0, s1)) s0.Dispose();
            (s0, s1) = (s1, output);
        }
        return classifier.call(nn.functional.adaptive_avg_pool2d(s1, 1).flatten(1));
    }

    public override Tensor forward(Tensor x) =>
        throw new InvalidOperationException("Run the supernet with Forward(x, edgeWeights) or ForwardSampled(x, hardWeights).");

    /// <summary>Also frees the native layers TorchSharp leaves behind (see <see cref="NativeModules"/>).</summary>
    protected override void Dispose(bool disposing) => NativeModules.Dispose(this, disposing, base.Dispose);
}
