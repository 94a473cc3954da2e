using NasKit.Estimation.Predictors;
using NasKit.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.HatTransformer;

/// <summary>HAT's features divided by its normalising factors (<see cref="HatConfiguration.FeatureNorm"/>).</summary>
public sealed class HatFeatures : IFeaturizer<HatConfiguration>
{
    public string Name => "hat-features";
    public int Length => HatConfiguration.FeatureNames.Count;
    public float[] Features(HatConfiguration arch) => arch.Features.Select((f, i) => (float)(f / HatConfiguration.FeatureNorm[i])).ToArray();
}

/// <summary>
/// HAT's latency predictor (latency_predictor.py): an MLP 10 → 400 → 400 → 400 → 400 → 1 with ReLUs on the normalised
/// features, trained with Adam (lr 1e-5) on the mean squared error of latency / norm for 5,000 steps of 128 samples
/// drawn without replacement. HAT's norm is a per-device constant; here it is the largest training latency, which
/// only rescales the target.
/// </summary>
public sealed class HatLatencyMlp(int seed, int steps = 5000, int batch = 128, double learningRate = 1e-5) : IPredictor<HatConfiguration>, IDisposable
{
    private readonly HatFeatures _features = new();
    private nn.Module<Tensor, Tensor>? _net;
    private double _norm = 1;

    public string Name => "hat-mlp";

    public void Fit(IReadOnlyList<HatConfiguration> architectures, IReadOnlyList<double> targets)
    {
        if (architectures.Count != targets.Count || architectures.Count < 2) throw new ArgumentException($"Need at least 2 configurations with one target each; got {architectures.Count} and {targets.Count}.");
        _net?.Dispose();
        _norm = targets.Max();
        var layers = new List<(string, nn.Module<Tensor, Tensor>)> { ("first_layer", nn.Linear(_features.Length, 400)), ("relu0", nn.ReLU()) };
        for (int i = 0; i < 3; i++) { layers.Add(($"layer{i}", nn.Linear(400, 400))); layers.Add(($"relu{i + 1}", nn.ReLU())); }
        layers.Add(("predict", nn.Linear(400, 1)));
        _net = nn.Sequential(layers);
        SeededInitialization.Apply(_net, seed);
        var x = architectures.Select(_features.Features).ToArray();
        var y = targets.Select(t => (float)(t / _norm)).ToArray();
        var rng = new Random(seed);
        using var optimizer = new ExplicitAdam(_net.parameters(), learningRate);
        int b = Math.Min(batch, x.Length);
        var indices = Enumerable.Range(0, x.Length).ToArray();
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            rng.Shuffle(indices); // random.sample(range(n), k=bsz): b distinct indices
            var bx = tensor(indices.Take(b).SelectMany(i => x[i]).ToArray(), [b, _features.Length]);
            var by = tensor(indices.Take(b).Select(i => y[i]).ToArray());
            var loss = nn.functional.mse_loss(_net.call(bx).squeeze(-1), by);
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step();
        }
    }

    public IReadOnlyList<Prediction> Query(IReadOnlyList<HatConfiguration> architectures)
    {
        if (_net is null) throw new InvalidOperationException("Fit the predictor before querying it.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var bx = tensor(architectures.SelectMany(_features.Features).ToArray(), [architectures.Count, _features.Length]);
        var p = _net.call(bx).squeeze(-1).data<float>().ToArray();
        return p.Select(v => new Prediction(v * _norm, 0)).ToArray();
    }

    public void Dispose() => _net?.Dispose();
}
