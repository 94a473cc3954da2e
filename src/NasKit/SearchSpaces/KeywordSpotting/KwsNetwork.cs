using NasKit.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NasKit.SearchSpaces.KeywordSpotting;

/// <summary>
/// A keyword-spotting network built from a <see cref="KwsConfig"/>: feature maps (batch, 1, frames, features) in,
/// logits out. Initialised as the ARM reference: Xavier-uniform weights with TensorFlow's fans (a depthwise kernel
/// [k, k, c, 1] has fan-in k·k·c and fan-out k·k), zero biases and shifts; batch norm ε 1e-3 as slim's. Its running
/// statistics follow PyTorch's momentum 0.1, not slim's decay 0.96: Hello Edge trains 30,000 steps, FSDD gives 24 a
/// epoch, and at 0.96 the running variance is still mostly its initial 1 after a few epochs, so evaluation-mode
/// accuracy stays at chance while training accuracy rises.
/// </summary>
public sealed class KwsNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> layers;
    private readonly Linear classifier;

    public KwsConfig Config { get; }

    public KwsNetwork(KwsConfig config, int seed) : base(nameof(KwsNetwork))
    {
        config.Validate();
        Config = config;
        using var g = new Generator((ulong)seed);
        var list = new List<nn.Module<Tensor, Tensor>>();
        var shapes = config.Shapes();
        var s = config.Stem;
        list.Add(new ConvBnRelu(1, s.Width, s.KernelTime, s.KernelFrequency, s.StrideTime, s.StrideFrequency, groups: 1, config.Input.Frames, config.Input.Features, g));
        int c = s.Width;
        for (int i = 0; i < config.Blocks.Count; i++)
        {
            var b = config.Blocks[i];
            var (t, f, _) = shapes[i];
            if (b.Convolution == KwsConvolution.Standard)
                list.Add(new ConvBnRelu(c, b.Width, b.Kernel, b.Kernel, b.Stride, b.Stride, 1, t, f, g));
            else
            {
                list.Add(new ConvBnRelu(c, c, b.Kernel, b.Kernel, b.Stride, b.Stride, groups: c, t, f, g));
                list.Add(new ConvBnRelu(c, b.Width, 1, 1, 1, 1, 1, KwsConfig.Same(t, b.Stride), KwsConfig.Same(f, b.Stride), g));
            }
            if (b.MaxPool)
            {
                int ct = KwsConfig.Same(t, b.Stride), cf = KwsConfig.Same(f, b.Stride);
                list.Add(nn.MaxPool2d([Math.Min(2, ct), Math.Min(2, cf)], [Math.Min(2, ct), Math.Min(2, cf)], ceil_mode: true));
            }
            c = b.Width;
        }
        layers = new ModuleList<nn.Module<Tensor, Tensor>>(list.ToArray());
        classifier = nn.Linear(c, config.Classes);
        using (no_grad())
        {
            Xavier(classifier.weight!, c, config.Classes, g);
            classifier.bias!.zero_();
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        foreach (var layer in layers) x = layer.call(x);
        return classifier.call(x.mean([2, 3]));
    }

    internal static void Xavier(Tensor weight, long fanIn, long fanOut, Generator g)
    {
        double bound = Math.Sqrt(6.0 / (fanIn + fanOut));
        using var r = rand(weight.shape, generator: g);
        using var v = r.mul(2 * bound).sub_(bound);
        weight.copy_(v);
    }

    /// <summary>SAME-padded convolution with bias, batch norm without scale (a learned shift), ReLU.</summary>
    private sealed class ConvBnRelu : nn.Module<Tensor, Tensor>
    {
        private readonly long[] pad;
        private readonly Conv2d conv;
        private readonly BatchNorm2d bn;
        private readonly Parameter shift;

        public ConvBnRelu(int inputs, int outputs, int kt, int kf, int st, int sf, int groups, int time, int frequency, Generator g) : base(nameof(ConvBnRelu))
        {
            static (long Before, long After) Same(int length, int k, int s)
            {
                int total = Math.Max((KwsConfig.Same(length, s) - 1) * s + k - length, 0);
                return (total / 2, total - total / 2);
            }
            var (top, bottom) = Same(time, kt, st);
            var (left, right) = Same(frequency, kf, sf);
            pad = [left, right, top, bottom];
            conv = nn.Conv2d(inputs, outputs, (kt, kf), stride: (st, sf), groups: groups, bias: true);
            bn = nn.BatchNorm2d(outputs, eps: 1e-3, momentum: 0.1, affine: false);
            shift = new Parameter(zeros(outputs));
            using (no_grad())
            {
                // TensorFlow's fans: a depthwise kernel [kt, kf, c, 1] feeds one output per channel.
                long area = (long)kt * kf;
                if (groups == 1) Xavier(conv.weight!, area * inputs, area * outputs, g);
                else Xavier(conv.weight!, area * inputs, area, g);
                conv.bias!.zero_();
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            if (pad.Any(p => p > 0)) x = F.pad(x, pad);
            using var normalised = bn.call(conv.call(x));
            return F.relu(normalised.add(shift.view(1, -1, 1, 1)));
        }
    }
}
