using NasKit.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using NasKit.Networks;

using BatchNorm = NasKit.Networks.BatchNorm;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// One NB201 cell with fixed ops (NB201's <c>InferCell</c>). Node j sums op(i→j)(node i) over i &lt; j and the
/// cell returns node 3. A <c>none</c> edge contributes zeros, so it is skipped instead of computed; a node
/// with no live input is a zero tensor, as in the reference.
/// </summary>
public sealed class Nb201InferCell : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> edges = new();
    private readonly int[] _edgeOf; // position in `edges` for each of the 6 edges, -1 for none/identity
    private readonly Nb201Op[] _ops;

    public Nb201InferCell(Nb201Cell cell, long channels, bool batchNorm = true, Activation activation = Activation.ReLU) : base(nameof(Nb201InferCell))
    {
        _ops = cell.Ops.ToArray();
        _edgeOf = new int[Nb201Cell.EdgeCount];
        for (int e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            nn.Module<Tensor, Tensor>? op = _ops[e] switch
            {
                Nb201Op.NorConv3x3 => new ReluConvBn(channels, channels, 3, 1, 1, batchNorm: batchNorm, activation: activation),
                Nb201Op.NorConv1x1 => new ReluConvBn(channels, channels, 1, 1, 0, batchNorm: batchNorm, activation: activation),
                Nb201Op.AvgPool3x3 => new AvgPool3x3(),
                _ => null, // none and skip_connect have no module
            };
            _edgeOf[e] = op is null ? -1 : edges.Count;
            if (op is not null) edges.Add(op);
        }
        RegisterComponents();
    }

    /// <summary>The position of an edge's module among the cell's <c>edges</c> (its parameter names), -1 when the op has none.</summary>
    public static int ModuleIndex(Nb201Cell cell, int edge) =>
        cell.Ops[edge] is Nb201Op.None or Nb201Op.SkipConnect ? -1
            : cell.Ops.Take(edge).Count(o => o is not (Nb201Op.None or Nb201Op.SkipConnect));

    /// <summary>The module of an edge's op (null for none and skip_connect), e.g. to copy weights into it.</summary>
    internal nn.Module<Tensor, Tensor>? EdgeModule(int edge) => _edgeOf[edge] < 0 ? null : edges[_edgeOf[edge]];

    public override Tensor forward(Tensor input)
    {
        // Partial sums are released as soon as nothing here reads them again, as Python's reference counting does in
        // the reference code: an addition saves none of its inputs, so autograd never needs them (ForwardPass).
        // Edge outputs stay with the caller's scope: a zero-cost proxy may be observing them through a hook.
        var nodes = new Tensor?[4];
        var isSum = new bool[4];
        nodes[0] = input;
        for (int e = 0, j = 1; j <= 3; j++)
        {
            Tensor? sum = null;
            for (int i = 0; i < j; i++, e++)
            {
                if (_ops[e] == Nb201Op.None || nodes[i] is null) continue;
                Tensor y = _ops[e] == Nb201Op.SkipConnect ? nodes[i]! : edges[_edgeOf[e]].call(nodes[i]!);
                if (sum is null) { sum = y; continue; }
                var next = sum.Plus(y);
                if (isSum[j]) sum.Dispose();
                (sum, isSum[j]) = (next, true);
            }
            nodes[j] = sum; // null: a node without live inputs is zero
        }
        // Nodes 1 and 2 are read by no later edge once node 3 exists (node 3 is a sum of its own or one of them).
        for (int j = 1; j <= 2; j++)
            if (isSum[j] && !ReferenceEquals(nodes[j], nodes[3])) nodes[j]!.Dispose();
        return nodes[3] ?? zeros_like(input);
    }
}

/// <summary>
/// The NAS-Bench-201 network (<c>TinyNetwork</c>): stem conv 3×3 + BN; three stages of N cells at C, 2C and 4C
/// channels with a ResNet basic block (stride 2) between stages; BN-ReLU; global average pooling; linear head.
/// With C=16, N=5 and 10 classes its parameter count equals the benchmark's <c>cifar10_params_mb</c>.
/// </summary>
public sealed class Nb201Network : nn.Module<Tensor, Tensor>
{
    private readonly Stem stem;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> cells = new();
    private readonly BatchNorm2d? lastact_bn;
    private readonly nn.Module<Tensor, Tensor> lastact_relu;
    private readonly Linear classifier;

    public Nb201Cell Cell { get; }
    public NetworkShape Shape { get; }

    /// <summary>The benchmark's CIFAR-10 network: C=16, N=5, 10 classes.</summary>
    public static NetworkShape Cifar10Shape { get; } = new();

    // The parts a supernet copies its shared weights into (see Nb201SuperNetwork.Subnet).
    internal Stem StemModule => stem;
    internal IList<nn.Module<Tensor, Tensor>> Stages => cells;
    internal BatchNorm2d? LastBatchNorm => lastact_bn;
    internal Linear Classifier => classifier;

    public Nb201Network(Nb201Cell cell, NetworkShape shape) : base(nameof(Nb201Network))
    {
        TorchRuntime.Prepare();
        Cell = cell;
        Shape = shape;
        long c = shape.Channels;
        bool bn = shape.BatchNorm;
        stem = new Stem(shape.InputChannels, c, bn);
        long cPrev = c;
        for (int stage = 0; stage < 3; stage++)
        {
            long cCur = c << stage;
            if (stage > 0) { cells.Add(new ResNetBasicBlock(cPrev, cCur, 2, bn, shape.Activation)); cPrev = cCur; }
            for (int n = 0; n < shape.CellsPerStage; n++) cells.Add(new Nb201InferCell(cell, cCur, bn, shape.Activation));
        }
        lastact_bn = bn ? BatchNorm.Create2d(cPrev) : null;
        lastact_relu = Activations.Create(shape.Activation);
        classifier = nn.Linear(cPrev, shape.Classes);
        RegisterComponents();
    }

    /// <summary>Also frees the native layers TorchSharp leaves behind (see <see cref="NativeModules"/>).</summary>
    protected override void Dispose(bool disposing) => NativeModules.Dispose(this, disposing, base.Dispose);

    /// <summary>Intermediates belong to the caller's dispose scope (see <see cref="ReluConvBn.forward"/>).</summary>
    public override Tensor forward(Tensor x)
    {
        var h = stem.call(x);
        foreach (var cellModule in cells) h = cellModule.call(h);
        h = lastact_relu.call(lastact_bn is null ? h : lastact_bn.call(h));
        h = nn.functional.adaptive_avg_pool2d(h, 1).flatten(1);
        return classifier.call(h);
    }
}
