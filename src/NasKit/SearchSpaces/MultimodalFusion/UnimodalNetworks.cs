using NasKit.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NasKit.SearchSpaces.MultimodalFusion;

/// <summary>
/// A small unimodal network whose hidden layers a fusion network can read: two convolution blocks (convolution,
/// batch norm, ReLU, 2×2 max pooling) and a fully connected layer of 64, then the classifier. Its hidden
/// representations are the two blocks' outputs averaged over positions (16 and 32 values) and the fully connected
/// layer's (64): MFAS reads the layers of pre-trained unimodal networks in the same way.
/// </summary>
public sealed class UnimodalNetwork : nn.Module<Tensor, Tensor>
{
    public static IReadOnlyList<int> HiddenSizes { get; } = [16, 32, 64];
    public static int HiddenTotal => HiddenSizes.Sum();

    private readonly Sequential block1, block2;
    private readonly Linear hidden, classifier;

    /// <param name="kernel">Square kernel of both convolutions (5 for 28×28 images, 3 for 49×10 feature maps).</param>
    public UnimodalNetwork(int height, int width, int kernel, int classes, int seed) : base(nameof(UnimodalNetwork))
    {
        block1 = nn.Sequential(nn.Conv2d(1, HiddenSizes[0], kernel, padding: kernel / 2), nn.BatchNorm2d(HiddenSizes[0]), nn.ReLU(), nn.MaxPool2d(2, 2, ceil_mode: true));
        block2 = nn.Sequential(nn.Conv2d(HiddenSizes[0], HiddenSizes[1], kernel, padding: kernel / 2), nn.BatchNorm2d(HiddenSizes[1]), nn.ReLU(), nn.MaxPool2d(2, 2, ceil_mode: true));
        int h = (height + 3) / 4, w = (width + 3) / 4;
        hidden = nn.Linear(HiddenSizes[1] * h * w, HiddenSizes[2]);
        classifier = nn.Linear(HiddenSizes[2], classes);
        RegisterComponents();
        SeededInitialization.Apply(this, seed);
    }

    public override Tensor forward(Tensor x) => classifier.call(F.relu(hidden.call(block2.call(block1.call(x)).flatten(1))));

    /// <summary>The three hidden representations concatenated: (batch, 16 + 32 + 64).</summary>
    public Tensor Hidden(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h1 = block1.call(x);
        var h2 = block2.call(h1);
        var h3 = F.relu(hidden.call(h2.flatten(1)));
        return cat([h1.mean([2, 3]), h2.mean([2, 3]), h3], 1).MoveToOuterDisposeScope();
    }
}

/// <summary>Early fusion: both inputs flattened and concatenated, one multilayer perceptron (one hidden layer of 128) over them.</summary>
public sealed class EarlyFusionNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public EarlyFusionNetwork(int inputs, int classes, int seed) : base(nameof(EarlyFusionNetwork))
    {
        layers = nn.Sequential(nn.Linear(inputs, 128), nn.ReLU(), nn.Linear(128, classes));
        RegisterComponents();
        SeededInitialization.Apply(this, seed);
    }

    public override Tensor forward(Tensor x) => layers.call(x);
}
