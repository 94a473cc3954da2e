namespace NasKit.SearchSpaces.TextClassification;

/// <summary>What one layer of a sentence classifier does to its (channels, length) input.</summary>
public enum SentenceOp
{
    /// <summary>Convolution over k consecutive words to <see cref="SentenceClassifierConfig.Width"/> channels, then ReLU.</summary>
    Conv1, Conv3, Conv5, Conv7,
    /// <summary>Kim's parallel convolutions of widths 3, 4 and 5, a third of the channels each, concatenated, then ReLU.</summary>
    Conv345,
    /// <summary>Max or average over 3 neighbouring positions (stride 1); channels unchanged.</summary>
    MaxPool3, AvgPool3,
    /// <summary>Layer norm, then two-head self-attention over the words (padding masked out); channels unchanged.</summary>
    Attention,
    /// <summary>A bidirectional GRU with Width/2 units each way.</summary>
    Gru,
}

/// <summary>How the sequence becomes one vector: the maximum over positions (Kim's max-over-time) or the mean over the sentence's words.</summary>
public enum SentenceReadout { Max, Mean }

/// <summary>A layer and whether its input is added to its output (through a 1×1 convolution when the channels differ).</summary>
public sealed record SentenceLayer(SentenceOp Op, bool Residual);

/// <summary>
/// A sentence classifier: word embeddings of width <see cref="Embedding"/>, <see cref="Layers"/> in sequence, a
/// readout over positions, dropout, a linear layer to the classes. Parameter counts are computed here without building.
/// </summary>
public sealed record SentenceClassifierConfig(int Vocabulary, int Classes, int Embedding, int Width, IReadOnlyList<SentenceLayer> Layers,
                                              SentenceReadout Readout, double Dropout)
{
    public const int AttentionHeads = 2;

    public void Validate()
    {
        if (Vocabulary < 2 || Classes < 2) throw new ArgumentException($"A sentence classifier needs a vocabulary of at least 2 and at least 2 classes; got {Vocabulary} and {Classes}.");
        if (Embedding < 1 || Width < 1) throw new ArgumentException($"Embedding and width must be positive; got {Embedding} and {Width}.");
        if (Layers.Count == 0) throw new ArgumentException("A sentence classifier needs at least one layer.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"Dropout must be in [0, 1), got {Dropout}.");
        int c = Embedding;
        foreach (var (layer, i) in Layers.Select((l, i) => (l, i + 1)))
        {
            if (layer.Op == SentenceOp.Conv345 && Width % 3 != 0) throw new ArgumentException($"Layer {i}: conv345 splits the width in three; {Width} is not a multiple of 3.");
            if (layer.Op == SentenceOp.Gru && Width % 2 != 0) throw new ArgumentException($"Layer {i}: a bidirectional GRU needs an even width; got {Width}.");
            if (layer.Op == SentenceOp.Attention && c % AttentionHeads != 0) throw new ArgumentException($"Layer {i}: attention over {c} channels needs a multiple of {AttentionHeads}.");
            c = OutputChannels(layer.Op, c);
        }
    }

    public static int KernelOf(SentenceOp op) => op switch { SentenceOp.Conv1 => 1, SentenceOp.Conv3 => 3, SentenceOp.Conv5 => 5, SentenceOp.Conv7 => 7, _ => 0 };

    /// <summary>Channels after a layer with <paramref name="input"/> channels in.</summary>
    public int OutputChannels(SentenceOp op, int input) => op switch
    {
        SentenceOp.MaxPool3 or SentenceOp.AvgPool3 or SentenceOp.Attention => input,
        _ => Width,
    };

    /// <summary>Channels the readout sees.</summary>
    public int FinalChannels => Layers.Aggregate(Embedding, (c, l) => OutputChannels(l.Op, c));

    public long LayerParameters(SentenceLayer layer, int input)
    {
        long w = Width, c = input;
        long op = layer.Op switch
        {
            SentenceOp.Conv1 or SentenceOp.Conv3 or SentenceOp.Conv5 or SentenceOp.Conv7 => c * w * KernelOf(layer.Op) + w,
            SentenceOp.Conv345 => c * (w / 3) * (3 + 4 + 5) + w,
            SentenceOp.MaxPool3 or SentenceOp.AvgPool3 => 0,
            SentenceOp.Attention => 2 * c + (3 * c * c + 3 * c) + (c * c + c), // layer norm, q/k/v, output projection
            SentenceOp.Gru => 2 * (3 * (w / 2) * c + 3 * (w / 2) * (w / 2) + 6 * (w / 2)), // two directions
            _ => throw new ArgumentOutOfRangeException(nameof(layer)),
        };
        int output = OutputChannels(layer.Op, input);
        return op + (layer.Residual && output != input ? (long)input * output : 0);
    }

    public long EmbeddingParameters => (long)Vocabulary * Embedding;

    public long TotalParameters
    {
        get
        {
            long total = EmbeddingParameters;
            int c = Embedding;
            foreach (var l in Layers) { total += LayerParameters(l, c); c = OutputChannels(l.Op, c); }
            return total + (long)c * Classes + Classes;
        }
    }
}
