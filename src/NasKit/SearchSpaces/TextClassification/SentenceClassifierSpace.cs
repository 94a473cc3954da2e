using System.Globalization;
using NasKit.Networks;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.TextClassification;

/// <summary>
/// Sentence classifiers as decisions: the embedding width, the channel width, 1–4 layers in sequence, per layer an
/// operation (convolution of width 1/3/5/7, Kim's parallel 3-4-5 convolutions, max or average pooling, two-head
/// self-attention, a bidirectional GRU) and a residual connection (decisions that exist only while the network is
/// that deep), the readout (max over time or mean over words) and dropout. Kim's CNN is an architecture of the space
/// (<see cref="KimCnn"/>). Text form <c>layers=1, embed=300, width=300, readout=max, dropout=0.5, l1.op=conv345,
/// l1.skip=none</c>; the task supplies vocabulary and classes.
/// </summary>
public sealed class SentenceClassifierSpace : DecisionSpace, ISentenceClassifierSpace<Choices>
{
    public const int MaxLayers = 4;
    public static IReadOnlyList<int> Embeddings { get; } = [64, 128, 192, 256, 300];
    // Multiples of 6: conv345 splits the width in three, the bidirectional GRU in two.
    public static IReadOnlyList<int> Widths { get; } = [48, 96, 144, 192, 300];

    private static readonly (string Text, SentenceOp Op)[] Ops =
    [
        ("conv1", SentenceOp.Conv1), ("conv3", SentenceOp.Conv3), ("conv5", SentenceOp.Conv5), ("conv7", SentenceOp.Conv7), ("conv345", SentenceOp.Conv345),
        ("maxpool3", SentenceOp.MaxPool3), ("avgpool3", SentenceOp.AvgPool3), ("attention", SentenceOp.Attention), ("gru", SentenceOp.Gru),
    ];

    public SentenceClassifierSpace() : base("textcls", Declare()) { }

    private static Decision[] Declare()
    {
        static string[] Text(IEnumerable<int> values) => values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
        var list = new List<Decision>
        {
            Decision.Integer("layers", 1, MaxLayers),
            Decision.Ordinal("embed", Text(Embeddings)),
            Decision.Ordinal("width", Text(Widths)),
            Decision.Categorical("readout", "max", "mean"),
            Decision.Ordinal("dropout", "0.3", "0.5"),
        };
        for (int l = 1; l <= MaxLayers; l++)
        {
            var deepEnough = Text(Enumerable.Range(l, MaxLayers - l + 1));
            var op = Decision.Categorical($"l{l}.op", Ops.Select(o => o.Text).ToArray());
            var skip = Decision.Categorical($"l{l}.skip", "none", "residual");
            list.Add(l == 1 ? op : op.When("layers", deepEnough));
            list.Add(l == 1 ? skip : skip.When("layers", deepEnough));
        }
        return list.ToArray();
    }

    /// <summary>Kim's CNN (CNN-rand): 300-wide embeddings, 100 maps each of widths 3, 4 and 5, max over time, dropout 0.5.</summary>
    public Choices KimCnn => (Choices)Parse("layers=1, embed=300, width=300, readout=max, dropout=0.5, l1.op=conv345, l1.skip=none");

    /// <summary>The network configuration of an architecture for a task's vocabulary and classes.</summary>
    public SentenceClassifierConfig Configure(Choices arch, int vocabulary, int classes)
    {
        if (arch.Space.Name != Name) throw new ArgumentException($"{arch.ToText()} is not an architecture of space '{Name}'.");
        int layers = (int)arch.Number("layers");
        var config = new SentenceClassifierConfig(vocabulary, classes, (int)arch.Number("embed"), (int)arch.Number("width"),
            Enumerable.Range(1, layers).Select(l => new SentenceLayer(Ops.Single(o => o.Text == arch[$"l{l}.op"]).Op, arch[$"l{l}.skip"] == "residual")).ToArray(),
            arch["readout"] == "max" ? SentenceReadout.Max : SentenceReadout.Mean, arch.Number("dropout"));
        config.Validate();
        return config;
    }

    public nn.Module<Tensor, Tensor> Build(Choices arch, int vocabulary, int classes, int seed) => new SentenceClassifier(Configure(arch, vocabulary, classes), seed);

    public long Parameters(Choices arch, int vocabulary, int classes) => Configure(arch, vocabulary, classes).TotalParameters;
}
