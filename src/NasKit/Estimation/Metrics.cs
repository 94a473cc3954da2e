namespace NasKit.Estimation;

/// <summary>What a metric name means: whether higher is better, its unit, one sentence.</summary>
public sealed record MetricInfo(string Name, bool HigherIsBetter, string Unit, string Description);

/// <summary>
/// The one vocabulary of metric names every evaluator reports and every objective, table and plot reads. Names not
/// listed follow the suffix rules of <see cref="Describe"/> (<c>*_acc</c> maximised; <c>*_latency</c>, <c>*_energy</c>,
/// <c>*_loss</c> minimised).
/// </summary>
public static class Metrics
{
    public const string ValidAccuracy = "valid_acc";
    public const string TestAccuracy = "test_acc";
    public const string TrainAccuracy = "train_acc";
    public const string TrainLoss = "train_loss";
    public const string ValidLoss = "valid_loss";
    public const string TestLoss = "test_loss";
    /// <summary>exp(cross-entropy per token) of a language model on held-out data.</summary>
    public const string ValidPerplexity = "valid_perplexity";
    public const string TestPerplexity = "test_perplexity";
    /// <summary>Trainable parameters in millions.</summary>
    public const string Parameters = "params_m";
    /// <summary>FLOPs (multiply-accumulates) of one forward pass of one image, in millions.</summary>
    public const string Flops = "flops_m";
    public const string WallSeconds = "wall_seconds";
    /// <summary>Root mean squared error of predicted ratings (stars) on held-out ratings: a recommender's signal.</summary>
    public const string ValidRmse = "valid_rmse";
    public const string TestRmse = "test_rmse";
    /// <summary>Entries of a recommender's embedding tables in millions (what embedding-dimension search trades against error).</summary>
    public const string EmbeddingParameters = "emb_params_m";
    /// <summary>Measured batch-1 inference latency on this machine's CPU (median, ms): a device cost evaluators measure themselves.</summary>
    public const string CpuLatency = "cpu_latency";

    private static readonly Dictionary<string, MetricInfo> Known = new MetricInfo[]
    {
        new(ValidAccuracy, true, "%", "top-1 accuracy on held-out (validation) data: the search signal"),
        new(TestAccuracy, true, "%", "top-1 accuracy on the test split: the outcome, never the signal"),
        new(TrainAccuracy, true, "%", "top-1 accuracy on the training data in the last epoch"),
        new(TrainLoss, false, "nats", "cross-entropy on the training data in the last epoch"),
        new(ValidLoss, false, "nats", "cross-entropy on held-out data"),
        new(TestLoss, false, "nats", "cross-entropy on the test split"),
        new(ValidPerplexity, false, "", "perplexity (exp of the cross-entropy per token) on held-out data"),
        new(TestPerplexity, false, "", "perplexity on the test split"),
        new(Parameters, false, "M", "trainable parameters, millions"),
        new(Flops, false, "MFLOPs", "multiply-accumulates of one forward pass of one image, millions"),
        new(WallSeconds, false, "s", "measured wall time of the evaluation"),
        new(ValidRmse, false, "stars", "root mean squared rating error on held-out (development) ratings: a recommender's signal"),
        new(TestRmse, false, "stars", "root mean squared rating error on the test ratings: the outcome, never the signal"),
        new(EmbeddingParameters, false, "M", "entries of the embedding tables, millions"),
        new(CpuLatency, false, "ms", "batch-1 inference latency measured on this machine's CPU, median"),
    }.ToDictionary(m => m.Name);

    /// <summary>The metric's meaning; names outside the vocabulary are read by their suffix.</summary>
    public static MetricInfo Describe(string name)
    {
        if (Known.TryGetValue(name, out var info)) return info;
        if (name.EndsWith("_acc", StringComparison.Ordinal)) return new(name, true, "%", "an accuracy");
        if (name.EndsWith("_latency", StringComparison.Ordinal)) return new(name, false, "ms", "a latency");
        if (name.EndsWith("_energy", StringComparison.Ordinal)) return new(name, false, "mJ", "an energy");
        if (name.EndsWith("_loss", StringComparison.Ordinal) || name.EndsWith("_perplexity", StringComparison.Ordinal)) return new(name, false, "", "a loss");
        if (name.EndsWith("_rmse", StringComparison.Ordinal)) return new(name, false, "", "a root mean squared error");
        if (name.StartsWith("zc_", StringComparison.Ordinal)) return new(name, true, "", "a zero-cost proxy score (higher predicts better)");
        return new(name, true, "", "a score (higher is better unless an objective says otherwise)");
    }

    /// <summary>The latency metric of a measurement on <paramref name="device"/>: <c>cpu_latency</c>, or <c>cuda_latency</c> on a GPU.</summary>
    public static string LatencyOn(TorchSharp.DeviceType device) => device == TorchSharp.DeviceType.CPU ? CpuLatency : $"{device.ToString().ToLowerInvariant()}_latency";

    public static bool HigherIsBetter(string name) => Describe(name).HigherIsBetter;

    /// <summary>The known names, for messages.</summary>
    public static IReadOnlyCollection<string> Vocabulary => Known.Keys;
}
