using System.Diagnostics;
using NasKit.Data;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
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
/// <param name="PartialChannels">PC-DARTS' K (Xu et al., ICLR 2020): ops on 1/K of each edge's channels; 1 is DARTS.</param>
/// <param name="SkipLimit">The DARTS+ remedy for collapse (Liang et al. 2019): stop the search once the derived normal cell has
/// this many skip connections (the paper uses 2); null searches every epoch.</param>
public sealed record DartsSettings(int Order = 1, int BatchSize = 64, double WeightLearningRate = 0.025, double WeightLearningRateMin = 0.001,
    double Momentum = 0.9, double WeightDecay = 3e-4, double GradientClip = 5, double ArchLearningRate = 3e-4, double ArchWeightDecay = 1e-3,
    double FiniteDifferenceRadius = 0.01, Relaxation Relaxation = Relaxation.Softmax, double TauMax = 10, double TauMin = 0.1,
    int PartialChannels = 1, int? SkipLimit = null)
{
    /// <summary>GDAS (Dong &amp; Yang, CVPR 2019): first order, one Gumbel-sampled op per edge, τ from 10 to 0.1.</summary>
    public static DartsSettings Gdas { get; } = new(Relaxation: Relaxation.GumbelSoftmax);

    /// <summary>PC-DARTS' partial channel connections with the paper's K = 4 (first order).</summary>
    public static DartsSettings PcDarts { get; } = new(PartialChannels: 4);
}

/// <summary>How a differentiable search turns architecture weights into the supernet's edge weights.</summary>
public enum Relaxation
{
    /// <summary>softmax(α): every op runs, weighted (DARTS).</summary>
    Softmax,
    /// <summary>A straight-through one-hot sample of softmax((log softmax(α) + Gumbel noise) / τ): one op runs (GDAS).</summary>
    GumbelSoftmax,
}

/// <summary>What one search epoch did: losses, accuracies, the softmax of the architecture weights per cell type and the architecture they derive.</summary>
public sealed record DartsEpoch<TArch>(int Epoch, double TrainLoss, double TrainAccuracy, double ValidAccuracy, IReadOnlyList<double[][]> EdgeProbabilities,
                                       TArch Derived, double Seconds, double Temperature) where TArch : class, IArchitecture;

/// <summary>
/// DARTS (Liu et al., ICLR 2019) on any <see cref="IDifferentiableSpace{TArch}"/>: architecture weights α, one
/// [edges × ops] matrix per cell type, relax each edge to the softmax-weighted sum of its ops; α and the network
/// weights w are optimised in alternation on two halves of the training data (bilevel: α by Adam on the validation
/// half, w by SGD on the training half). The space derives the discrete architecture from softmax(α). With
/// <see cref="DartsSettings.Gdas"/> the same loop is GDAS (one Gumbel-sampled op per edge and step), with
/// <see cref="DartsSettings.PcDarts"/> PC-DARTS (partial channels), and <see cref="DartsSettings.SkipLimit"/> adds
/// the DARTS+ early stop. <see cref="Save"/> and <see cref="Load"/> checkpoint everything between epochs, so a
/// resumed search continues exactly as an uninterrupted one.
/// </summary>
public sealed class DartsSearch<TArch> : IDisposable where TArch : class, IArchitecture
{
    private const string CheckpointMagic = "naskit-darts-checkpoint-v1";
    private readonly DartsSettings _settings;
    private readonly IDifferentiableSpace<TArch> _space;
    private readonly BatchLoader _train, _valid;
    private readonly Parameter[] _weights;
    private readonly Tensor?[] _momentum;
    private readonly ExplicitAdam _archOptimizer; // torch's Adam with L2 decay (DARTS' architecture optimizer), its state checkpointed with the search
    private readonly Generator _gumbel;
    private readonly int _seed, _epochs;
    private readonly NetworkShape _shape;
    private readonly List<DartsEpoch<TArch>> _history = [];
    private double _tau;

    public IRelaxedSupernet Network { get; }
    public IReadOnlyList<Parameter> Alphas { get; }
    public Device Device { get; }
    public IReadOnlyList<DartsEpoch<TArch>> History => _history;
    public int Epochs => _epochs;

    /// <summary>True once every epoch ran, or the DARTS+ skip limit stopped the search.</summary>
    public bool Finished => _history.Count >= _epochs || StoppedEarly;

    /// <summary>True when the derived cell reached <see cref="DartsSettings.SkipLimit"/> skip connections.</summary>
    public bool StoppedEarly => _settings.SkipLimit is { } limit && _history.Count > 0 && _space.SkipConnections(_history[^1].Derived) >= limit;

    /// <param name="train">Split in two halves with the seed: one trains the weights, the other the architecture.</param>
    /// <param name="epochs">Total epochs (the cosine schedule's length).</param>
    public DartsSearch(IDifferentiableSpace<TArch> space, ImageDataset train, NetworkShape shape, int epochs, int seed, DartsSettings? settings = null, Device? device = null)
    {
        if (epochs <= 0) throw new ArgumentException($"Epochs must be positive, got {epochs}.");
        _settings = settings ?? new DartsSettings();
        if (_settings.Order is not (1 or 2)) throw new ArgumentException($"DARTS has first and second order; got order {_settings.Order}.");
        if (!(_settings.WeightLearningRate > 0) || !(_settings.ArchLearningRate > 0) || _settings.WeightLearningRateMin < 0)
            throw new ArgumentException($"DARTS' learning rates must be positive (weights {_settings.WeightLearningRate}, architecture {_settings.ArchLearningRate}, minimum {_settings.WeightLearningRateMin}).");
        if (_settings.WeightDecay < 0 || _settings.ArchWeightDecay < 0 || _settings.Momentum is < 0 or >= 1 || !(_settings.GradientClip > 0))
            throw new ArgumentException($"DARTS needs weight decays of 0 or more, a momentum in [0, 1) and a positive gradient clip; got {_settings}.");
        if (_settings.Order == 2 && _settings.Relaxation == Relaxation.GumbelSoftmax)
            throw new ArgumentException("GDAS (Gumbel-softmax) is first order; the unrolled second-order step is for the softmax relaxation.");
        if (_settings.Relaxation == Relaxation.GumbelSoftmax && _settings.PartialChannels != 1)
            throw new ArgumentException("GDAS samples one op per edge on all channels; partial channels (PC-DARTS) are for the softmax relaxation.");
        TorchRuntime.EnsureLoaded();
        (_space, _seed, _epochs) = (space, seed, epochs);
        Device = device ?? TorchRuntime.DefaultDevice;
        _shape = shape with { Classes = train.Classes, InputChannels = train.Channels };
        var (a, b) = train.Split(0.5, seed);
        if (_settings.BatchSize < 1) throw new ArgumentException($"The batch size must be at least 1, got {_settings.BatchSize}.");
        if (a.Count < _settings.BatchSize || b.Count < _settings.BatchSize)
            throw new ArgumentException($"DARTS trains the weights on one half of the images and the architecture on the other; {train.Count} images give halves of " +
                                        $"{a.Count} and {b.Count}, less than one batch of {_settings.BatchSize}. Use more images or a smaller batch.");
        _train = new BatchLoader(a, new BatchOptions(_settings.BatchSize, Augment: true), Device);
        _valid = new BatchLoader(b, new BatchOptions(_settings.BatchSize, Augment: true), Device);
        Network = space.CreateSupernet(_shape, new SupernetOptions(Affine: false, _settings.PartialChannels));
        SeededInitialization.Apply(Network.Module, seed);
        Network.Module.to(Device);
        using (var g = new Generator((ulong)seed + 17))
            Alphas = Network.ArchitectureShape.Select(s =>
            {
                using var r = randn(new long[] { s.Edges, s.Ops }, generator: g);
                return new Parameter(r.mul(1e-3).to(Device)); // the reference's 1e-3 · N(0, 1)
            }).ToArray();
        _weights = Network.Module.parameters().ToArray();
        _momentum = new Tensor?[_weights.Length];
        _archOptimizer = new ExplicitAdam(Alphas, _settings.ArchLearningRate, 0.5, 0.999, _settings.ArchWeightDecay);
        _gumbel = new Generator((ulong)seed + 31);
    }

    /// <summary>GDAS' temperature in the last epoch run.</summary>
    public double Temperature => _tau;

    private Tensor[] Softmax(IEnumerable<Tensor> alphas) => alphas.Select(a => nn.functional.softmax(a, -1)).ToArray();

    /// <summary>Logits of the supernet under the relaxation: the softmax mixture, or one Gumbel-sampled op per edge.</summary>
    private Tensor Logits(Tensor x, IReadOnlyList<Tensor> alphas)
    {
        if (_settings.Relaxation == Relaxation.Softmax) return Network.Forward(x, Softmax(alphas));
        var hard = alphas.Select(a =>
        {
            // Resample when the noise makes the sample non-finite (U at 0 or 1), as the reference does.
            while (true)
            {
                var u = rand(a.shape, generator: _gumbel).to(a.device);
                var gumbel = u.log().neg().log().neg();
                var probs = nn.functional.softmax((nn.functional.log_softmax(a, -1) + gumbel) / _tau, -1);
                if (!probs.isfinite().all().item<bool>()) continue;
                var oneHot = nn.functional.one_hot(probs.argmax(1), probs.shape[1]).to_type(probs.dtype);
                return oneHot - probs.detach() + probs; // straight-through: one-hot forward, soft gradient
            }
        }).ToArray();
        return Network.ForwardSampled(x, hard);
    }

    /// <summary>Softmax of α per cell type and edge, in the space's op order.</summary>
    public IReadOnlyList<double[][]> Probabilities() => ProbabilitiesOf(Alphas);

    /// <summary>Softmax of each [edges × ops] architecture-weight matrix, as per-edge rows of doubles.</summary>
    public static IReadOnlyList<double[][]> ProbabilitiesOf(IEnumerable<Tensor> alphas)
    {
        using var _ = no_grad();
        return alphas.Select(a =>
        {
            using var p = nn.functional.softmax(a, -1).to_type(ScalarType.Float64).cpu();
            var flat = p.data<double>().ToArray();
            int ops = (int)a.shape[1];
            return Enumerable.Range(0, (int)a.shape[0]).Select(e => flat[(e * ops)..((e + 1) * ops)]).ToArray();
        }).ToArray();
    }

    /// <summary>The discrete architecture the space derives from the current α.</summary>
    public TArch Derive() => _space.Derive(Probabilities());

    /// <summary>Runs the next epoch: for each training batch one architecture step on a validation batch, then one weight step.</summary>
    public DartsEpoch<TArch> RunEpoch(CancellationToken cancellationToken = default)
    {
        if (Finished) throw new InvalidOperationException(StoppedEarly ? "The search stopped early (DARTS+ skip limit)." : $"All {_epochs} epochs have run.");
        var sw = Stopwatch.StartNew();
        int epoch = _history.Count;
        _tau = _settings.TauMax - (_settings.TauMax - _settings.TauMin) * epoch / Math.Max(1, _epochs - 1);
        double lr = _settings.WeightLearningRateMin + 0.5 * (_settings.WeightLearningRate - _settings.WeightLearningRateMin) * (1 + Math.Cos(Math.PI * epoch / _epochs));
        Network.Module.train();
        double lossSum = 0, hits = 0, seen = 0, validHits = 0, validSeen = 0;
        using var validBatches = _valid.Epoch(unchecked(_seed * 7919 + epoch)).GetEnumerator();
        foreach (var (x, y) in _train.Epoch(unchecked(_seed * 1_000_003 + epoch)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!validBatches.MoveNext()) break; // the halves differ by at most one image; keep the pairs aligned
            var (vx, vy) = validBatches.Current;
            using (var scope = NewDisposeScope())
            {
                foreach (var a in Alphas) a.grad?.zero_();
                var validLogits = _settings.Order == 1 ? ArchitectureGradientFirstOrder(vx, vy) : ArchitectureGradientSecondOrder(x, y, vx, vy, lr);
                validHits += validLogits.argmax(1).eq(vy).sum().item<long>();
                validSeen += vy.shape[0];
                _archOptimizer.Step();
            }
            using (var scope = NewDisposeScope())
            {
                ZeroWeightGradients();
                var (logits, loss) = ForwardPass.WithLoss(() => Logits(x, Alphas.Select(a => a.detach()).ToArray()), z => nn.functional.cross_entropy(z, y));
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
        if (seen == 0) throw new ArithmeticException($"DARTS epoch {epoch + 1} took no training step; the search cannot derive anything from untrained weights.");
        var probabilities = Probabilities();
        var result = new DartsEpoch<TArch>(epoch + 1, lossSum / seen, 100 * hits / seen, 100 * validHits / validSeen, probabilities,
                                           _space.Derive(probabilities), sw.Elapsed.TotalSeconds, _tau);
        _history.Add(result);
        return result;
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
        var gradients = UnrolledArchitectureGradient(Network, Alphas, (x, y), (vx, vy), lr, _settings.Momentum, _settings.WeightDecay, _momentum,
                                                     out var logits, _settings.FiniteDifferenceRadius);
        for (int t = 0; t < Alphas.Count; t++)
        {
            Alphas[t].grad?.zero_();
            Alphas[t].grad = gradients[t]; // set, not accumulated: the validation loss is the only α objective
        }
        return logits;
    }

    /// <summary>
    /// DARTS' second-order architecture gradient (eq. 7–8 of the paper): with w' = w − ξ(μ·m + ∇w L_train(w, α) + λw),
    /// ∇α L_val(w', α) − ξ · (∇α L_train(w⁺, α) − ∇α L_train(w⁻, α)) / 2ε, where w± = w ± ε ∇w' L_val(w', α) and
    /// ε = radius / ‖∇w' L_val‖ (radius 0.01 in the reference). The network's weights are restored before returning.
    /// The approximation is only as good as the loss is smooth over that radius: on a tiny network (C=2, batch 4) the
    /// reference radius gave a Hessian-vector product 60× off, 1e-4 matched double backward to 7 digits.
    /// </summary>
    public static Tensor[] UnrolledArchitectureGradient(IRelaxedSupernet network, IReadOnlyList<Tensor> alphas, (Tensor X, Tensor Y) train, (Tensor X, Tensor Y) valid,
        double xi, double momentum, double weightDecay, IReadOnlyList<Tensor?> momentumBuffers, out Tensor validLogits, double radius = 0.01)
    {
        Tensor[] Weights(IEnumerable<Tensor> a) => a.Select(t => nn.functional.softmax(t, -1)).ToArray();
        var weights = network.Module.parameters().ToArray();
        var saved = weights.Select(w => w.detach().clone()).ToArray();
        // w' = w − ξ (μ m + ∇L_train + λ w)
        var trainLoss = nn.functional.cross_entropy(network.Forward(train.X, Weights(alphas.Select(a => a.detach()))), train.Y);
        var g = autograd.grad([trainLoss], weights, allow_unused: true);
        using (no_grad())
            for (int i = 0; i < weights.Length; i++)
            {
                var step = (Defined(g[i]) ? g[i] : zeros_like(weights[i])) + weights[i] * weightDecay;
                if (i < momentumBuffers.Count && momentumBuffers[i] is { } m) step = step + m * momentum;
                weights[i].sub_(step * xi);
            }
        // ∇α and ∇w' of L_val(w', α)
        validLogits = network.Forward(valid.X, Weights(alphas));
        var validLoss = nn.functional.cross_entropy(validLogits, valid.Y);
        var gv = autograd.grad([validLoss], [.. alphas, .. weights], allow_unused: true);
        int na = alphas.Count;
        var dAlpha = Enumerable.Range(0, na).Select(t => Defined(gv[t]) ? gv[t].detach() : zeros_like(alphas[t])).ToArray();
        var dw = Enumerable.Range(0, weights.Length).Select(i => Defined(gv[i + na]) ? gv[i + na].detach() : zeros_like(weights[i])).ToArray();
        double norm = Math.Sqrt(dw.Sum(d => d.pow(2).sum().to_type(ScalarType.Float64).item<double>()));
        double eps = radius / Math.Max(norm, 1e-12);
        Tensor[] AlphaGradientAt(double sign)
        {
            using (no_grad())
                for (int i = 0; i < weights.Length; i++) weights[i].copy_(saved[i] + dw[i] * (sign * eps));
            var loss = nn.functional.cross_entropy(network.Forward(train.X, Weights(alphas)), train.Y);
            var ga = autograd.grad([loss], alphas.ToArray(), allow_unused: true);
            return Enumerable.Range(0, na).Select(t => Defined(ga[t]) ? ga[t].detach() : zeros_like(alphas[t])).ToArray();
        }
        var plus = AlphaGradientAt(+1);
        var minus = AlphaGradientAt(-1);
        using (no_grad())
            for (int i = 0; i < weights.Length; i++) weights[i].copy_(saved[i]);
        return Enumerable.Range(0, na).Select(t => dAlpha[t] - (plus[t] - minus[t]) * (xi / (2 * eps))).ToArray();
    }

    private static bool Defined(Tensor? t) => t is not null && !t.IsInvalid;

    private void ZeroWeightGradients()
    {
        foreach (var w in _weights) w.grad?.zero_();
    }

    /// <summary>
    /// PyTorch's SGD with momentum and weight decay, by hand, so the unrolled step can read the momentum buffers. A
    /// weight without a gradient yet (an op GDAS has not sampled) counts as gradient zero, as after the reference's
    /// <c>zero_grad</c>: it decays every step, and the optimiser state is the same whether or not a search was resumed.
    /// </summary>
    private void SgdStep(double lr)
    {
        using var _ = no_grad();
        for (int i = 0; i < _weights.Length; i++)
        {
            var w = _weights[i];
            var d = w.grad is { IsInvalid: false } g ? g + w * _settings.WeightDecay : w * _settings.WeightDecay;
            if (_momentum[i] is { } m) m.mul_(_settings.Momentum).add_(d);
            else _momentum[i] = d.detach().clone().DetachFromDisposeScope();
            w.sub_(_momentum[i]! * lr);
        }
    }

    /// <summary>What a checkpoint must match to be resumed: the space, data split, shape, schedule and every setting.</summary>
    private string Fingerprint() => $"{_space.Name}|{_shape}|epochs={_epochs}|seed={_seed}|{_settings}|data={_train.Data.Name}:{_train.Data.Count}+{_valid.Data.Count}";

    /// <summary>
    /// Writes the whole search state (supernet weights and BN statistics, α, both optimisers' state, the Gumbel
    /// generator, the epoch history) atomically: to a temporary file, then renamed over <paramref name="path"/>.
    /// </summary>
    public void Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = path + ".tmp";
        using (var stream = File.Create(tmp))
        using (var w = new BinaryWriter(stream))
        {
            w.Write(CheckpointMagic);
            w.Write(Fingerprint());
            w.Write(System.Text.Json.JsonSerializer.Serialize(_history.Select(h => new EpochRecord(h.Epoch, h.TrainLoss, h.TrainAccuracy, h.ValidAccuracy,
                h.EdgeProbabilities.Select(m => m.Select(r => r.ToArray()).ToArray()).ToArray(), h.Seconds, h.Temperature)).ToArray()));
            Network.Module.save(w);
            using (no_grad())
            {
                foreach (var a in Alphas) { using var c = a.detach().cpu(); c.Save(w); }
                _archOptimizer.Save(w);
                w.Write(_momentum.Length);
                foreach (var m in _momentum)
                {
                    w.Write(m is not null);
                    if (m is not null) { using var c = m.cpu(); c.Save(w); }
                }
                using (var state = _gumbel.get_state()) state.Save(w);
            }
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="Save"/> from a search built with the same space, data, shape,
    /// epochs, seed and settings; anything else is refused with what differs.
    /// </summary>
    public void Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream);
        string magic;
        try { magic = r.ReadString(); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{path} is empty or truncated; delete it to start the search afresh."); }
        if (magic != CheckpointMagic) throw new InvalidDataException($"{path} is not a NasKit DARTS checkpoint.");
        var saved = r.ReadString();
        if (saved != Fingerprint())
            throw new InvalidDataException($"The checkpoint {path} was written by a different search: {Checkpoints.Difference(saved, Fingerprint())}. " +
                                                "Use the same options to resume, or another output directory.");
        try
        {
            var records = System.Text.Json.JsonSerializer.Deserialize<EpochRecord[]>(r.ReadString())!;
            Network.Module.load(r);
            using (no_grad())
            {
                foreach (var a in Alphas) { using var t = TensorExtensionMethods.Load(r); a.copy_(t); }
                _archOptimizer.Load(r);
                if (r.ReadInt32() != _momentum.Length) throw new InvalidDataException("the momentum buffers do not match the supernet");
                for (int i = 0; i < _momentum.Length; i++)
                {
                    _momentum[i]?.Dispose();
                    _momentum[i] = null;
                    if (!r.ReadBoolean()) continue;
                    using var t = TensorExtensionMethods.Load(r);
                    _momentum[i] = t.to(Device).DetachFromDisposeScope();
                }
                using var state = TensorExtensionMethods.Load(r);
                _gumbel.set_state(state);
            }
            _history.Clear();
            foreach (var h in records)
                _history.Add(new DartsEpoch<TArch>(h.Epoch, h.TrainLoss, h.TrainAccuracy, h.ValidAccuracy, h.Probabilities, _space.Derive(h.Probabilities), h.Seconds, h.Temperature));
            _tau = records.Length > 0 ? records[^1].Temperature : 0;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"The checkpoint {path} is corrupt ({e.Message}); delete it to start the search afresh.", e);
        }
    }

    /// <summary>
    /// Runs the remaining epochs. With a checkpoint path, first resumes from it when it exists, and saves it after
    /// every epoch, so a killed search loses at most the epoch in progress.
    /// </summary>
    public IReadOnlyList<DartsEpoch<TArch>> Run(string? checkpoint = null, Action<DartsEpoch<TArch>>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        if (checkpoint is not null && File.Exists(checkpoint) && _history.Count == 0) Load(checkpoint);
        while (!Finished)
        {
            var epoch = RunEpoch(cancellationToken);
            if (checkpoint is not null) Save(checkpoint);
            onEpoch?.Invoke(epoch);
        }
        return History;
    }

    private sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double ValidAccuracy, double[][][] Probabilities, double Seconds, double Temperature);

    public void Dispose()
    {
        foreach (var m in _momentum) m?.Dispose();
        _archOptimizer.Dispose();
        _gumbel.Dispose();
        foreach (var a in Alphas) a.Dispose();
        Network.Dispose();
    }
}
