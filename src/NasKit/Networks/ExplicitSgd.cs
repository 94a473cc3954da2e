using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// SGD with momentum, dampening 0, optional Nesterov and L2 weight decay, with the arithmetic of PyTorch's (and
/// TorchSharp's) <c>optim.SGD</c> operation for operation, but every constant passed to libtorch is a
/// <see cref="Scalar"/> this object owns or a <c>using</c> local keeps alive.
/// </summary>
/// <remarks>
/// TorchSharp's SGD passes its alphas as implicit Scalars left to the finalizer, the pattern that made Adam fail
/// under parallel training (<see cref="ExplicitAdam"/>) and TorchSharp's Mish fail in training runs ("Expected false
/// to be true ... toFloat"); a garbage collection during the native call can free one first. Every step of every
/// trained network runs through here, so it owns its constants.
/// </remarks>
public sealed class ExplicitSgd : IExplicitOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor?[] _momentum;
    private readonly double _momentumFactor, _weightDecay;
    private readonly bool _nesterov;
    private readonly Scalar _mu, _decay, _one;

    public double LearningRate { get; set; }

    public ExplicitSgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double weightDecay = 0, bool nesterov = false)
    {
        if (learningRate < 0 || momentum < 0 || weightDecay < 0 || (nesterov && momentum <= 0))
            throw new ArgumentException($"SGD needs lr >= 0, momentum >= 0 (> 0 with Nesterov) and weight decay >= 0; got lr={learningRate}, momentum={momentum}, wd={weightDecay}.");
        _parameters = parameters.ToArray();
        _momentum = new Tensor?[_parameters.Length];
        (LearningRate, _momentumFactor, _weightDecay, _nesterov) = (learningRate, momentum, weightDecay, nesterov);
        (_mu, _decay, _one) = (momentum.ToScalar(), weightDecay.ToScalar(), 1.0.ToScalar());
    }

    public void ZeroGrad() => ExplicitScalars.ZeroGrad(_parameters);

    public void Step()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var minusLr = (-LearningRate).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.grad is not { } grad || grad.IsInvalid) continue;
            var d = _weightDecay != 0 ? grad.add(p, _decay) : grad;
            if (_momentumFactor != 0)
            {
                if (_momentum[i] is not { } buffer) _momentum[i] = buffer = d.clone().detach().DetachFromDisposeScope();
                else buffer.mul_(_mu).add_(d, _one); // dampening 0: alpha 1 - 0
                d = _nesterov ? d.add(buffer, _mu) : buffer;
            }
            p.add_(d, minusLr);
        }
    }

    public void Dispose()
    {
        foreach (var t in _momentum) t?.Dispose();
        foreach (var s in new[] { _mu, _decay, _one }) s.Dispose();
    }
}
