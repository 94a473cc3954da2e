using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NasKit.Benchmarks;
using NasKit.Runtime;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.LcBench;

/// <summary>One hyperparameter of the surrogate's <c>config_space.json</c>.</summary>
public sealed record LcBenchHyperparameter(string Name, string Type, double Lower, double Upper, bool Log)
{
    public bool IsInteger => Type == "uniform_int";
}

/// <summary>The surrogate's prediction for one configuration at one epoch, in YAHPO's units.</summary>
public sealed record LcBenchPrediction(int Epoch, double Seconds, double ValidAccuracy, double ValidCrossEntropy, double ValidBalancedAccuracy,
                                       double TestCrossEntropy, double TestBalancedAccuracy);

/// <summary>
/// YAHPO Gym's LCBench surrogate (Pfisterer et al. 2022, on Zimmer et al.'s LCBench): an ONNX network that predicts
/// how a funnel-shaped MLP with given hyperparameters trains on one of 34 OpenML tasks, epoch by epoch. Inputs are
/// encoded as YAHPO's <c>BenchmarkSet._config_to_xs</c> does: <c>x_cont</c> holds the raw (untransformed) values of
/// <see cref="ContinuousInputs"/> in that order as float32, <c>x_cat</c> the task's integer code from
/// <c>encoding.json</c>; the outputs are <see cref="Outputs"/> in YAHPO's <c>y_names</c> order. The log scales of
/// <c>param_set.R</c> belong to sampling (the space), not to the model's inputs.
/// </summary>
public sealed class LcBenchSurrogate : IDisposable
{
    public const string Folder = "yahpo-lcbench";
    public const string TaskParameter = "OpenML_task_id";
    public const string EpochParameter = "epoch";

    /// <summary>YAHPO's <c>cont_names</c> for lcbench: the order of <c>x_cont</c>.</summary>
    public static readonly IReadOnlyList<string> ContinuousInputs =
        ["epoch", "batch_size", "learning_rate", "momentum", "weight_decay", "num_layers", "max_units", "max_dropout"];

    /// <summary>YAHPO's <c>y_names</c> for lcbench: the order of the model's output columns.</summary>
    public static readonly IReadOnlyList<string> Outputs =
        ["time", "val_accuracy", "val_cross_entropy", "val_balanced_accuracy", "test_cross_entropy", "test_balanced_accuracy"];

    private readonly InferenceSession _session;
    private readonly IReadOnlyDictionary<string, int> _taskCodes;

    /// <summary>The OpenML task ids of the config space, in its order.</summary>
    public IReadOnlyList<string> Tasks { get; }
    /// <summary>The searchable hyperparameters (all but the task and the epoch), in <c>param_set.R</c>'s order.</summary>
    public IReadOnlyList<LcBenchHyperparameter> Hyperparameters { get; }
    public int MinEpochs { get; }
    public int MaxEpochs { get; }
    public string ModelPath { get; }

    private LcBenchSurrogate(InferenceSession session, IReadOnlyDictionary<string, int> taskCodes, IReadOnlyList<string> tasks,
                             IReadOnlyList<LcBenchHyperparameter> hyperparameters, int minEpochs, int maxEpochs, string modelPath)
    {
        (_session, _taskCodes, Tasks, Hyperparameters, MinEpochs, MaxEpochs, ModelPath) = (session, taskCodes, tasks, hyperparameters, minEpochs, maxEpochs, modelPath);
    }

    public static LcBenchSurrogate Load(DataLocator locator)
    {
        string folder = locator.Find(Folder);
        string Path_(string file) => locator.Find(Path.Combine(Folder, file));
        var (tasks, hps) = ReadConfigSpace(Path_("config_space.json"));
        var codes = ReadEncoding(Path_("encoding.json"));
        foreach (var t in tasks)
            if (!codes.ContainsKey(t)) throw new BenchmarkDataException($"{folder}/encoding.json has no code for task {t} of config_space.json; the files do not belong together.");
        var epoch = hps.FirstOrDefault(h => h.Name == EpochParameter)
            ?? throw new BenchmarkDataException($"{folder}/config_space.json has no '{EpochParameter}' hyperparameter (the fidelity).");
        foreach (var name in ContinuousInputs)
            if (hps.All(h => h.Name != name)) throw new BenchmarkDataException($"{folder}/config_space.json lacks '{name}', an input of the surrogate.");
        // param_set.R's order, which is also x_cont's after the epoch.
        var searchable = ContinuousInputs.Skip(1).Select(n => hps.First(h => h.Name == n)).ToArray();

        string model = Path_("model.onnx");
        OnnxRuntimeLibrary.Prepare();
        InferenceSession session;
        try
        {
            // One thread per call: the comparison runs seeds in parallel, and a call is a few dozen rows.
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new BenchmarkDataException($"{model} is not a model ONNX Runtime can load ({e.Message.Split('\n')[0]}); check it against {folder}/SHA256SUMS.");
        }
        CheckSignature(session, model);
        return new LcBenchSurrogate(session, codes, tasks, searchable, (int)epoch.Lower, (int)epoch.Upper, model);
    }

    private static void CheckSignature(InferenceSession session, string model)
    {
        var inputs = session.InputMetadata;
        if (!inputs.TryGetValue("x_cat", out var cat) || cat.ElementType != typeof(int) ||
            !inputs.TryGetValue("x_cont", out var cont) || cont.ElementType != typeof(float) || cont.Dimensions[^1] != ContinuousInputs.Count)
            throw new BenchmarkDataException($"{model} does not take YAHPO lcbench's inputs (x_cat int32 [n,1], x_cont float32 [n,{ContinuousInputs.Count}]).");
        if (session.OutputMetadata.Count != 1 || session.OutputMetadata.First().Value.Dimensions[^1] != Outputs.Count)
            throw new BenchmarkDataException($"{model} does not give YAHPO lcbench's {Outputs.Count} outputs ({string.Join(", ", Outputs)}).");
    }

    private static (string[] Tasks, LcBenchHyperparameter[] Hyperparameters) ReadConfigSpace(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            string[]? tasks = null;
            var hps = new List<LcBenchHyperparameter>();
            foreach (var h in doc.RootElement.GetProperty("hyperparameters").EnumerateArray())
            {
                string name = h.GetProperty("name").GetString()!, type = h.GetProperty("type").GetString()!;
                if (name == TaskParameter) { tasks = h.GetProperty("choices").EnumerateArray().Select(c => c.GetString()!).ToArray(); continue; }
                if (type is not ("uniform_int" or "uniform_float"))
                    throw new BenchmarkDataException($"{path}: hyperparameter '{name}' has type '{type}'; NasKit reads uniform_int and uniform_float.");
                double lower = h.GetProperty("lower").GetDouble(), upper = h.GetProperty("upper").GetDouble();
                bool log = h.TryGetProperty("log", out var l) && l.GetBoolean();
                if (!(lower < upper) || (log && lower <= 0))
                    throw new BenchmarkDataException($"{path}: hyperparameter '{name}' has bounds [{lower}, {upper}]{(log ? " on a log scale" : "")}.");
                hps.Add(new LcBenchHyperparameter(name, type, lower, upper, log));
            }
            if (tasks is not { Length: > 0 }) throw new BenchmarkDataException($"{path} lists no {TaskParameter} choices.");
            return (tasks, hps.ToArray());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new BenchmarkDataException($"{path} is not a ConfigSpace JSON of YAHPO lcbench ({e.Message}).");
        }
    }

    private static Dictionary<string, int> ReadEncoding(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.GetProperty(TaskParameter).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BenchmarkDataException($"{path} is not YAHPO's encoding of {TaskParameter} ({e.Message}).");
        }
    }

    /// <summary>The search space over <see cref="Hyperparameters"/>, numeric ones as grids of <paramref name="gridPoints"/> values on their scale.</summary>
    public LcBenchSpace CreateSpace(int gridPoints = LcBenchSpace.DefaultGridPoints) => new(Hyperparameters, gridPoints);

    /// <summary>The task's code in <c>x_cat</c>; unknown tasks are refused with the list.</summary>
    public int TaskCode(string task) => Tasks.Contains(task) && _taskCodes.TryGetValue(task, out int code) ? code
        : throw new ArgumentException($"LCBench has no task '{task}'. Tasks: {string.Join(", ", Tasks)}.");

    /// <summary>The <c>x_cont</c> row of a configuration at an epoch: the raw values in <see cref="ContinuousInputs"/> order.</summary>
    public float[] ContinuousRow(IReadOnlyDictionary<string, double> configuration, int epoch)
    {
        if (epoch < MinEpochs || epoch > MaxEpochs) throw new ArgumentException($"LCBench predicts epochs {MinEpochs}..{MaxEpochs}; asked for {epoch}.");
        var row = new float[ContinuousInputs.Count];
        row[0] = epoch;
        for (int i = 1; i < row.Length; i++)
        {
            var hp = Hyperparameters[i - 1];
            if (!configuration.TryGetValue(hp.Name, out double v))
                throw new ArgumentException($"The LCBench configuration lacks '{hp.Name}'. It needs {string.Join(", ", Hyperparameters.Select(h => h.Name))}.");
            if (!(v >= hp.Lower - 1e-9 * Math.Abs(hp.Lower) && v <= hp.Upper + 1e-9 * Math.Abs(hp.Upper)))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"LCBench's {hp.Name} lies in [{hp.Lower}, {hp.Upper}]; got {v}."));
            if (hp.IsInteger && v != Math.Round(v)) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"LCBench's {hp.Name} is a whole number; got {v}."));
            row[i] = (float)v;
        }
        return row;
    }

    /// <summary>
    /// The surrogate's predictions for one configuration on one task at each of <paramref name="epochs"/>, in one call.
    /// Values are clipped to YAHPO's codomain (accuracies to [0, 100] and [0, 1], losses and time at least 0): a
    /// regression network can step slightly outside it. A NaN prediction is refused.
    /// </summary>
    public LcBenchPrediction[] Predict(string task, IReadOnlyDictionary<string, double> configuration, IReadOnlyList<int> epochs)
    {
        int code = TaskCode(task), n = epochs.Count, width = ContinuousInputs.Count;
        if (n == 0) return [];
        var cont = new float[n * width];
        var inputs = ContinuousRow(configuration, epochs[0]); // checks the configuration once; rows differ in the epoch only
        for (int r = 0; r < n; r++)
        {
            if (epochs[r] < MinEpochs || epochs[r] > MaxEpochs) throw new ArgumentException($"LCBench predicts epochs {MinEpochs}..{MaxEpochs}; asked for {epochs[r]}.");
            inputs[0] = epochs[r];
            inputs.CopyTo(cont, r * width);
        }
        var cat = Enumerable.Repeat(code, n).ToArray();
        using var catTensor = OrtValue.CreateTensorValueFromMemory(cat, [n, 1]);
        using var contTensor = OrtValue.CreateTensorValueFromMemory(cont, [n, width]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, new Dictionary<string, OrtValue> { ["x_cat"] = catTensor, ["x_cont"] = contTensor }, _session.OutputNames);
        var y = outputs[0].GetTensorDataAsSpan<float>();
        if (y.Length != n * Outputs.Count) throw new BenchmarkDataException($"{ModelPath} returned {y.Length} values for {n} rows; expected {n * Outputs.Count}.");
        var result = new LcBenchPrediction[n];
        for (int r = 0; r < n; r++)
        {
            var row = y.Slice(r * Outputs.Count, Outputs.Count);
            foreach (var v in row)
                if (float.IsNaN(v)) throw new BenchmarkDataException($"{ModelPath} predicted NaN for task {task}, epoch {epochs[r]}; the model file may be damaged.");
            result[r] = new LcBenchPrediction(epochs[r], Math.Max(0, row[0]), Math.Clamp(row[1], 0, 100), Math.Max(0, row[2]), Math.Clamp(row[3], 0, 1),
                                              Math.Max(0, row[4]), Math.Clamp(row[5], 0, 1));
        }
        return result;
    }

    public void Dispose() => _session.Dispose();
}
