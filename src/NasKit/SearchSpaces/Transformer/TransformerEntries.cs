using NasKit.Experiments;

namespace NasKit.SearchSpaces.Transformer;

/// <summary><c>transformer</c> in the space catalog: decoder-only language models, searched with the <c>lm</c> evaluator.</summary>
public sealed class TransformerSpaceEntry : ISpaceEntry
{
    public string Name => "transformer";
    public string Description => "Decoder-only Transformers: 1-6 heterogeneous layers (heads, MLP ratio), width, attention (full/local/multi-query), positions (learned/sinusoidal/rotary/ALiBi/none), dropout; train with lm.";
    public int Order => 60;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new DecoderSpace());
}
