using NasKit.Data;
using NasKit.Networks;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// Zero-cost proxies for language models: one seeded batch of token windows stands in for the images and the next
/// tokens for the labels, and the network's (batch, time, vocabulary) logits are flattened to (batch·time,
/// vocabulary) so a proxy's cross-entropy is the per-token loss. The network keeps its own seeded initialisation.
/// <para>
/// Which proxies apply: those that back-propagate a cross-entropy through the linear layers (grad_norm, snip, grasp,
/// fisher; fisher's channels are a linear layer's last dimension, summed over time), params and flops. Not jacob_cov
/// (it differentiates with respect to the input, and token ids are integers), not NASWOT (it reads ReLU
/// activation patterns; Transformer MLPs use GELU), not synflow (its data-free input is a tensor of ones in
/// floating point, which a token embedding cannot take).
/// </para>
/// </summary>
public static class SequenceProxyInput
{
    public static IReadOnlyList<string> Applicable { get; } = ["grad_norm", "snip", "grasp", "fisher", "params", "flops"];

    public static ProxyInput Create<TArch>(ISequenceModelSpace<TArch> space, TArch arch, CharCorpus corpus, int batch, int context, int seed, Device device)
        where TArch : class, IArchitecture
    {
        var (x, y) = corpus.Batch(valid: false, batch, context, new Random(seed), device);
        return new ProxyInput(arch, new NetworkShape(), x, y.flatten(), device,
            _ => new FlattenedLogits(space.BuildForSecondDerivatives(arch, corpus.VocabularySize, context, seed)), seed,
            countFlops: (_, _) => space.ForwardMacs(arch, corpus.VocabularySize, context), reinitialise: false);
    }

    /// <summary>(batch, time, vocabulary) logits as (batch·time, vocabulary).</summary>
    private sealed class FlattenedLogits : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;

        public FlattenedLogits(nn.Module<Tensor, Tensor> model) : base(nameof(FlattenedLogits))
        {
            inner = model;
            RegisterComponents();
        }

        public override Tensor forward(Tensor tokens)
        {
            using var z = inner.forward(tokens);
            return z.flatten(0, 1);
        }
    }
}
