using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Estimation.Predictors;

/// <summary>
/// A graph convolutional network on the cell DAG (Wen et al. 2020, "Neural predictor for NAS"; NASLib's GCN
/// predictor): node op one-hots, <see cref="Layers"/> graph convolutions H ← ReLU(Â H W) with the symmetric
/// normalised adjacency Â = D^-½ (A + Aᵀ + I) D^-½, mean pooling over nodes, then a two-layer head. Optional extra
/// features (e.g. zero-cost scores) join the pooled embedding before the head. Trained with Adam on the MSE of
/// standardised targets, in seeded minibatches; every graph of a space has the same size, so a batch is one bmm.
/// </summary>
public sealed class GraphConvolutionPredictor<TArch> : IPredictor<TArch>, IDisposable where TArch : class, IArchitecture
{
    private static readonly Scalar One = 1.0.ToScalar();

    private readonly IGraphEncodableSpace<TArch> _space;
    private readonly IFeaturizer<TArch>? _extra;
    private readonly int _seed;
    private List<TorchSharp.Modules.Parameter>? _parameters;
    private TrainingTargets _targets = new(0, 1);
    private int _fits;

    public int Hidden { get; init; } = 64;
    public int Layers { get; init; } = 3;
    public int Epochs { get; init; } = 200;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-4;

    public string Name => _extra is null ? "gcn" : $"gcn+{_extra.Name}";

    public GraphConvolutionPredictor(IGraphEncodableSpace<TArch> space, int seed, IFeaturizer<TArch>? extra = null)
    {
        TorchRuntime.EnsureLoaded();
        (_space, _seed, _extra) = (space, seed, extra);
    }

    public void Fit(IReadOnlyList<TArch> architectures, IReadOnlyList<double> targets)
    {
        TrainingTargets.Check(architectures, targets);
        Dispose();
        _targets = TrainingTargets.Of(targets);
        var g = new Generator((ulong)(_seed * 1_000_003L + _fits++));
        int extra = _extra?.Length ?? 0;
        _parameters = new List<TorchSharp.Modules.Parameter>();
        int width = _space.NodeFeatures;
        for (int l = 0; l < Layers; l++) { AddLinear(width, Hidden, g); width = Hidden; }
        AddLinear(Hidden + extra, Hidden, g);
        AddLinear(Hidden, 1, g);

        var rng = new Random(_seed + 7919 * _fits);
        using var scope = NewDisposeScope();
        var (adj, feats, ext) = Encode(architectures);
        var y = tensor(targets.Select(t => (float)_targets.Standardize(t)).ToArray());
        using var optimizer = new ExplicitAdam(_parameters, LearningRate, weightDecay: WeightDecay);
        var order = Enumerable.Range(0, architectures.Count).ToArray();
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            rng.Shuffle(order);
            for (int start = 0; start < order.Length; start += BatchSize)
            {
                optimizer.ZeroGrad();
                using (NewDisposeScope())
                {
                    var idx = tensor(order[start..Math.Min(order.Length, start + BatchSize)].Select(i => (long)i).ToArray());
                    var pred = Forward(adj.index_select(0, idx), feats.index_select(0, idx), ext?.index_select(0, idx));
                    nn.functional.mse_loss(pred, y.index_select(0, idx)).backward();
                }
                optimizer.Step(); // outside the step scope: Adam's state lives across steps
            }
        }
    }

    public IReadOnlyList<Prediction> Query(IReadOnlyList<TArch> architectures)
    {
        if (_parameters is null) throw new InvalidOperationException("Fit the predictor before querying it.");
        if (architectures.Count == 0) return [];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (adj, feats, ext) = Encode(architectures);
        var mean = Forward(adj, feats, ext).data<float>().ToArray();
        return mean.Select(m => new Prediction(_targets.Restore(m), 0)).ToArray();
    }

    private void AddLinear(int inputs, int outputs, Generator g)
    {
        double bound = 1 / Math.Sqrt(inputs); // PyTorch's default Linear initialisation
        _parameters!.Add(new TorchSharp.Modules.Parameter(Uniform([inputs, outputs], bound, g)));
        _parameters.Add(new TorchSharp.Modules.Parameter(Uniform([outputs], bound, g)));
    }

    private static Tensor Uniform(long[] shape, double bound, Generator g)
    {
        using var r = rand(shape, generator: g);
        using var scale = (2 * bound).ToScalar();
        using var shift = bound.ToScalar();
        return r.mul(scale).sub_(shift);
    }

    private (Tensor Adjacency, Tensor Features, Tensor? Extra) Encode(IReadOnlyList<TArch> architectures)
    {
        int n = _space.GraphNodes, f = _space.NodeFeatures, b = architectures.Count;
        var a = new float[b * n * n];
        var x = new float[b * n * f];
        for (int i = 0; i < b; i++)
        {
            var (adj, feats) = _space.Graph(architectures[i]);
            // Â = D^-½ (A + Aᵀ + I) D^-½: messages flow both ways along edges, and each node keeps its own state.
            var sym = new double[n * n];
            for (int r = 0; r < n; r++)
                for (int c = 0; c < n; c++)
                    sym[r * n + c] = Math.Min(1, adj[r * n + c] + adj[c * n + r]) + (r == c ? 1 : 0);
            var degree = Enumerable.Range(0, n).Select(r => Enumerable.Range(0, n).Sum(c => sym[r * n + c])).ToArray();
            for (int r = 0; r < n; r++)
                for (int c = 0; c < n; c++)
                    a[i * n * n + r * n + c] = (float)(sym[r * n + c] / Math.Sqrt(degree[r] * degree[c]));
            feats.CopyTo(x, i * n * f);
        }
        Tensor? extra = null;
        if (_extra is not null)
        {
            int d = _extra.Length;
            var e = new float[b * d];
            for (int i = 0; i < b; i++) _extra.Features(architectures[i]).CopyTo(e, i * d);
            extra = tensor(e, new long[] { b, d });
        }
        return (tensor(a, new long[] { b, n, n }), tensor(x, new long[] { b, n, f }), extra);
    }

    private Tensor Forward(Tensor adjacency, Tensor features, Tensor? extra)
    {
        var p = _parameters!;
        var h = features;
        int k = 0;
        for (int l = 0; l < Layers; l++, k += 2)
            h = nn.functional.relu(bmm(adjacency, h.matmul(p[k])).add(p[k + 1], One)); // explicit alpha: see ExplicitAdam
        var pooled = h.mean(new long[] { 1 });
        if (extra is not null) pooled = cat([pooled, extra], 1);
        var hidden = nn.functional.relu(pooled.matmul(p[k]).add(p[k + 1], One));
        return hidden.matmul(p[k + 2]).add(p[k + 3], One).squeeze(-1);
    }

    public void Dispose()
    {
        foreach (var t in _parameters ?? []) t.Dispose();
        _parameters = null;
    }
}

public sealed class GraphConvolutionFactory : IPredictorFactory
{
    public string Name => "gcn";
    public string Description => "Graph convolutional network (3 layers × 64) on the cell DAG.";
    public int Order => 30;
    public IPredictor<TArch>? Create<TArch>(ISearchSpace<TArch> space, int seed, IFeaturizer<TArch>? zeroCost = null) where TArch : class, IArchitecture =>
        space is IGraphEncodableSpace<TArch> graph ? new GraphConvolutionPredictor<TArch>(graph, seed, zeroCost) : null;
}
