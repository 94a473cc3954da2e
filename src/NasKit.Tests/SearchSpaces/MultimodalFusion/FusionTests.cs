using NasKit.Data;
using NasKit.Estimation;
using NasKit.SearchSpaces.MultimodalFusion;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.MultimodalFusion;

public class FusionTests
{
    private readonly FusionSpace _space = new();

    [Fact]
    public void Parameter_counts_match_the_built_networks_and_layers_read_what_they_name()
    {
        var rng = new Random(3);
        for (int i = 0; i < 40; i++)
        {
            using var scope = NewDisposeScope();
            var arch = _space.Sample(rng);
            using var net = new FusionNetwork(_space.Layers(arch), 10, i);
            Assert.Equal(_space.Parameters(arch, 10), net.parameters().Sum(p => p.numel()));
            var logits = net.forward(randn(5, 2 * UnimodalNetwork.HiddenTotal));
            Assert.Equal([5L, 10], logits.shape);
            Assert.Equal(arch, _space.Parse(arch.ToText()));
        }
        // A layer reading image layer 1 and audio layer 3 depends on exactly those features.
        var one = (Choices)_space.Parse("layers=1, l1.image=1, l1.audio=3, l1.width=16, l1.act=relu");
        using var fusion = new FusionNetwork(_space.Layers(one), 10, 0);
        var x = randn(2, 2 * UnimodalNetwork.HiddenTotal, requires_grad: true);
        fusion.forward(x).sum().backward();
        var used = x.grad!.abs().sum([0L]).data<float>().ToArray().Select(g => g > 0).ToArray();
        int image1 = UnimodalNetwork.HiddenSizes[0], audio3Start = UnimodalNetwork.HiddenTotal + UnimodalNetwork.HiddenSizes[0] + UnimodalNetwork.HiddenSizes[1];
        for (int j = 0; j < used.Length; j++)
            Assert.Equal(j < image1 || j >= audio3Start, used[j]);
    }

    [Fact]
    public void Unimodal_networks_expose_three_hidden_layers()
    {
        using var image = new UnimodalNetwork(28, 28, 5, 10, 0);
        using var audio = new UnimodalNetwork(49, 10, 3, 10, 0);
        Assert.Equal([4L, 112], image.Hidden(randn(4, 1, 28, 28)).shape);
        Assert.Equal([4L, 112], audio.Hidden(randn(4, 1, 49, 10)).shape);
        Assert.Equal([4L, 10], audio.forward(randn(4, 1, 49, 10)).shape);
    }

    [Fact]
    public void The_comparison_runs_on_a_seed_and_noise_hurts_what_relies_on_it()
    {
        var task = AudioVisualDigits.Load(new AudioVisualSettings(AudioSnrDb: null));
        var rows = FusionStudy.RunSeed(task, 0, new FusionStudySettings(UnimodalEpochs: 2, FusionEpochs: 3, Queries: 2, Population: 2, SampleSize: 1));
        Assert.Equal([FusionStudy.ImageOnly, FusionStudy.AudioOnly, FusionStudy.Early, FusionStudy.Late, FusionStudy.Searched], rows.Select(r => r.Model));
        var image = rows[0];
        var audio = rows[1];
        Assert.True(image.TestAccuracy > 40 && audio.TestAccuracy > 40, $"image {image.TestAccuracy}%, audio {audio.TestAccuracy}% after 2 epochs");
        // A unimodal network ignores the other modality, and collapses without its own.
        Assert.Equal(image.TestAccuracy, image.AudioNoiseAccuracy);
        Assert.Equal(audio.TestAccuracy, audio.ImageNoiseAccuracy);
        Assert.True(image.ImageNoiseAccuracy < 30, $"image network on noise images: {image.ImageNoiseAccuracy}%");
        Assert.True(audio.AudioNoiseAccuracy < 30, $"audio network on noise clips: {audio.AudioNoiseAccuracy}%");
        Assert.NotEmpty(rows[4].Architecture);
        Assert.Equal(rows[0].Parameters + rows[1].Parameters + _space.Parameters((Choices)_space.Parse(rows[4].Architecture), 10), rows[4].Parameters);
    }
}
