using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>
/// Re-initialises a network from its own seeded generator with PyTorch's default distributions: convolution and
/// linear weights U(±1/√fan_in) (kaiming_uniform with a=√5), their biases U(±1/√fan_in), batch-norm weights 1
/// and biases 0. Why not seed torch's global generator: any other thread that draws random numbers between the
/// seeding and the build changes the initialisation, so the same seed would not give the same network.
/// </summary>
public static class SeededInitialization
{
    public static void Apply(nn.Module module, int seed)
    {
        using var g = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var m in module.modules())
        {
            switch (m)
            {
                case Conv2d conv:
                    Uniform(conv.weight!, FanIn(conv.weight!), g);
                    if (conv.bias is { } cb) Uniform(cb, FanIn(conv.weight!), g);
                    break;
                case Linear linear:
                    Uniform(linear.weight!, FanIn(linear.weight!), g);
                    if (linear.bias is { } lb) Uniform(lb, FanIn(linear.weight!), g);
                    break;
                case BatchNorm2d bn:
                    bn.weight?.fill_(1);
                    bn.bias?.zero_();
                    break;
            }
        }
    }

    private static long FanIn(Tensor weight) => weight.numel() / weight.shape[0];

    private static void Uniform(Tensor p, long fanIn, Generator g)
    {
        using var bound = (1 / Math.Sqrt(fanIn)).ToScalar();
        using var two = 2.0.ToScalar();
        using var one = 1.0.ToScalar();
        using var r = rand(p.shape, generator: g);
        using var values = r.mul(two).sub_(one).mul_(bound);
        p.copy_(values);
    }
}
