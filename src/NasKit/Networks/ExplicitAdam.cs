using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with the arithmetic of TorchSharp's <c>optim.Adam</c>, operation for operation, but
/// every constant passed to libtorch is a <see cref="Scalar"/> this object owns or a <c>using</c> local keeps alive.
/// </summary>
/// <remarks>
/// TorchSharp's optimizers turn doubles into native Scalars implicitly and leave them to the finalizer; a garbage
/// collection during the native call that reads one can free it first (seen as "Unknown scalar type" when several
/// threads train models at once). Code that must run on several threads (the predictors BANANAS fits, the LSTM
/// controller) uses this optimizer and explicit Scalars, so parallel runs give the same numbers as serial ones.
/// </remarks>
public sealed class ExplicitAdam : IExplicitOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _m, _v;
    private readonly double _beta1, _beta2, _weightDecay;
    private readonly bool _decoupled;
    private readonly bool[] _decays;
    private readonly Scalar _b1, _oneMinusB1, _b2, _oneMinusB2, _eps, _decay;
    private long _step;

    public double LearningRate { get; set; }

    /// <param name="decoupledWeightDecay">AdamW (Loshchilov &amp; Hutter 2019, torch's <c>optim.AdamW</c>): each step
    /// shrinks the weights by lr·wd instead of adding wd·w to the gradient.</param>
    /// <param name="decays">Which parameters weight decay applies to (null: all); nanoGPT decays matrices and embeddings only.</param>
    public ExplicitAdam(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double weightDecay = 0, double eps = 1e-8,
                        bool decoupledWeightDecay = false, Func<Parameter, bool>? decays = null)
    {
        if (learningRate < 0 || beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1 || weightDecay < 0 || eps < 0)
            throw new ArgumentException($"Adam needs lr >= 0, betas in [0, 1), weight decay >= 0 and eps >= 0; got lr={learningRate}, betas=({beta1}, {beta2}), wd={weightDecay}, eps={eps}.");
        _parameters = parameters.ToArray();
        _decoupled = decoupledWeightDecay;
        _decays = _parameters.Select(p => decays?.Invoke(p) ?? true).ToArray();
        (LearningRate, _beta1, _beta2, _weightDecay) = (learningRate, beta1, beta2, weightDecay);
        (_b1, _oneMinusB1, _b2, _oneMinusB2, _eps, _decay) = (beta1.ToScalar(), (1 - beta1).ToScalar(), beta2.ToScalar(), (1 - beta2).ToScalar(), eps.ToScalar(), weightDecay.ToScalar());
        _m = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _v = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    public void ZeroGrad() => ExplicitScalars.ZeroGrad(_parameters);

    public void Step()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        _step++;
        double bias1 = 1 - Math.Pow(_beta1, _step), bias2 = 1 - Math.Pow(_beta2, _step);
        using var sqrtBias2 = Math.Sqrt(bias2).ToScalar();
        using var stepSize = (-LearningRate / bias1).ToScalar();
        using var shrink = (1 - LearningRate * _weightDecay).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.grad is not { } grad || grad.IsInvalid) continue;
            if (_weightDecay != 0 && _decays[i])
            {
                if (_decoupled) p.mul_(shrink);
                else grad = grad.add(p, _decay);
            }
            _m[i].mul_(_b1).add_(grad, _oneMinusB1);
            _v[i].mul_(_b2).addcmul_(grad, grad, _oneMinusB2);
            var denom = _v[i].sqrt().div_(sqrtBias2).add_(_eps, One);
            p.addcdiv_(_m[i], denom, stepSize);
        }
    }

    private static readonly Scalar One = 1.0.ToScalar(); // alive for the process: never finalized mid-call

    /// <summary>Writes the state a resumed run needs (the step count and both moments), so a checkpointed search continues exactly.</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(_step);
        foreach (var t in _m.Concat(_v)) { using var c = t.cpu(); c.Save(w); }
    }

    /// <summary>Restores what <see cref="Save"/> wrote for the same parameters.</summary>
    public void Load(BinaryReader r)
    {
        long step = r.ReadInt64();
        if (step < 0) throw new InvalidDataException($"An Adam state with step {step} is corrupt.");
        foreach (var t in _m.Concat(_v))
        {
            using var saved = TensorExtensionMethods.Load(r);
            if (!saved.shape.SequenceEqual(t.shape))
                throw new InvalidDataException($"An Adam moment of shape [{string.Join(", ", saved.shape)}] does not fit a parameter of shape [{string.Join(", ", t.shape)}]: the state is of another model.");
            t.copy_(saved);
        }
        _step = step;
    }

    public void Dispose()
    {
        foreach (var t in _m.Concat(_v)) t.Dispose();
        foreach (var s in new[] { _b1, _oneMinusB1, _b2, _oneMinusB2, _eps, _decay }) s.Dispose();
    }
}
