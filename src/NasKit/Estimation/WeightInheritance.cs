using NasKit.Networks;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Estimation;

/// <summary>
/// Parameter inheritance for a training evaluator: it keeps the trained weights of recent networks (CPU copies) and,
/// before a new network trains, finds a kept one exactly one decision away (the parent of a mutation) and copies every
/// part the edit left unchanged into it (<see cref="IInheritableSpace{TArch}.Inherited"/>); the child then trains its
/// trial's epochs as fine-tuning. Strategy-agnostic: REA, local search or any strategy whose proposals are one edit
/// from something already trained benefits without knowing. Thread-safe; the kept weights are bounded by
/// <see cref="Capacity"/> (oldest dropped first).
/// </summary>
public sealed class WeightInheritance<TArch> : IDisposable where TArch : class, IArchitecture
{
    private sealed record Kept(TArch Arch, NetworkShape Shape, int[] Decisions, double Score, Dictionary<string, Tensor> Weights, long Order);

    private readonly IInheritableSpace<TArch> _space;
    private readonly ICategoricalSpace<TArch> _decisions;
    private readonly LinkedList<Kept> _kept = new();
    private readonly object _lock = new();
    private long _order;

    public WeightInheritance(ISearchSpace<TArch> space, int capacity = 64)
    {
        _space = space as IInheritableSpace<TArch> ?? throw new ArgumentException($"Space '{space.Name}' cannot say which weights a child shares with its parent; weight inheritance needs an inheritable space (nb201 is one).");
        _decisions = space as ICategoricalSpace<TArch> ?? throw new ArgumentException($"Space '{space.Name}' has no decisions to measure one edit by; weight inheritance needs a categorical space.");
        Capacity = capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), $"Keep at least one network, got {capacity}.");
    }

    public int Capacity { get; }
    /// <summary>False: trained networks are no longer kept (a study that wants children to inherit from their parents only).</summary>
    public bool Learn { get; set; } = true;
    public int Count { get { lock (_lock) return _kept.Count; } }

    /// <summary>Decisions that differ between two architectures.</summary>
    public int Distance(TArch a, TArch b)
    {
        var (x, y) = (_decisions.ToDecisions(a), _decisions.ToDecisions(b));
        int d = 0;
        for (int i = 0; i < x.Length; i++) if (x[i] != y[i]) d++;
        return d;
    }

    /// <summary>
    /// Copies a kept parent's unchanged weights into <paramref name="net"/> (built for <paramref name="arch"/> at
    /// <paramref name="shape"/>, on any device). The parent is the kept network one decision away with the best
    /// score. Returns it and the fraction of the child's parameters inherited, or null when none is one edit away.
    /// </summary>
    public (TArch Parent, double Fraction)? Initialise(TArch arch, NetworkShape shape, nn.Module net)
    {
        Kept? parent;
        var decisions = _decisions.ToDecisions(arch);
        lock (_lock)
            parent = _kept.Where(k => k.Shape == shape && Differ(k.Decisions, decisions) == 1).MaxBy(k => (k.Score, k.Order));
        if (parent is null) return null;
        var pairs = _space.Inherited(parent.Arch, arch, shape);
        long inherited = 0, total = 0;
        using var _ = no_grad();
        foreach (var (name, tensor) in Named(net))
        {
            bool isParameter = tensor.requires_grad;
            if (isParameter) total += tensor.numel();
            foreach (var (child, from) in pairs)
            {
                if (!name.StartsWith(child, StringComparison.Ordinal)) continue;
                if (parent.Weights.TryGetValue(from + name[child.Length..], out var source) && source.shape.SequenceEqual(tensor.shape))
                {
                    tensor.copy_(source);
                    if (isParameter) inherited += tensor.numel();
                }
                break;
            }
        }
        return (parent.Arch, total == 0 ? 0 : (double)inherited / total);
    }

    /// <summary>Keeps a CPU copy of a trained network's parameters and buffers, scored by <paramref name="score"/> (higher is better).</summary>
    public void Remember(TArch arch, NetworkShape shape, nn.Module net, double score)
    {
        if (!Learn || !double.IsFinite(score)) return;
        var weights = new Dictionary<string, Tensor>();
        using (no_grad())
            foreach (var (name, tensor) in Named(net))
                weights[name] = tensor.detach().cpu().clone().DetachFromDisposeScope();
        lock (_lock)
        {
            foreach (var old in _kept.Where(k => k.Arch.Equals(arch) && k.Shape == shape).ToArray()) { _kept.Remove(old); Free(old); }
            _kept.AddLast(new Kept(arch, shape, _decisions.ToDecisions(arch), score, weights, _order++));
            while (_kept.Count > Capacity) { Free(_kept.First!.Value); _kept.RemoveFirst(); }
        }
    }

    private static IEnumerable<(string Name, Tensor Tensor)> Named(nn.Module net) =>
        net.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(net.named_buffers());

    private static int Differ(int[] a, int[] b)
    {
        int d = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) d++;
        return d;
    }

    private static void Free(Kept k)
    {
        foreach (var t in k.Weights.Values) t.Dispose();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var k in _kept) Free(k);
            _kept.Clear();
        }
    }
}
