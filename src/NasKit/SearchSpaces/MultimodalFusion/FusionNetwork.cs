using NasKit.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NasKit.SearchSpaces.MultimodalFusion;

/// <summary>
/// A fusion network over stored hidden features: its input is (batch, image hidden ⧺ audio hidden), the
/// concatenation <see cref="UnimodalNetwork.Hidden"/> gives for each modality; each layer slices the two
/// representations it reads.
/// </summary>
public sealed class FusionNetwork : nn.Module<Tensor, Tensor>
{
    private readonly IReadOnlyList<FusionLayer> _layers;
    private readonly ModuleList<Linear> linears;
    private readonly Linear classifier;
    private readonly int[] _offsets;

    public FusionNetwork(IReadOnlyList<FusionLayer> layers, int classes, int seed) : base(nameof(FusionNetwork))
    {
        if (layers.Count == 0) throw new ArgumentException("A fusion network needs at least one fusion layer.");
        _layers = layers;
        var sizes = UnimodalNetwork.HiddenSizes;
        _offsets = sizes.Select((_, i) => sizes.Take(i).Sum()).ToArray();
        int previous = 0;
        var list = new List<Linear>();
        foreach (var l in layers)
        {
            list.Add(nn.Linear(sizes[l.ImageLayer - 1] + sizes[l.AudioLayer - 1] + previous, l.Width));
            previous = l.Width;
        }
        linears = new ModuleList<Linear>(list.ToArray());
        classifier = nn.Linear(previous, classes);
        RegisterComponents();
        SeededInitialization.Apply(this, seed);
    }

    public override Tensor forward(Tensor x)
    {
        var sizes = UnimodalNetwork.HiddenSizes;
        int audioStart = UnimodalNetwork.HiddenTotal;
        Tensor? h = null;
        for (int i = 0; i < _layers.Count; i++)
        {
            var l = _layers[i];
            var parts = new List<Tensor>
            {
                x.narrow(1, _offsets[l.ImageLayer - 1], sizes[l.ImageLayer - 1]),
                x.narrow(1, audioStart + _offsets[l.AudioLayer - 1], sizes[l.AudioLayer - 1]),
            };
            if (h is not null) parts.Add(h);
            var z = linears[i].call(cat(parts, 1));
            h = l.Activation switch { FusionActivation.Relu => F.relu(z), FusionActivation.Sigmoid => F.sigmoid(z), _ => F.leaky_relu(z, 0.01) };
        }
        return classifier.call(h!);
    }
}
