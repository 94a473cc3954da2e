using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// How a supernet is built for a differentiable search.
/// </summary>
/// <param name="Affine">Learned BN scale and shift in the ops; the DARTS and NB201 searches use none.</param>
/// <param name="PartialChannels">PC-DARTS' K (Xu et al., ICLR 2020): each mixed edge runs its ops on 1/K of the channels and passes
/// the rest through, then shuffles channels; K = 1 is plain DARTS. It cuts the activations the ops keep for backward by about K.</param>
public sealed record SupernetOptions(bool Affine = false, int PartialChannels = 1)
{
    public void Validate(long channels)
    {
        if (PartialChannels < 1) throw new ArgumentException($"Partial channels K must be at least 1, got {PartialChannels}.");
        if (channels % PartialChannels != 0)
            throw new ArgumentException($"Partial channels K={PartialChannels} must divide the {channels} channels of every edge.");
    }
}

/// <summary>
/// A supernet under a continuous relaxation: every cell type (NB201: one; DARTS: normal and reduction) has one
/// [edges × ops] matrix of edge weights, and a forward pass mixes each edge's ops by its row.
/// </summary>
public interface IRelaxedSupernet : IDisposable
{
    /// <summary>The supernet as a module (its parameters, train/eval mode, device moves, checkpoints).</summary>
    nn.Module Module { get; }

    /// <summary>Edges and ops of each cell type's weight matrix, in order.</summary>
    IReadOnlyList<(int Edges, int Ops)> ArchitectureShape { get; }

    /// <summary>Logits with edge e of cell type t computing Σ_k w[t][e, k] · op_k.</summary>
    Tensor Forward(Tensor x, IReadOnlyList<Tensor> edgeWeights);

    /// <summary>
    /// GDAS' forward: each edge runs only the op its one-hot row selects, times that weight, plus the other
    /// (zero-valued) weights so that every weight gets a gradient, as the reference does.
    /// </summary>
    Tensor ForwardSampled(Tensor x, IReadOnlyList<Tensor> hardWeights);
}

/// <summary>The pieces of a PC-DARTS mixed edge.</summary>
public static class PartialChannels
{
    /// <summary>ShuffleNet's channel shuffle: [B, G·C', H, W] → groups interleaved, so the next edge sees other channels.</summary>
    public static Tensor Shuffle(Tensor x, long groups)
    {
        if (groups == 1) return x;
        var s = x.shape;
        using var grouped = x.view(s[0], groups, s[1] / groups, s[2], s[3]);
        using var transposed = grouped.transpose(1, 2);
        using var copy = transposed.contiguous();
        return copy.view(s[0], s[1], s[2], s[3]);
    }

    /// <summary>
    /// Mixes on the first C/K channels and passes the rest through (max-pooled 2×2 when the ops reduce), then
    /// shuffles: the reference's PC-DARTS <c>MixedOp</c>.
    /// </summary>
    public static Tensor Apply(Tensor x, int k, Func<Tensor, Tensor> mixed, Func<Tensor, Tensor>? reduceRest = null)
    {
        if (k == 1) return mixed(x);
        long part = x.shape[1] / k;
        using var head = x[.., ..(int)part];
        var y = mixed(head);
        var rest = x[.., (int)part..];
        if (y.shape[2] != x.shape[2])
        {
            var view = rest;
            rest = (reduceRest ?? throw new InvalidOperationException("The ops reduce, so the bypass must too."))(view);
            if (!ReferenceEquals(rest, view)) view.Dispose();
        }
        // The concatenation and the pieces are read by nothing after the shuffle's copy: released at once, as in
        // Python, rather than at the end of the step (see RelaxedSupernets.Sum).
        using var joined = cat([y, rest], 1);
        if (!ReferenceEquals(y, head)) y.Dispose();
        rest.Dispose();
        return Shuffle(joined, k);
    }

}

public static class RelaxedSupernets
{
    /// <summary>
    /// Σ terms of a mixed edge, each term computed only when it is added, and each term and partial sum released
    /// as soon as the next partial sum exists. Autograd keeps neither (an addition saves no inputs), so their
    /// memory is reused within the forward pass, as Python's reference counting does in the reference code; held
    /// to the end of the step, they made NasKit's NB201 supernet step about half again as heavy as PyTorch's.
    /// The terms must be tensors the caller made, never its inputs.
    /// </summary>
    public static Tensor Sum(IEnumerable<Tensor> terms)
    {
        Tensor? sum = null;
        foreach (var term in terms)
        {
            if (sum is null) { sum = term; continue; }
            var next = sum + term;
            sum.Dispose();
            term.Dispose();
            sum = next;
        }
        return sum ?? throw new ArgumentException("A mixed edge needs at least one op.");
    }

    /// <summary>Checks a list of weight matrices against a supernet's shape.</summary>
    public static void CheckShape(IReadOnlyList<Tensor> weights, IReadOnlyList<(int Edges, int Ops)> shape)
    {
        if (weights.Count != shape.Count)
            throw new ArgumentException($"The supernet takes {shape.Count} edge-weight matrices (one per cell type), got {weights.Count}.");
        for (int t = 0; t < shape.Count; t++)
            if (weights[t].shape is not [var e, var o] || e != shape[t].Edges || o != shape[t].Ops)
                throw new ArgumentException($"Edge weights {t} must have shape [{shape[t].Edges}, {shape[t].Ops}], got [{string.Join(", ", weights[t].shape)}].");
    }
}
