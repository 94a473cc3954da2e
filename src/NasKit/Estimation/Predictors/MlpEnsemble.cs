using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Estimation.Predictors;

/// <summary>
/// An ensemble of MLPs on an architecture encoding (BANANAS, White et al. 2021: path encoding, ensemble of 5,
/// mean and spread of the members as the prediction and its uncertainty). The members are trained together as
/// one batched network (one matrix product per layer for all members), which keeps a fit of a small data set
/// cheap. Members differ only by their seeded initialisation. Targets are standardised for training.
/// </summary>
public sealed class MlpEnsemble<TArch> : IPredictor<TArch>, IDisposable where TArch : class, IArchitecture
{
    private readonly IFeaturizer<TArch> _features;
    private readonly int _seed;
    private TorchSharp.Modules.Parameter[]? _weights, _biases;
    private TrainingTargets _targets = new(0, 1);
    private int _fits;

    public int Members { get; init; } = 5;
    public int Hidden { get; init; } = 64;
    public int Layers { get; init; } = 3;
    public int Epochs { get; init; } = 200;
    public double LearningRate { get; init; } = 0.01;
    public double WeightDecay { get; init; } = 0;

    public string Name => $"mlp-ensemble({_features.Name})";

    private static readonly Scalar One = 1.0.ToScalar();

    public MlpEnsemble(IEncodableSpace<TArch> space, ArchitectureEncoding encoding, int seed)
        : this(new EncodingFeaturizer<TArch>(space, encoding), seed) { }

    public MlpEnsemble(IFeaturizer<TArch> features, int seed)
    {
        TorchRuntime.EnsureLoaded();
        (_features, _seed) = (features, seed);
    }

    public void Fit(IReadOnlyList<TArch> architectures, IReadOnlyList<double> targets)
    {
        TrainingTargets.Check(architectures, targets);
        Dispose();
        _targets = TrainingTargets.Of(targets);
        int inputs = _features.Length;
        var sizes = new[] { inputs }.Concat(Enumerable.Repeat(Hidden, Layers)).Append(1).ToArray();
        var g = new Generator((ulong)(_seed * 1_000_003L + _fits++));
        _weights = new TorchSharp.Modules.Parameter[sizes.Length - 1];
        _biases = new TorchSharp.Modules.Parameter[sizes.Length - 1];
        for (int l = 0; l < _weights.Length; l++)
        {
            double bound = 1 / Math.Sqrt(sizes[l]); // PyTorch's default Linear initialisation
            _weights[l] = new TorchSharp.Modules.Parameter(Uniform(new long[] { Members, sizes[l], sizes[l + 1] }, bound, g));
            _biases[l] = new TorchSharp.Modules.Parameter(Uniform(new long[] { Members, 1, sizes[l + 1] }, bound, g));
        }
        using var scope = NewDisposeScope();
        var x = Encode(architectures);
        var y = tensor(targets.Select(t => (float)_targets.Standardize(t)).ToArray()).reshape(1, -1, 1).expand(Members, -1, -1);
        using var optimizer = new ExplicitAdam(_weights.Concat(_biases), LearningRate, weightDecay: WeightDecay);
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            optimizer.ZeroGrad();
            using (NewDisposeScope())
            {
                var loss = nn.functional.mse_loss(Forward(x), y);
                loss.backward();
            }
            optimizer.Step(); // outside the per-epoch scope: Adam's state lives across epochs
        }
    }

    public IReadOnlyList<Prediction> Query(IReadOnlyList<TArch> architectures)
    {
        if (_weights is null) throw new InvalidOperationException("Fit the predictor before querying it.");
        if (architectures.Count == 0) return [];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var out_ = Forward(Encode(architectures)).squeeze(-1); // [members, n]
        var mean = out_.mean(new long[] { 0 }).data<float>().ToArray();
        var std = Members > 1 ? out_.std(0).data<float>().ToArray() : new float[architectures.Count];
        return mean.Select((m, i) => new Prediction(_targets.Restore(m), std[i] * _targets.Scale)).ToArray();
    }

    /// <summary>U(-bound, bound) from a seeded generator.</summary>
    private static Tensor Uniform(long[] shape, double bound, Generator g)
    {
        using var scale = (2 * bound).ToScalar();
        using var shift = bound.ToScalar();
        using var r = rand(shape, generator: g);
        return r.mul(scale).sub_(shift);
    }

    private Tensor Encode(IReadOnlyList<TArch> architectures)
    {
        int d = _features.Length;
        var flat = new float[architectures.Count * d];
        for (int i = 0; i < architectures.Count; i++) _features.Features(architectures[i]).CopyTo(flat, i * d);
        return tensor(flat).reshape(1, architectures.Count, d).expand(Members, -1, -1);
    }

    private Tensor Forward(Tensor x)
    {
        var h = x;
        for (int l = 0; l < _weights!.Length; l++)
        {
            h = bmm(h, _weights[l]).add(_biases![l], One); // explicit alpha: see ExplicitAdam
            if (l < _weights.Length - 1) h = nn.functional.relu(h);
        }
        return h;
    }

    public void Dispose()
    {
        foreach (var t in (_weights ?? []).Concat(_biases ?? [])) t.Dispose();
        _weights = _biases = null;
    }
}

public sealed class MlpEnsembleFactory : IPredictorFactory
{
    public string Name => "mlp-ensemble";
    public string Description => "Ensemble of 5 MLPs (3×64) on the path encoding (one-hot where a space has none), as in BANANAS.";
    public int Order => 20;
    public IPredictor<TArch>? Create<TArch>(ISearchSpace<TArch> space, int seed, IFeaturizer<TArch>? zeroCost = null) where TArch : class, IArchitecture =>
        IPredictorFactory.Features(space, ArchitectureEncoding.Path, zeroCost, orOneHot: true) is { } f ? new MlpEnsemble<TArch>(f, seed) : null;
}
