using System.Diagnostics;
using NasKit.Data;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Estimation.ZeroCost;

/// <summary>The proxy scores of one architecture and the seconds each took.</summary>
public sealed record ZeroCostScores(IReadOnlyDictionary<string, double> Scores, IReadOnlyDictionary<string, double> Seconds);

/// <summary>
/// Scores architectures with a set of zero-cost proxies. The minibatch is drawn once from the data with the seed
/// (the same images for every architecture, as in the reference) and every network gets the same seeded
/// initialisation. Each proxy runs inside its own dispose scope, and every <see cref="TrimEvery"/> architectures the
/// freed heap is returned to the system, so native memory stays flat over thousands of networks. Not every
/// architecture: the next one would fault the same pages back in. Not thread-safe: one scorer per thread.
/// </summary>
public sealed class ZeroCostScorer<TArch> : IDisposable where TArch : class, IArchitecture
{
    private readonly IBuildableSpace<TArch> _space;
    private readonly Tensor _images, _labels;

    public IReadOnlyList<IZeroCostProxy> Proxies { get; }
    public NetworkShape Shape { get; }
    public int Seed { get; }
    public Device Device { get; }
    public int TrimEvery { get; init; } = 25;
    private int _scored;
    private readonly Dictionary<bool, INetworkPool<TArch>> _pools = [];

    public ZeroCostScorer(IBuildableSpace<TArch> space, ImageDataset data, IReadOnlyList<IZeroCostProxy> proxies, int seed,
                          int batchSize = 64, NetworkShape? shape = null, Device? device = null, bool poolNetworks = true)
    {
        if (proxies.Count == 0) throw new ArgumentException("Give at least one proxy.", nameof(proxies));
        if (batchSize < 2 || batchSize > data.Count) throw new ArgumentException($"The batch size must be in 2..{data.Count} (the data set's size), got {batchSize}.");
        TorchRuntime.EnsureLoaded();
        (_space, Proxies, Seed) = (space, proxies, seed);
        Device = device ?? TorchRuntime.DefaultDevice;
        Shape = (shape ?? new NetworkShape()) with { Classes = data.Classes, InputChannels = data.Channels };
        var loader = new BatchLoader(data, new BatchOptions(batchSize), Device);
        (_images, _labels) = loader.Epoch(seed).First();
        // Lent networks (built once, here, outside any dispose scope) instead of one new network per proxy and
        // architecture: TorchSharp keeps native memory for every module it constructs.
        if (poolNetworks && space is IPooledBuildSpace<TArch> pooled)
            foreach (var bn in new[] { true, false }) _pools[bn] = pooled.CreatePool(Shape with { BatchNorm = bn });
    }

    public ZeroCostScores Score(TArch arch)
    {
        var scores = new Dictionary<string, double>();
        var seconds = new Dictionary<string, double>();
        try
        {
            foreach (var proxy in Proxies)
            {
                var sw = Stopwatch.StartNew();
                using (NewDisposeScope())
                {
                    Func<NetworkShape, nn.Module<Tensor, Tensor>> build = _pools.Count > 0 ? s => _pools[s.BatchNorm].Borrow(arch) : s => _space.Build(arch, s);
                    var input = new ProxyInput(arch, Shape, _images, _labels, Device, build, Seed,
                        _space is ICostModelSpace<TArch> costs ? (shape, resolution) => costs.Flops(arch, shape, resolution) : null);
                    scores[proxy.Name] = proxy.Score(input);
                }
                seconds[proxy.Name] = sw.Elapsed.TotalSeconds;
            }
        }
        finally
        {
            if (++_scored % TrimEvery == 0) NativeHeap.ReleaseFreedMemory();
        }
        return new ZeroCostScores(scores, seconds);
    }

    public void Dispose()
    {
        foreach (var pool in _pools.Values) pool.Dispose();
        _images.Dispose();
        _labels.Dispose();
    }
}
