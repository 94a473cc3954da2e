using System.Diagnostics;
using NasKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Hardware;

/// <summary>Inference latency of one network at one batch size, with its spread and throughput.</summary>
public sealed record LatencyMeasurement(int Batch, double MedianMs, double P10Ms, double P90Ms, double MeanMs, double ImagesPerSecond, int Repeats);

/// <summary>
/// Measures inference latency directly on a device: warm-up runs first (allocator, kernel selection), then
/// repeated timed forward passes in eval mode without gradients; reports median and percentiles. On CUDA every
/// timing waits for the device to finish.
/// </summary>
public static class LatencyMeter
{
    public static LatencyMeasurement Measure(nn.Module<Tensor, Tensor> net, int batch, int resolution = 32, int channels = 3,
                                             int warmup = 3, int repeats = 10, Device? device = null, int seed = 0) =>
        Time(net, g => randn(new long[] { batch, channels, resolution, resolution }, generator: g), batch, warmup, repeats, device, seed);

    /// <summary>
    /// The same for a language model: one forward pass over <paramref name="batch"/> windows of <paramref name="context"/>
    /// random tokens. With the batch of training this is the prefill cost; with batch 1 it is the cost of generating one
    /// token by recomputing the window (the kit's models keep no key/value cache). Throughput counts windows per second.
    /// </summary>
    public static LatencyMeasurement MeasureTokens(nn.Module<Tensor, Tensor> net, int batch, int context, int vocabulary,
                                                   int warmup = 3, int repeats = 10, Device? device = null, int seed = 0) =>
        Time(net, g => randint(0, vocabulary, new long[] { batch, context }, generator: g), batch, warmup, repeats, device, seed);

    /// <summary>The same for any network that reads one float tensor: a seeded Gaussian input of <paramref name="shape"/> (batch first).</summary>
    public static LatencyMeasurement MeasureShape(nn.Module<Tensor, Tensor> net, long[] shape, int warmup = 3, int repeats = 10, Device? device = null, int seed = 0)
    {
        if (shape.Length == 0 || shape.Any(d => d < 1)) throw new ArgumentException($"An input shape needs positive dimensions, got [{string.Join(", ", shape)}].");
        return Time(net, g => randn(shape, generator: g), (int)shape[0], warmup, repeats, device, seed);
    }

    /// <summary>Times forward passes of <paramref name="net"/> in eval mode without gradients on one seeded input.</summary>
    private static LatencyMeasurement Time(nn.Module<Tensor, Tensor> net, Func<Generator, Tensor> input, int batch, int warmup, int repeats, Device? device, int seed)
    {
        if (repeats < 1 || warmup < 0) throw new ArgumentException($"Need at least 1 timed repeat and 0 or more warm-up runs; got {repeats} and {warmup}.");
        device ??= TorchRuntime.DefaultDevice;
        net.to(device);
        net.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var generator = new Generator((ulong)seed);
        var x = input(generator).to(device);
        var times = new double[repeats];
        for (int i = 0; i < warmup + repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                net.forward(x);
                if (device.type == DeviceType.CUDA) cuda.synchronize(device);
            }
            if (i >= warmup) times[i - warmup] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        double median = Analysis.Statistics.Quantile(times, 0.5);
        return new LatencyMeasurement(batch, median, Analysis.Statistics.Quantile(times, 0.1), Analysis.Statistics.Quantile(times, 0.9),
            times.Average(), batch * 1000.0 / median, repeats);
    }
}
