using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>torch's <c>clip_grad_norm_</c> with owned scalars (see <see cref="ExplicitScalars"/> for why).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients by min(1, max/(‖g‖ + 1e-6)), ‖g‖ the 2-norm of all gradients together; returns ‖g‖ before
    /// clipping (NaN or ∞ when a gradient is not finite, which the caller should treat as a diverged step).
    /// </summary>
    public static double ClipNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"The clipping norm must be positive, got {maxNorm}.");
        using var scope = NewDisposeScope();
        var grads = parameters.Select(p => p.grad).Where(g => g is not null && !g.IsInvalid).Select(g => g!).ToArray();
        if (grads.Length == 0) return 0;
        double total = stack(grads.Select(g => g.norm()).ToArray()).norm().item<float>();
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1 && double.IsFinite(total))
        {
            using var c = coefficient.ToScalar();
            foreach (var g in grads) g.mul_(c);
        }
        return total;
    }
}
