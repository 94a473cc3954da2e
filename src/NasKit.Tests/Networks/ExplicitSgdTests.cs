using NasKit.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Tests.Networks;

public class ExplicitSgdTests
{
    [Theory]
    [InlineData(0.9, 5e-4, true)]
    [InlineData(0.9, 0.0, false)]
    [InlineData(0.0, 1e-3, false)]
    public void Steps_exactly_as_torchsharps_sgd(double momentum, double weightDecay, bool nesterov)
    {
        NasKit.Runtime.TorchRuntime.EnsureLoaded();
        TorchSharp.Modules.Linear Net() { manual_seed(3); return nn.Linear(6, 3); }
        using var a = Net();
        using var b = Net();
        using var ours = new ExplicitSgd(a.parameters(), 0.1, momentum, weightDecay, nesterov);
        using var theirs = optim.SGD(b.parameters(), 0.1, momentum: momentum, weight_decay: weightDecay, nesterov: nesterov);
        manual_seed(4);
        for (int step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn(8, 6);
            ours.LearningRate = 0.1 / (step + 1);
            foreach (var g in theirs.ParamGroups) g.LearningRate = 0.1 / (step + 1);
            ours.ZeroGrad();
            theirs.zero_grad();
            a.forward(x).pow(2).sum().backward();
            b.forward(x).pow(2).sum().backward();
            ours.Step();
            theirs.step();
        }
        foreach (var (p, q) in a.parameters().Zip(b.parameters()))
            Assert.True(p.eq(q).all().item<bool>(), "parameters differ after 5 steps");
    }
}
