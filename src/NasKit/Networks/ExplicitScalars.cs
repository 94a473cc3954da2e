using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// Tensor arithmetic with constants that live for the process. TorchSharp's operators create a Scalar for their
/// implicit alpha (a + b is add(b, alpha: 1)) and drop it while the native call runs, so a garbage collection at that
/// moment lets the finalizer free it mid-call: libtorch then reads a freed scalar ("Expected false to be true ...
/// toFloat"). Forward passes that run often use these instead.
/// </summary>
public static class ExplicitScalars
{
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar Zero = 0.0.ToScalar();

    /// <summary>Zeroes the gradients the parameters have (the optimizers' zero_grad).</summary>
    public static void ZeroGrad(IEnumerable<TorchSharp.Modules.Parameter> parameters)
    {
        using var scope = NewDisposeScope(); // each p.grad is a new handle
        foreach (var p in parameters)
            if (p.grad is { } g && !g.IsInvalid) g.zero_();
    }

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);
}
