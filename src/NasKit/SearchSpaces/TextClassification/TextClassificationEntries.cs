using NasKit.Experiments;

namespace NasKit.SearchSpaces.TextClassification;

/// <summary><c>textcls</c> in the space catalog: sentence classifiers (Kim's CNN among them), searched with the <c>textcls</c> evaluator.</summary>
public sealed class TextClassificationSpaceEntry : ISpaceEntry
{
    public string Name => "textcls";
    public string Description => "Sentence classifiers: embedding and channel width, 1-4 layers of conv1/3/5/7, Kim's conv345, max/avg pooling, self-attention, BiGRU, residuals, max/mean readout; train with textcls.";
    public int Order => 61;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new SentenceClassifierSpace());
}
