using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// Adadelta (Zeiler 2012) with the arithmetic of torch's <c>optim.Adadelta</c>: a running average of squared gradients
/// (decay ρ), a step of √(Δ² average + ε) / √(g² average + ε) · g, a running average of squared steps, times the
/// learning rate (Kim's CNN: ρ = 0.95, ε = 1e-6, rate 1). Constants are owned Scalars, as <see cref="ExplicitAdam"/>.
/// </summary>
public sealed class ExplicitAdadelta : IExplicitOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _squareAverage, _deltaAverage;
    private readonly Scalar _rho, _oneMinusRho, _eps;

    public double LearningRate { get; set; }

    public ExplicitAdadelta(IEnumerable<Parameter> parameters, double learningRate = 1.0, double rho = 0.95, double eps = 1e-6)
    {
        if (!(learningRate >= 0) || rho is < 0 or >= 1 || !(eps > 0))
            throw new ArgumentException($"Adadelta needs lr >= 0, rho in [0, 1) and eps > 0; got lr={learningRate}, rho={rho}, eps={eps}.");
        _parameters = parameters.ToArray();
        LearningRate = learningRate;
        (_rho, _oneMinusRho, _eps) = (rho.ToScalar(), (1 - rho).ToScalar(), eps.ToScalar());
        _squareAverage = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _deltaAverage = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    public void ZeroGrad() => ExplicitScalars.ZeroGrad(_parameters);

    public void Step()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var step = (-LearningRate).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.grad is not { } grad || grad.IsInvalid) continue;
            _squareAverage[i].mul_(_rho).addcmul_(grad, grad, _oneMinusRho);
            var std = _squareAverage[i].add(_eps, ExplicitScalars.One).sqrt_();
            var delta = _deltaAverage[i].add(_eps, ExplicitScalars.One).sqrt_().div_(std).mul_(grad);
            _deltaAverage[i].mul_(_rho).addcmul_(delta, delta, _oneMinusRho);
            p.add_(delta, step);
        }
    }

    public void Dispose()
    {
        foreach (var t in _squareAverage.Concat(_deltaAverage)) t.Dispose();
        foreach (var s in new[] { _rho, _oneMinusRho, _eps }) s.Dispose();
    }
}
