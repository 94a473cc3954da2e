using NasKit.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Tests.Networks;

/// <summary>Every explicit optimizer stepped beside the torch optimizer it reproduces, on the same network, gradients and learning-rate schedule.</summary>
public class ExplicitOptimizerTests
{
    private sealed record Pair(Func<IEnumerable<Parameter>, double, IExplicitOptimizer> Ours, Func<IEnumerable<Parameter>, double, optim.Optimizer> Theirs, bool Exact);

    private static readonly Dictionary<string, Pair> Pairs = new()
    {
        // The evaluator's recipe (NB201): bit for bit, as every trained network depends on it.
        ["sgd nesterov + decay"] = new((p, lr) => new ExplicitSgd(p, lr, 0.9, 5e-4, nesterov: true), (p, lr) => optim.SGD(p, lr, momentum: 0.9, weight_decay: 5e-4, nesterov: true), true),
        ["sgd momentum"] = new((p, lr) => new ExplicitSgd(p, lr, 0.9), (p, lr) => optim.SGD(p, lr, momentum: 0.9), true),
        ["sgd + decay"] = new((p, lr) => new ExplicitSgd(p, lr, weightDecay: 1e-3), (p, lr) => optim.SGD(p, lr, weight_decay: 1e-3), true),
        // DARTS' architecture optimizer: Adam with L2 decay, betas (0.5, 0.999).
        ["adam l2"] = new((p, lr) => new ExplicitAdam(p, lr, 0.5, 0.999, 1e-3), (p, lr) => optim.Adam(p, lr, beta1: 0.5, beta2: 0.999, weight_decay: 1e-3), false),
        // nanoGPT: AdamW.
        ["adamw"] = new((p, lr) => new ExplicitAdam(p, lr, 0.9, 0.99, weightDecay: 0.1, decoupledWeightDecay: true), (p, lr) => optim.AdamW(p, lr, 0.9, 0.99, weight_decay: 0.1), false),
        // Kim's CNN: Adadelta.
        ["adadelta"] = new((p, lr) => new ExplicitAdadelta(p, lr, 0.95, 1e-6), (p, lr) => optim.Adadelta(p, lr, 0.95, 1e-6), false),
    };

    public static TheoryData<string> Names => new(Pairs.Keys);

    [Theory, MemberData(nameof(Names))]
    public void Steps_as_the_torch_optimizer_it_reproduces(string name)
    {
        NasKit.Runtime.TorchRuntime.EnsureLoaded();
        var pair = Pairs[name];
        Linear Net() { manual_seed(3); return nn.Linear(6, 3); }
        using var a = Net();
        using var b = Net();
        using var start = a.weight!.detach().clone();
        using var ours = pair.Ours(a.parameters(), 0.1);
        var theirs = pair.Theirs(b.parameters(), 0.1);
        manual_seed(4);
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn(8, 6);
            double lr = 0.1 / (step + 1); // a schedule: the rate is read at each step
            ours.LearningRate = lr;
            foreach (var g in theirs.ParamGroups) g.LearningRate = lr;
            ours.ZeroGrad();
            theirs.zero_grad();
            a.forward(x).pow(2).sum().backward();
            b.forward(x).pow(2).sum().backward();
            ours.Step();
            theirs.step();
        }
        foreach (var (p, q) in a.parameters().Zip(b.parameters()))
            Assert.True(pair.Exact ? p.eq(q).all().item<bool>() : p.allclose(q, rtol: 1e-5, atol: 1e-6),
                        $"{name}: parameters differ after 6 steps by up to {(p - q).abs().max().item<float>()}");
        Assert.False(a.weight!.allclose(start, rtol: 0, atol: 1e-4), $"{name} did not move the weights");
    }

    [Fact]
    public void Adams_saved_state_continues_a_run_exactly_and_refuses_another_models()
    {
        NasKit.Runtime.TorchRuntime.EnsureLoaded();
        Linear Net() { manual_seed(5); return nn.Linear(4, 2); }
        using var x = randn(5, 4, generator: new Generator(6));
        void Steps(Linear net, ExplicitAdam adam, int n)
        {
            for (int i = 0; i < n; i++) { adam.ZeroGrad(); net.forward(x).pow(2).sum().backward(); adam.Step(); }
        }
        using var straight = Net();
        using var straightAdam = new ExplicitAdam(straight.parameters(), 0.05);
        Steps(straight, straightAdam, 6);

        using var first = Net();
        using var firstAdam = new ExplicitAdam(first.parameters(), 0.05);
        Steps(first, firstAdam, 3);
        using var state = new MemoryStream();
        firstAdam.Save(new BinaryWriter(state));
        using var resumed = Net();
        using (no_grad()) foreach (var (p, q) in resumed.parameters().Zip(first.parameters())) p.copy_(q);
        using var resumedAdam = new ExplicitAdam(resumed.parameters(), 0.05);
        state.Position = 0;
        resumedAdam.Load(new BinaryReader(state));
        Steps(resumed, resumedAdam, 3);
        foreach (var (p, q) in resumed.parameters().Zip(straight.parameters()))
            Assert.True(p.eq(q).all().item<bool>(), "a resumed Adam differs from an uninterrupted one");

        using var other = nn.Linear(3, 2);
        using var otherAdam = new ExplicitAdam(other.parameters(), 0.05);
        state.Position = 0;
        Assert.Contains("another model", Assert.Throws<InvalidDataException>(() => otherAdam.Load(new BinaryReader(state))).Message);
    }
}
