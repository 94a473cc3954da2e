using NasKit.Runtime;
using NasKit.Spaces;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using NasKit.Networks;

using BatchNorm = NasKit.Networks.BatchNorm;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// Holds every op module of every NB201 edge position once (the supernet's layers, each with its own weights) and
/// lends an <see cref="Nb201Network"/>-equivalent for any cell: the same layers in the same order, so a seeded
/// initialisation gives the same weights, and the same forward pass, so every output is the same as the built
/// network's. Only two small wrapper modules are constructed per borrowed network.
/// </summary>
public sealed class Nb201NetworkPool : INetworkPool<Nb201Cell>
{
    private readonly Stem _stem;
    private readonly List<nn.Module<Tensor, Tensor>?> _blocks = []; // ResNet blocks, null at cell positions
    private readonly List<nn.Module<Tensor, Tensor>?[,]> _ops = [];   // per cell position: [edge, op] module
    private readonly BatchNorm2d? _lastBn;
    private readonly ReLU _lastRelu;
    private readonly Linear _classifier;
    private readonly List<nn.Module> _all = [];
    private Lent? _lent;

    public NetworkShape Shape { get; }

    public Nb201NetworkPool(NetworkShape shape)
    {
        TorchRuntime.Prepare();
        Shape = shape;
        bool bn = shape.BatchNorm;
        _stem = Keep(new Stem(shape.InputChannels, shape.Channels, bn));
        long c = shape.Channels, cPrev = c;
        for (int stage = 0; stage < 3; stage++)
        {
            long cCur = c << stage;
            if (stage > 0) { _blocks.Add(Keep(new ResNetBasicBlock(cPrev, cCur, 2, bn))); _ops.Add(new nn.Module<Tensor, Tensor>?[0, 0]); cPrev = cCur; }
            for (int n = 0; n < shape.CellsPerStage; n++)
            {
                var ops = new nn.Module<Tensor, Tensor>?[Nb201Cell.EdgeCount, Nb201Ops.Count];
                for (int e = 0; e < Nb201Cell.EdgeCount; e++)
                {
                    ops[e, (int)Nb201Op.NorConv1x1] = Keep(new ReluConvBn(cCur, cCur, 1, 1, 0, batchNorm: bn));
                    ops[e, (int)Nb201Op.NorConv3x3] = Keep(new ReluConvBn(cCur, cCur, 3, 1, 1, batchNorm: bn));
                    ops[e, (int)Nb201Op.AvgPool3x3] = Keep(new AvgPool3x3());
                }
                _blocks.Add(null);
                _ops.Add(ops);
            }
        }
        _lastBn = bn ? Keep(BatchNorm.Create2d(cPrev)) : null;
        _lastRelu = Keep(nn.ReLU());
        _classifier = Keep(nn.Linear(cPrev, shape.Classes));
    }

    private T Keep<T>(T module) where T : nn.Module
    {
        _all.Add(module);
        return module;
    }

    public nn.Module<Tensor, Tensor> Borrow(Nb201Cell cell)
    {
        if (_lent is { Returned: false }) throw new InvalidOperationException("The pool's network is still lent; dispose it before borrowing another.");
        var layers = new List<nn.Module<Tensor, Tensor>> { _stem };
        for (int i = 0; i < _blocks.Count; i++)
        {
            if (_blocks[i] is { } block) { layers.Add(block); continue; }
            for (int e = 0; e < Nb201Cell.EdgeCount; e++)
                if (_ops[i][e, (int)cell[e]] is { } op) layers.Add(op);
        }
        if (_lastBn is not null) layers.Add(_lastBn);
        layers.Add(_lastRelu);
        layers.Add(_classifier);
        var net = new Lent(this, cell, layers);
        Reset(net);
        return _lent = net;
    }

    // What a fresh network has and a used one may not: float32 (synflow scores in float64), zero gradients, BN
    // statistics of no batches. Weights are the borrower's to initialise (ProxyInput seeds them).
    private static void Reset(nn.Module net)
    {
        if (net.parameters().Any(p => p.dtype != ScalarType.Float32)) net.to(ScalarType.Float32);
        using var _ = no_grad();
        foreach (var p in net.parameters()) p.grad?.zero_();
        foreach (var m in net.modules().OfType<BatchNorm2d>())
        {
            m.running_mean?.zero_();
            m.running_var?.fill_(1);
            m.num_batches_tracked?.zero_();
        }
    }

    public void Dispose()
    {
        var everything = _all.SelectMany(m => m.modules()).Distinct().ToList();
        foreach (var m in _all) m.Dispose();
        NativeModules.Release(everything);
    }

    /// <summary>
    /// A lent network: the layers of one cell in the order <see cref="Nb201Network"/> registers them, and its
    /// forward pass. Disposing it gives the layers back (they belong to the pool) and frees only the wrapper.
    /// </summary>
    private sealed class Lent : nn.Module<Tensor, Tensor>
    {
        private readonly ModuleList<nn.Module<Tensor, Tensor>> layers = new();
        private readonly Nb201NetworkPool _pool;
        private readonly Nb201Cell _cell;
        public bool Returned { get; private set; }

        public Lent(Nb201NetworkPool pool, Nb201Cell cell, List<nn.Module<Tensor, Tensor>> modules) : base(nameof(Nb201Network))
        {
            (_pool, _cell) = (pool, cell);
            foreach (var m in modules) layers.Add(m);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            int k = 0;
            var h = layers[k++].call(x); // stem
            for (int i = 0; i < _pool._blocks.Count; i++)
            {
                if (_pool._blocks[i] is not null) { h = layers[k++].call(h); continue; }
                // NB201's InferCell: node j sums op(i→j)(node i); none adds nothing, skip adds the node itself.
                var nodes = new Tensor?[4];
                nodes[0] = h;
                for (int e = 0, j = 1; j <= 3; j++)
                {
                    Tensor? sum = null;
                    for (int s = 0; s < j; s++, e++)
                    {
                        var op = _cell[e];
                        if (op == Nb201Op.None) continue;
                        Tensor? y = null;
                        if (op == Nb201Op.SkipConnect) y = nodes[s];
                        else
                        {
                            var module = layers[k++]; // in edge order, whether or not its input is live
                            if (nodes[s] is { } input) y = module.call(input);
                        }
                        if (y is not null) sum = sum is null ? y : sum + y;
                    }
                    nodes[j] = sum;
                }
                h = nodes[3] ?? zeros_like(h);
            }
            if (_pool._lastBn is not null) h = layers[k++].call(h);
            h = layers[k++].call(h);
            h = nn.functional.adaptive_avg_pool2d(h, 1).flatten(1);
            return layers[k].call(h);
        }

        // The layers are the pool's: free only this wrapper and its list, never the children.
        protected override void Dispose(bool disposing)
        {
            if (!disposing || Returned) return;
            Returned = true;
            NativeModules.Release([this, layers]);
        }
    }
}
