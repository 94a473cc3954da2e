using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// A training step's forward pass that keeps only its logits and loss. Every other tensor handle the pass created
/// is released before backward, so autograd frees each saved activation as soon as backward has used it, as PyTorch
/// does when Python drops its references. Held until the step's scope ends instead, all activations stay alive
/// through backward: the step's peak memory is higher, freed blocks cannot be reused for the gradients, and glibc
/// returns the whole peak to the kernel and faults it back in every step (measured: about 100k page faults and a
/// third more time per NB201 step; docs/measurements.md).
/// </summary>
public static class ForwardPass
{
    /// <summary>Runs <paramref name="logits"/> then <paramref name="loss"/> in their own dispose scope and moves only
    /// their two results to the caller's scope.</summary>
    public static (Tensor Logits, Tensor Loss) WithLoss(Func<Tensor> logits, Func<Tensor, Tensor> loss)
    {
        using var scope = NewDisposeScope();
        var z = logits();
        var l = loss(z);
        scope.MoveToOuter(z, l);
        return (z, l);
    }
}
