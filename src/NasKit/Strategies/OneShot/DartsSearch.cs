using System.Diagnostics;
using NasKit.Data;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces.Nb201;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Strategies.OneShot;

/// <summary>
/// DARTS hyperparameters, the reference's defaults for CIFAR-10: weights by SGD (momentum 0.9, weight decay 3e-4,
/// cosine learning rate 0.025 → 0.001, gradient norm clipped at 5), architecture by Adam (3e-4, betas 0.5/0.999,
/// weight decay 1e-3). Order 1 ignores how the weights respond to the architecture; order 2 unrolls one virtual
/// SGD step and approximates the Hessian-vector product by finite differences.
/// </summary>
/// <param name="FiniteDifferenceRadius">The norm of the weight perturbation of the Hessian-vector approximation (the reference's 0.01).</param>
/// <param name="Relaxation">Softmax mixes every op (DARTS); Gumbel-softmax samples one op per edge (GDAS).</param>
/// <param name="TauMax">GDAS' Gumbel temperature at the first epoch, decreased linearly to <paramref name="TauMin"/> at the last.</param>
public sealed record DartsSettings(int Order = 1, int BatchSize = 64, double WeightLearningRate = 0.025, double WeightLearningRateMin = 0.001,
    double Momentum = 0.9, double WeightDecay = 3e-4, double GradientClip = 5, double ArchLearningRate = 3e-4, double ArchWeightDecay = 1e-3,
    double FiniteDifferenceRadius = 0.01, Relaxation Relaxation = Relaxation.Softmax, double TauMax = 10, double TauMin = 0.1)
{
    /// <summary>GDAS (Dong &amp; Yang, CVPR 2019): first order, one Gumbel-sampled op per edge, τ from 10 to 0.1.</summary>
    public static DartsSettings Gdas { get; } = new(Relaxation: Relaxation.GumbelSoftmax);
}

/// <summary>How a differentiable search turns architecture weights into the supernet's edge weights.</summary>
public enum Relaxation
{
    /// <summary>softmax(α): every op runs, weighted (DARTS).</summary>
    Softmax,
    /// <summary>A straight-through one-hot sample of softmax((log softmax(α) + Gumbel noise) / τ): one op runs (GDAS).</summary>
    GumbelSoftmax,
}

/// <summary>What one search epoch did: losses, accuracies, the softmax of the architecture weights and the cell they derive.</summary>
public sealed record DartsEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double ValidAccuracy, double[][] EdgeProbabilities,
                                Nb201Cell Derived, double Seconds);

/// <summary>
/// DARTS (Liu et al., ICLR 2019) on the NB201 supernet: architecture weights α [6 edges × 5 ops] relax each edge to the
/// softmax-weighted sum of its ops; α and the network weights w are optimised in alternation on two halves of the
/// training data (bilevel: α on the validation half, w on the training half). The derived cell takes each edge's
/// strongest op, <c>none</c> included, as NB201's own DARTS does. With <see cref="DartsSettings.Gdas"/> the same
/// loop is GDAS: each step samples one op per edge by Gumbel-softmax and runs only that path.
/// </summary>
public sealed class DartsSearch : IDisposable
{
    private readonly DartsSettings _settings;
    private readonly BatchLoader _train, _valid;
    private readonly Parameter[] _weights;
    private readonly Tensor?[] _momentum;
    private readonly optim.Optimizer _archOptimizer;
    private readonly Generator _gumbel;
    private readonly int _seed, _epochs;
    private int _epoch;
    private double _tau;

    public Nb201SuperNetwork Network { get; }
    public Parameter Alphas { get; }
    public Device Device { get; }

    /// <param name="train">Split in two halves with the seed: one trains the weights, the other the architecture.</param>
    /// <param name="epochs">Total epochs (the cosine schedule's length).</param>
    public DartsSearch(ImageDataset train, NetworkShape shape, int epochs, int seed, DartsSettings? settings = null, Device? device = null)
    {
        if (epochs <= 0) throw new ArgumentException($"Epochs must be positive, got {epochs}.");
        _settings = settings ?? new DartsSettings();
        if (_settings.Order is not (1 or 2)) throw new ArgumentException($"DARTS has first and second order; got order {_settings.Order}.");
        if (_settings.Order == 2 && _settings.Relaxation == Relaxation.GumbelSoftmax)
            throw new ArgumentException("GDAS (Gumbel-softmax) is first order; the unrolled second-order step is for the softmax relaxation.");
        TorchRuntime.EnsureLoaded();
        (_seed, _epochs) = (seed, epochs);
        Device = device ?? TorchRuntime.DefaultDevice;
        var (a, b) = train.Split(0.5, seed);
        _train = new BatchLoader(a, new BatchOptions(_settings.BatchSize, Augment: true), Device);
        _valid = new BatchLoader(b, new BatchOptions(_settings.BatchSize, Augment: true), Device);
        Network = new Nb201SuperNetwork(shape with { Classes = train.Classes, InputChannels = train.Channels }, affine: false);
        SeededInitialization.Apply(Network, seed);
        Network.to(Device);
        using (var g = new Generator((ulong)seed + 17))
        using (var r = randn(new long[] { Nb201Cell.EdgeCount, Nb201Ops.Count }, generator: g))
            Alphas = new Parameter(r.mul(1e-3).to(Device)); // the reference's 1e-3 · N(0, 1)
        _weights = Network.parameters().ToArray();
        _momentum = new Tensor?[_weights.Length];
        _archOptimizer = optim.Adam([Alphas], _settings.ArchLearningRate, beta1: 0.5, beta2: 0.999, weight_decay: _settings.ArchWeightDecay);
        _gumbel = new Generator((ulong)seed + 31);
    }

    /// <summary>GDAS' temperature in the current epoch.</summary>
    public double Temperature => _tau;

    /// <summary>Logits of the supernet under the relaxation: the softmax mixture, or one Gumbel-sampled op per edge.</summary>
    private Tensor Logits(Tensor x, Tensor alphas)
    {
        if (_settings.Relaxation == Relaxation.Softmax) return Network.Forward(x, nn.functional.softmax(alphas, -1));
        // Resample when the noise makes the sample non-finite (U at 0 or 1), as the reference does.
        while (true)
        {
            var u = rand(alphas.shape, generator: _gumbel).to(alphas.device);
            var gumbel = u.log().neg().log().neg();
            var probs = nn.functional.softmax((nn.functional.log_softmax(alphas, -1) + gumbel) / _tau, -1);
            if (!probs.isfinite().all().item<bool>()) continue;
            var hard = nn.functional.one_hot(probs.argmax(1), probs.shape[1]).to_type(probs.dtype);
            return Network.ForwardSampled(x, hard - probs.detach() + probs); // straight-through: one-hot forward, soft gradient
        }
    }

    /// <summary>Softmax of α per edge, in <see cref="Nb201Op"/> order.</summary>
    public double[][] Probabilities()
    {
        using var _ = no_grad();
        using var p = nn.functional.softmax(Alphas, -1).to_type(ScalarType.Float64).cpu();
        var flat = p.data<double>().ToArray();
        return Enumerable.Range(0, Nb201Cell.EdgeCount).Select(e => flat[(e * Nb201Ops.Count)..((e + 1) * Nb201Ops.Count)]).ToArray();
    }

    /// <summary>The discrete cell: each edge's op with the largest α.</summary>
    public Nb201Cell Derive() => new(Probabilities().Select(p => (Nb201Op)Array.IndexOf(p, p.Max())).ToArray());

    /// <summary>Runs the next epoch: for each training batch one architecture step on a validation batch, then one weight step.</summary>
    public DartsEpoch RunEpoch(CancellationToken cancellationToken = default)
    {
        var sw = Stopwatch.StartNew();
        int epoch = _epoch++;
        _tau = _settings.TauMax - (_settings.TauMax - _settings.TauMin) * epoch / Math.Max(1, _epochs - 1);
        double lr = _settings.WeightLearningRateMin + 0.5 * (_settings.WeightLearningRate - _settings.WeightLearningRateMin) * (1 + Math.Cos(Math.PI * epoch / _epochs));
        Network.train();
        double lossSum = 0, hits = 0, seen = 0, validHits = 0, validSeen = 0;
        using var validBatches = _valid.Epoch(unchecked(_seed * 7919 + epoch)).GetEnumerator();
        foreach (var (x, y) in _train.Epoch(unchecked(_seed * 1_000_003 + epoch)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!validBatches.MoveNext()) break; // the halves differ by at most one image; keep the pairs aligned
            var (vx, vy) = validBatches.Current;
            using (var scope = NewDisposeScope())
            {
                _archOptimizer.zero_grad();
                var validLogits = _settings.Order == 1 ? ArchitectureGradientFirstOrder(vx, vy) : ArchitectureGradientSecondOrder(x, y, vx, vy, lr);
                validHits += validLogits.argmax(1).eq(vy).sum().item<long>();
                validSeen += vy.shape[0];
            }
            _archOptimizer.step();
            using (var scope = NewDisposeScope())
            {
                ZeroWeightGradients();
                var logits = Logits(x, Alphas.detach());
                var loss = nn.functional.cross_entropy(logits, y);
                double value = loss.item<float>();
                if (!double.IsFinite(value)) throw new ArithmeticException($"DARTS training loss became {value} at epoch {epoch + 1}; lower the learning rate.");
                loss.backward();
                nn.utils.clip_grad_norm_(_weights, _settings.GradientClip);
                SgdStep(lr);
                lossSum += value * y.shape[0];
                hits += logits.argmax(1).eq(y).sum().item<long>();
                seen += y.shape[0];
            }
            foreach (var t in new[] { x, y, vx, vy }) t.Dispose();
        }
        NativeHeap.ReleaseFreedMemory();
        return new DartsEpoch(epoch + 1, lossSum / seen, 100 * hits / seen, 100 * validHits / validSeen, Probabilities(), Derive(), sw.Elapsed.TotalSeconds);
    }

    private Tensor ArchitectureGradientFirstOrder(Tensor vx, Tensor vy)
    {
        var logits = Logits(vx, Alphas);
        nn.functional.cross_entropy(logits, vy).backward();
        foreach (var w in _weights) w.grad?.zero_(); // only α learns from the validation half
        return logits;
    }

    private Tensor ArchitectureGradientSecondOrder(Tensor x, Tensor y, Tensor vx, Tensor vy, double lr)
    {
        var gradient = UnrolledArchitectureGradient(Network, Alphas, (x, y), (vx, vy), lr, _settings.Momentum, _settings.WeightDecay, _momentum,
                                                    out var logits, _settings.FiniteDifferenceRadius);
        Alphas.grad?.zero_();
        Alphas.grad = gradient; // set, not accumulated: the validation loss is the only α objective
        return logits;
    }

    /// <summary>
    /// DARTS' second-order architecture gradient (eq. 7–8 of the paper): with w' = w − ξ(μ·m + ∇w L_train(w, α) + λw),
    /// ∇α L_val(w', α) − ξ · (∇α L_train(w⁺, α) − ∇α L_train(w⁻, α)) / 2ε, where w± = w ± ε ∇w' L_val(w', α) and
    /// ε = radius / ‖∇w' L_val‖ (radius 0.01 in the reference). The network's weights are restored before returning.
    /// The approximation is only as good as the loss is smooth over that radius: on a tiny network (C=2, batch 4) the
    /// reference radius gave a Hessian-vector product 60× off, 1e-4 matched double backward to 7 digits.
    /// </summary>
    public static Tensor UnrolledArchitectureGradient(Nb201SuperNetwork network, Tensor alphas, (Tensor X, Tensor Y) train, (Tensor X, Tensor Y) valid,
        double xi, double momentum, double weightDecay, IReadOnlyList<Tensor?> momentumBuffers, out Tensor validLogits, double radius = 0.01)
    {
        var weights = network.parameters().ToArray();
        var saved = weights.Select(w => w.detach().clone()).ToArray();
        // w' = w − ξ (μ m + ∇L_train + λ w)
        var trainLoss = nn.functional.cross_entropy(network.Forward(train.X, nn.functional.softmax(alphas.detach(), -1)), train.Y);
        var g = autograd.grad([trainLoss], weights, allow_unused: true);
        using (no_grad())
            for (int i = 0; i < weights.Length; i++)
            {
                var step = (Defined(g[i]) ? g[i] : zeros_like(weights[i])) + weights[i] * weightDecay;
                if (i < momentumBuffers.Count && momentumBuffers[i] is { } m) step = step + m * momentum;
                weights[i].sub_(step * xi);
            }
        // ∇α and ∇w' of L_val(w', α)
        validLogits = network.Forward(valid.X, nn.functional.softmax(alphas, -1));
        var validLoss = nn.functional.cross_entropy(validLogits, valid.Y);
        var gv = autograd.grad([validLoss], [alphas, .. weights], allow_unused: true);
        var dAlpha = gv[0].detach();
        var dw = Enumerable.Range(0, weights.Length).Select(i => Defined(gv[i + 1]) ? gv[i + 1].detach() : zeros_like(weights[i])).ToArray();
        double norm = Math.Sqrt(dw.Sum(d => d.pow(2).sum().to_type(ScalarType.Float64).item<double>()));
        double eps = radius / Math.Max(norm, 1e-12);
        Tensor AlphaGradientAt(double sign)
        {
            using (no_grad())
                for (int i = 0; i < weights.Length; i++) weights[i].copy_(saved[i] + dw[i] * (sign * eps));
            var loss = nn.functional.cross_entropy(network.Forward(train.X, nn.functional.softmax(alphas, -1)), train.Y);
            return autograd.grad([loss], [alphas])[0].detach();
        }
        var plus = AlphaGradientAt(+1);
        var minus = AlphaGradientAt(-1);
        using (no_grad())
            for (int i = 0; i < weights.Length; i++) weights[i].copy_(saved[i]);
        return dAlpha - (plus - minus) * (xi / (2 * eps));
    }

    private static bool Defined(Tensor? t) => t is not null && !t.IsInvalid;

    private void ZeroWeightGradients()
    {
        foreach (var w in _weights) w.grad?.zero_();
    }

    /// <summary>PyTorch's SGD with momentum and weight decay, by hand, so the unrolled step can read the momentum buffers.</summary>
    private void SgdStep(double lr)
    {
        using var _ = no_grad();
        for (int i = 0; i < _weights.Length; i++)
        {
            var w = _weights[i];
            if (w.grad is not { } g || g.IsInvalid) continue;
            var d = g + w * _settings.WeightDecay;
            if (_momentum[i] is { } m) m.mul_(_settings.Momentum).add_(d);
            else _momentum[i] = d.detach().clone().DetachFromDisposeScope();
            w.sub_(_momentum[i]! * lr);
        }
    }

    public void Dispose()
    {
        foreach (var m in _momentum) m?.Dispose();
        _archOptimizer.Dispose();
        _gumbel.Dispose();
        Alphas.Dispose();
        Network.Dispose();
    }
}
