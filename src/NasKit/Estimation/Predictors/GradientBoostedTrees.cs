using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using NasKit.Spaces;

namespace NasKit.Estimation.Predictors;

/// <summary>
/// Gradient-boosted regression trees (ML.NET FastTree, a MART implementation) on architecture features, NASLib's
/// GBDT predictor. Seeded and single-threaded, so a fit is deterministic. The minimum leaf size follows the data
/// (n/20, between 1 and 10): with 20 training architectures the default of 10 would allow one split per tree.
/// </summary>
public sealed class GradientBoostedTrees<TArch>(IFeaturizer<TArch> features, int seed) : IPredictor<TArch> where TArch : class, IArchitecture
{
    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    private sealed class Output
    {
        public float Score { get; set; }
    }

    private readonly MLContext _ml = new(seed);

    // Hosts that load NasKit.dll from a folder by path (the notebook kernel) do not probe runtimes/<rid>/native for
    // FastTree's native helper; point its P/Invokes at the copy shipped beside NasKit.
    static GradientBoostedTrees()
    {
        try
        {
            var dir = Path.GetDirectoryName(typeof(GradientBoostedTrees<TArch>).Assembly.Location) ?? "";
            var native = Path.Combine(dir, "runtimes", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native");
            System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(FastTreeRegressionTrainer).Assembly, (name, _, _) =>
                name == "FastTreeNative" && File.Exists(Path.Combine(native, "libFastTreeNative.so"))
                    ? System.Runtime.InteropServices.NativeLibrary.Load(Path.Combine(native, "libFastTreeNative.so"))
                    : IntPtr.Zero);
        }
        catch (InvalidOperationException) { } // a resolver is already set (another TArch, or the host's own)
    }
    private PredictionEngine<Row, Output>? _engine;
    private ITransformer? _model;

    public int Trees { get; init; } = 100;
    public int Leaves { get; init; } = 16;
    public double LearningRate { get; init; } = 0.1;

    public GradientBoostedTrees(IEncodableSpace<TArch> space, ArchitectureEncoding encoding, int seed)
        : this(new EncodingFeaturizer<TArch>(space, encoding), seed) { }

    public string Name => $"gbdt({features.Name})";

    private SchemaDefinition Schema()
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features.Length);
        return schema;
    }

    public void Fit(IReadOnlyList<TArch> architectures, IReadOnlyList<double> targets)
    {
        TrainingTargets.Check(architectures, targets);
        var rows = architectures.Select((a, i) => new Row { Features = features.Features(a), Label = (float)targets[i] }).ToArray();
        var data = _ml.Data.LoadFromEnumerable(rows, Schema());
        var trainer = _ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = Trees,
            NumberOfLeaves = Leaves,
            LearningRate = LearningRate,
            MinimumExampleCountPerLeaf = Math.Clamp(architectures.Count / 20, 1, 10),
            NumberOfThreads = 1,
            FeatureColumnName = nameof(Row.Features),
            LabelColumnName = nameof(Row.Label),
        });
        _model = trainer.Fit(data);
        _engine = _ml.Model.CreatePredictionEngine<Row, Output>(_model, inputSchemaDefinition: Schema());
    }

    public IReadOnlyList<Prediction> Query(IReadOnlyList<TArch> architectures)
    {
        if (_engine is null) throw new InvalidOperationException("Fit the predictor before querying it.");
        return architectures.Select(a => new Prediction(_engine.Predict(new Row { Features = features.Features(a) }).Score, 0)).ToArray();
    }
}

public sealed class GradientBoostedTreesFactory : IPredictorFactory
{
    public string Name => "gbdt";
    public string Description => "Gradient-boosted trees (ML.NET FastTree, 100 trees × 16 leaves) on the one-hot encoding.";
    public int Order => 40;
    public IPredictor<TArch>? Create<TArch>(ISearchSpace<TArch> space, int seed, IFeaturizer<TArch>? zeroCost = null) where TArch : class, IArchitecture =>
        IPredictorFactory.Features(space, ArchitectureEncoding.OneHot, zeroCost) is { } f ? new GradientBoostedTrees<TArch>(f, seed) : null;
}
