using NasKit.Networks;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// What a proxy may look at: the architecture, the shape of its network, one seeded minibatch (on the device) and a
/// builder of freshly initialised networks. Every built network has the same seeded weights, as the reference
/// implementation gives each proxy its own copy of one initialised network.
/// </summary>
public sealed class ProxyInput(IArchitecture architecture, NetworkShape shape, Tensor images, Tensor labels, Device device,
                               Func<NetworkShape, nn.Module<Tensor, Tensor>> build, int initSeed, Func<NetworkShape, int, long>? countFlops = null,
                               bool reinitialise = true)
{
    /// <summary>The space's analytical FLOPs of this architecture for a shape and resolution, when its space has a cost model.</summary>
    public Func<NetworkShape, int, long>? CountFlops { get; } = countFlops;

    public IArchitecture Architecture { get; } = architecture;
    public NetworkShape Shape { get; } = shape;
    public Tensor Images { get; } = images;
    public Tensor Labels { get; } = labels;
    public Device Device { get; } = device;

    /// <summary>A new network on the device in training mode (batch statistics, as the reference scores them).</summary>
    public nn.Module<Tensor, Tensor> Network(bool batchNorm = true)
    {
        var net = build(Shape with { BatchNorm = batchNorm });
        // Image networks get PyTorch's default initialisation from the seed, as the reference scores them; a builder
        // that initialises its network itself from the seed (a Transformer's GPT-2 initialisation) keeps its own.
        if (reinitialise) SeededInitialization.Apply(net, initSeed);
        net.to(Device);
        net.train();
        return net;
    }

    /// <summary>The layers with prunable weights in the reference: convolutions and linear layers.</summary>
    public static IEnumerable<nn.Module> WeightLayers(nn.Module net) =>
        net.modules().Where(m => m is TorchSharp.Modules.Conv2d or TorchSharp.Modules.Linear);

    public static Tensor? Weight(nn.Module layer) => layer switch
    {
        TorchSharp.Modules.Conv2d c => c.weight,
        TorchSharp.Modules.Linear l => l.weight,
        _ => null,
    };

    /// <summary>Sums a per-layer tensor statistic in double precision (gradient-free layers count as 0).</summary>
    public static double SumOverWeights(nn.Module net, Func<Tensor, Tensor, Tensor> perLayer)
    {
        double total = 0;
        foreach (var layer in WeightLayers(net))
        {
            var w = Weight(layer);
            var g = w?.grad;
            if (w is null || g is null || g.IsInvalid) continue;
            using var s = perLayer(w, g);
            total += s.sum().to_type(ScalarType.Float64).item<double>();
        }
        return total;
    }

    /// <summary>
    /// Calls <paramref name="observe"/> with the module, input and output of every call of <paramref name="modules"/>
    /// until disposed (forward hooks; the networks run their submodules through <c>call</c>). With
    /// <paramref name="keepOutputs"/> the network goes on with an alias of each output, so an observer may hold the
    /// output past the forward pass: TorchSharp's <c>Sequential</c> disposes each intermediate once the next layer ran.
    /// </summary>
    public static IDisposable Observe(IEnumerable<nn.Module> modules, Action<nn.Module, Tensor, Tensor> observe, bool keepOutputs = false)
    {
        var removers = new List<Action>();
        foreach (var m in modules.OfType<nn.Module<Tensor, Tensor>>())
        {
            var hook = m.register_forward_hook((module, x, y) => { observe(module, x, y); return keepOutputs ? y.alias() : y; });
            removers.Add(hook.remove);
        }
        return new Removal(removers);
    }

    private sealed class Removal(List<Action> removers) : IDisposable
    {
        public void Dispose() { foreach (var r in removers) r(); removers.Clear(); }
    }
}
