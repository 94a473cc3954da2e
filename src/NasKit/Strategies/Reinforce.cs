using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies;

/// <summary>
/// REINFORCE with the NB201 paper's policy: an independent categorical distribution per decision (per edge),
/// trained by policy gradient with Adam and a moving-average reward baseline (momentum 0.9), as in NB201's
/// <c>reinforce.py</c>. The reward is the objective's score (accuracy in %). The gradient of
/// log softmax is exact (one-hot minus probabilities), so no autograd is needed for this tiny policy.
/// </summary>
public sealed class Reinforce<TArch> : ArchitectureStrategy<TArch> where TArch : class, IArchitecture
{
    private readonly ICategoricalSpace<TArch> _space;
    private readonly Objective _objective;
    private readonly Random _rng;
    private readonly double[][] _logits, _m, _v;
    private readonly double _lr, _momentum;
    private double? _baseline;
    private int _step;

    public Reinforce(ISearchSpace<TArch> space, Objective objective, int seed, double learningRate = 0.01, double baselineMomentum = 0.9)
    {
        _space = space as ICategoricalSpace<TArch> ?? throw new ArgumentException($"REINFORCE needs a categorical space; '{space.Name}' is not one.");
        (_objective, _rng, _lr, _momentum) = (objective, new Random(seed), learningRate, baselineMomentum);
        // NB201 initialises the logits with 1e-3 * N(0, 1).
        _logits = _space.Choices.Select(c => Enumerable.Range(0, c).Select(_ => 1e-3 * Gaussian(_rng)).ToArray()).ToArray();
        _m = _space.Choices.Select(c => new double[c]).ToArray();
        _v = _space.Choices.Select(c => new double[c]).ToArray();
    }

    public IReadOnlyList<double[]> Probabilities => _logits.Select(Softmax).ToArray();

    protected override TArch? Propose() => _space.FromDecisions(_logits.Select(l => SampleIndex(Softmax(l), _rng)).ToArray());

    protected override void Observe(TArch arch, Evaluation evaluation)
    {
        if (_objective.Score(evaluation) is not { } reward) return;
        _baseline = _baseline is { } b ? _momentum * b + (1 - _momentum) * reward : reward;
        double advantage = reward - _baseline.Value;
        var decisions = _space.ToDecisions(arch);
        var active = _space.Active(decisions); // a decision that does not exist in this architecture taught nothing
        _step++;
        const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        for (int d = 0; d < _logits.Length; d++)
        {
            if (!active[d]) continue;
            var p = Softmax(_logits[d]);
            for (int k = 0; k < p.Length; k++)
            {
                // loss = -advantage * log p(choice): gradient = -advantage * (onehot - p)
                double g = -advantage * ((k == decisions[d] ? 1 : 0) - p[k]);
                _m[d][k] = beta1 * _m[d][k] + (1 - beta1) * g;
                _v[d][k] = beta2 * _v[d][k] + (1 - beta2) * g * g;
                double mHat = _m[d][k] / (1 - Math.Pow(beta1, _step)), vHat = _v[d][k] / (1 - Math.Pow(beta2, _step));
                _logits[d][k] -= _lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
    }

    internal static double[] Softmax(double[] x)
    {
        double max = x.Max();
        var e = x.Select(v => Math.Exp(v - max)).ToArray();
        double s = e.Sum();
        return e.Select(v => v / s).ToArray();
    }

    internal static int SampleIndex(IReadOnlyList<double> p, Random rng)
    {
        double u = rng.NextDouble(), c = 0;
        for (int i = 0; i < p.Count; i++) { c += p[i]; if (u < c) return i; }
        return p.Count - 1;
    }

    internal static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
