using NasKit.Estimation;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Strategies;

/// <summary>
/// An LSTM controller that emits an architecture decision by decision, as in Zoph &amp; Le (2017) and ENAS
/// (Pham et al. 2018), trained by REINFORCE. Each step feeds the embedding of the previous choice into an
/// LSTM cell; a per-decision linear head gives logits, squashed ENAS-style (temperature 5, tanh constant 2.5).
/// The loss is -(reward - baseline)·Σ log p - entropy_weight·H with an exponential-moving-average baseline.
/// Parameters are initialised from the seed (uniform ±0.1, as ENAS), and choices are sampled with a seeded
/// generator, so the controller is a deterministic function of its seed and what it was told.
/// </summary>
public sealed class LstmController<TArch> : ArchitectureStrategy<TArch>, IDisposable where TArch : class, IArchitecture
{
    private sealed class Net : nn.Module
    {
        public readonly Embedding embed;
        public readonly LSTMCell cell;
        public readonly ModuleList<Linear> heads = new();

        public Net(IReadOnlyList<int> choices, int hidden) : base("LstmController")
        {
            embed = nn.Embedding(choices.Sum() + 1, hidden); // one token per (decision, option) + a start token
            cell = nn.LSTMCell(hidden, hidden);
            foreach (var c in choices) heads.Add(nn.Linear(hidden, c));
            RegisterComponents();
        }

        protected override void Dispose(bool disposing) => NasKit.Runtime.NativeModules.Dispose(this, disposing, base.Dispose);
    }

    private readonly ICategoricalSpace<TArch> _space;
    private readonly Objective _objective;
    private readonly Random _rng;
    private readonly Net _net;
    private readonly ExplicitAdam _optimizer;
    private static readonly Scalar One = 1.0.ToScalar();
    private readonly int[] _tokenOffset;
    private readonly int _hidden;
    private double? _baseline;

    public double EntropyWeight { get; init; } = 1e-4;
    public double BaselineDecay { get; init; } = 0.95;
    public double Temperature { get; init; } = 5.0;
    public double TanhConstant { get; init; } = 2.5;

    public LstmController(ISearchSpace<TArch> space, Objective objective, int seed, int hidden = 32, double learningRate = 3.5e-3)
    {
        TorchRuntime.EnsureLoaded();
        _space = space as ICategoricalSpace<TArch> ?? throw new ArgumentException($"The LSTM controller needs a categorical space; '{space.Name}' is not one.");
        (_objective, _rng, _hidden) = (objective, new Random(seed), hidden);
        _tokenOffset = new int[_space.Choices.Count];
        for (int d = 1; d < _tokenOffset.Length; d++) _tokenOffset[d] = _tokenOffset[d - 1] + _space.Choices[d - 1];
        _net = new Net(_space.Choices, hidden);
        using (no_grad())
        {
            var g = new Generator((ulong)seed);
            using var scale = 0.2.ToScalar();
            using var shift = 0.1.ToScalar();
            foreach (var p in _net.parameters()) { using var r = rand(p.shape, generator: g); p.copy_(r.mul(scale).sub(shift)); }
        }
        _optimizer = new ExplicitAdam(_net.parameters(), learningRate);
    }

    /// <summary>Log-probabilities and entropies of a decision sequence; samples it when <paramref name="decisions"/> has -1s.</summary>
    private (Tensor LogProb, Tensor Entropy) Run(int[] decisions, IReadOnlyList<bool>? active = null)
    {
        // Explicit scalars, kept alive for the whole computation (see ExplicitAdam).
        using var temperature = Temperature.ToScalar();
        using var tanhConstant = TanhConstant.ToScalar();
        var h = zeros(1, _hidden);
        var c = zeros(1, _hidden);
        var input = _net.embed.forward(tensor(new long[] { _space.Choices.Sum() }));
        Tensor logProb = zeros(1), entropy = zeros(1);
        for (int d = 0; d < decisions.Length; d++)
        {
            (h, c) = _net.cell.forward(input, (h, c));
            var logits = tanh(_net.heads[d].forward(h).div(temperature)).mul(tanhConstant);
            var logp = nn.functional.log_softmax(logits, 1);
            if (decisions[d] < 0)
            {
                var probs = logp.exp().data<float>().Select(x => (double)x).ToArray();
                decisions[d] = Reinforce<TArch>.SampleIndex(probs, _rng);
            }
            if (active is null || active[d])
            {
                logProb = logProb.add(logp[0, decisions[d]], One);
                entropy = entropy.sub((logp.exp() * logp).sum());
            }
            input = _net.embed.forward(tensor(new long[] { _tokenOffset[d] + decisions[d] }));
        }
        return (logProb, entropy);
    }

    protected override TArch? Propose()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var decisions = Enumerable.Repeat(-1, _space.Choices.Count).ToArray();
        Run(decisions);
        return _space.FromDecisions(decisions);
    }

    protected override void Observe(TArch arch, Evaluation evaluation)
    {
        if (_objective.Score(evaluation) is not { } score) return;
        double reward = score / 100.0; // accuracy as a fraction, as ENAS
        _baseline = _baseline is { } b ? BaselineDecay * b + (1 - BaselineDecay) * reward : reward;
        double advantage = reward - _baseline.Value;
        _optimizer.ZeroGrad();
        using (NewDisposeScope())
        {
            var decisions = _space.ToDecisions(arch);
            var (logProb, entropy) = Run(decisions, _space.Active(decisions));
            using var a = (-advantage).ToScalar();
            using var w = (-EntropyWeight).ToScalar();
            var loss = logProb.mul(a).add(entropy.mul(w), One);
            loss.backward();
        }
        _optimizer.Step(); // outside any dispose scope: Adam's moments must outlive this call
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _net.Dispose();
    }
}
