using System.Text.Json;
using NasKit.Benchmarks;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.NasBenchNlp;

/// <summary>
/// One NAS-Bench-NLP recurrent cell: the benchmark's recipe (a JSON graph of named nodes with an op and inputs) and
/// its id. Cells whose recipes are the same text are one architecture; its id is the lowest of their recipe ids.
/// </summary>
public sealed class NbNlpCell(int id, string recipe) : IArchitecture
{
    public int Id { get; } = id;
    public string Recipe { get; } = recipe;
    public string ToText() => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public bool Equals(IArchitecture? other) => other is NbNlpCell c && c.Id == Id;
    public override bool Equals(object? obj) => obj is NbNlpCell c && c.Id == Id;
    public override int GetHashCode() => Id;
    public override string ToString() => ToText();
}

/// <summary>One training run of the benchmark: per-epoch losses (nats; NaN past a divergence) and seconds.</summary>
public sealed record NbNlpRun(int RecipeId, string Recipe, long Parameters, IReadOnlyList<double> TrainLoss, IReadOnlyList<double> ValidLoss,
                              IReadOnlyList<double> TestLoss, IReadOnlyList<double> WallSeconds, string Status)
{
    /// <summary>Epochs with finite losses, from the first (a diverged run stops early or holds NaN).</summary>
    public int CompletedEpochs
    {
        get
        {
            int n = 0;
            while (n < ValidLoss.Count && n < TestLoss.Count && double.IsFinite(ValidLoss[n]) && double.IsFinite(TestLoss[n])) n++;
            return n;
        }
    }
}

/// <summary>
/// NAS-Bench-NLP's WikiText-2 part (Klyuchnikov et al. 2022): 345 recurrent cells trained 50 epochs as language
/// models with per-epoch train, validation and test losses. Runs of the same recipe are averaged per epoch (the
/// benchmark trained 49 recipes more than once, under different ids); 4 runs diverged (status "loss is nan!").
/// </summary>
public sealed class NbNlpBenchmark
{
    public const string Folder = "nasbench-nlp-wikitext2/logs";
    public const int MaxEpochs = 50;

    public IReadOnlyList<NbNlpRun> Runs { get; }
    public IReadOnlyList<NbNlpCell> Cells { get; }
    private readonly Dictionary<int, NbNlpCell> _byRecipeId;
    private readonly Dictionary<NbNlpCell, NbNlpRun[]> _runsOf;

    public NbNlpBenchmark(IReadOnlyList<NbNlpRun> runs)
    {
        if (runs.Count == 0) throw new BenchmarkDataException("NAS-Bench-NLP: no training logs.");
        Runs = runs;
        var groups = runs.GroupBy(r => r.Recipe, StringComparer.Ordinal).Select(g => g.OrderBy(r => r.RecipeId).ToArray()).OrderBy(g => g[0].RecipeId).ToArray();
        Cells = groups.Select(g => new NbNlpCell(g[0].RecipeId, g[0].Recipe)).ToArray();
        _runsOf = Cells.Zip(groups).ToDictionary(p => p.First, p => p.Second);
        _byRecipeId = new();
        foreach (var (cell, group) in Cells.Zip(groups))
            foreach (var r in group) _byRecipeId[r.RecipeId] = cell;
    }

    public static NbNlpBenchmark Load(DataLocator locator)
    {
        var folder = locator.Find(Folder);
        var files = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToArray();
        return new NbNlpBenchmark(files.Select(ReadRun).ToArray());
    }

    /// <summary>The cell a recipe id names (any id of its recipe), or null.</summary>
    public NbNlpCell? Find(int recipeId) => _byRecipeId.GetValueOrDefault(recipeId);

    public IReadOnlyList<NbNlpRun> RunsOf(NbNlpCell cell) => _runsOf[cell];

    /// <summary>
    /// A per-epoch quantity of a cell at <paramref name="epoch"/> (1-based): the mean over its runs that reached that
    /// epoch with finite losses, or null when none did (the cell diverged before it).
    /// </summary>
    public double? At(NbNlpCell cell, int epoch, Func<NbNlpRun, IReadOnlyList<double>> curve)
    {
        if (epoch < 1 || epoch > MaxEpochs) throw new ArgumentOutOfRangeException(nameof(epoch), $"NAS-Bench-NLP has epochs 1..{MaxEpochs}; got {epoch}.");
        var values = _runsOf[cell].Where(r => r.CompletedEpochs >= epoch).Select(r => curve(r)[epoch - 1]).ToArray();
        return values.Length == 0 ? null : values.Average();
    }

    /// <summary>
    /// How well the validation loss after each of <paramref name="epochs"/> ranks the final (epoch-50) test loss, over the
    /// runs that completed all 50 epochs: Spearman's ρ and Kendall's τ-b (the learning-curve question of multi-fidelity search).
    /// </summary>
    public IReadOnlyList<(int Epoch, int Runs, double Spearman, double Kendall)> RankVsEpoch(IEnumerable<int> epochs)
    {
        var complete = Runs.Where(r => r.CompletedEpochs == MaxEpochs).ToArray();
        var final = complete.Select(r => r.TestLoss[MaxEpochs - 1]).ToArray();
        return epochs.Select(e =>
        {
            if (e < 1 || e > MaxEpochs) throw new ArgumentOutOfRangeException(nameof(epochs), $"NAS-Bench-NLP has epochs 1..{MaxEpochs}; got {e}.");
            var early = complete.Select(r => r.ValidLoss[e - 1]).ToArray();
            return (e, complete.Length, Analysis.RankCorrelation.Spearman(early, final), Analysis.RankCorrelation.KendallTauB(early, final));
        }).ToArray();
    }

    /// <summary>
    /// How far the epoch-50 validation loss is from what the first e epochs predict, over the runs that completed:
    /// the mean absolute error of the learning-curve extrapolation (<see cref="Estimation.Stopping.CurveExtrapolation"/>)
    /// next to the naive guess "the loss stays where it is", and how well each ranks the runs (Spearman).
    /// </summary>
    public IReadOnlyList<(int Epoch, int Runs, double ExtrapolationMae, double LastValueMae, double ExtrapolationSpearman, double LastValueSpearman)>
        ExtrapolationError(IEnumerable<int> epochs)
    {
        var complete = Runs.Where(r => r.CompletedEpochs == MaxEpochs).ToArray();
        var truth = complete.Select(r => r.ValidLoss[MaxEpochs - 1]).ToArray();
        return epochs.Select(e =>
        {
            if (e < Estimation.Stopping.CurveExtrapolation.MinPoints || e >= MaxEpochs)
                throw new ArgumentOutOfRangeException(nameof(epochs), $"Extrapolate from {Estimation.Stopping.CurveExtrapolation.MinPoints}..{MaxEpochs - 1} epochs; got {e}.");
            var predicted = new double[complete.Length];
            Parallel.For(0, complete.Length, i =>
                predicted[i] = -Estimation.Stopping.CurveExtrapolation.Predict(complete[i].ValidLoss.Take(e).Select(v => -v).ToArray(), MaxEpochs).Mean);
            var last = complete.Select(r => r.ValidLoss[e - 1]).ToArray();
            return (e, complete.Length, predicted.Zip(truth).Average(p => Math.Abs(p.First - p.Second)), last.Zip(truth).Average(p => Math.Abs(p.First - p.Second)),
                    Analysis.RankCorrelation.Spearman(predicted, truth), Analysis.RankCorrelation.Spearman(last, truth));
        }).ToArray();
    }

    private static readonly System.Text.RegularExpressions.Regex NonFinite = new(@"(?<=[\[,:]\s*)(NaN|-?Infinity)(?=\s*[,\]}])");

    private static NbNlpRun ReadRun(string path)
    {
        string name = Path.GetFileName(path);
        try
        {
            // The logs were written by Python's json, which spells a diverged loss NaN: not JSON, so quote it first.
            var text = NonFinite.Replace(File.ReadAllText(path), "\"$1\"");
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            IReadOnlyList<double> Curve(string key)
            {
                var list = root.GetProperty(key).EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String
                    ? double.Parse(v.GetString()!, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture) : v.GetDouble()).ToArray();
                for (int i = 0; i < list.Length; i++)
                    if (list[i] < 0 || double.IsNegativeInfinity(list[i]))
                        throw new BenchmarkDataException($"NAS-Bench-NLP {name}: {key}[{i}] = {list[i]} is not a loss (a cross-entropy is finite and at least 0).");
                if (list.Length > MaxEpochs) throw new BenchmarkDataException($"NAS-Bench-NLP {name}: {key} has {list.Length} epochs, more than {MaxEpochs}.");
                return list;
            }
            var run = new NbNlpRun(root.GetProperty("recepie_id").GetInt32(), root.GetProperty("recepie").GetString()!, root.GetProperty("num_params").GetInt64(),
                Curve("train_losses"), Curve("val_losses"), Curve("test_losses"), Curve("wall_times"), root.GetProperty("status").GetString() ?? "");
            if (run.Status == "OK" && run.CompletedEpochs != MaxEpochs)
                throw new BenchmarkDataException($"NAS-Bench-NLP {name}: status OK but {run.CompletedEpochs} of {MaxEpochs} epochs have finite losses.");
            return run;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BenchmarkDataException($"NAS-Bench-NLP {name}: not a training log of the benchmark ({e.Message}).");
        }
    }
}

/// <summary>
/// The cells of NAS-Bench-NLP's WikiText-2 logs as a finite space (uniform sampling, parsing by recipe id). The logs
/// are read on first use, so naming the space (in a catalog listing, say) costs nothing. The cells are arbitrary
/// graphs without a decision structure; their encoding is <see cref="ArchitectureEncoding.Features"/>: how many nodes
/// of each of the benchmark's seven operations the recipe has, its number of nodes, and log10 of its parameter count.
/// </summary>
public sealed class NbNlpSpace(Lazy<NbNlpBenchmark> tables) : ISearchSpace<NbNlpCell>, IEnumerableSpace<NbNlpCell>, IEncodableSpace<NbNlpCell>
{
    /// <summary>The operations of the benchmark's recipes, in the order of the feature vector.</summary>
    public static readonly IReadOnlyList<string> Operations =
        ["linear", "blend", "elementwise_prod", "elementwise_sum", "activation_tanh", "activation_sigm", "activation_leaky_relu"];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, float[]> _features = new();

    public IReadOnlyList<ArchitectureEncoding> Encodings { get; } = [ArchitectureEncoding.Features];

    public int EncodingLength(ArchitectureEncoding kind) => kind == ArchitectureEncoding.Features ? Operations.Count + 2
        : throw new NotSupportedException($"Space 'nbnlp' has no {kind} encoding; its cells are arbitrary graphs, encoded by {ArchitectureEncoding.Features}.");

    public float[] Encode(NbNlpCell cell, ArchitectureEncoding kind)
    {
        EncodingLength(kind);
        return (float[])_features.GetOrAdd(cell.Id, _ => Describe(cell)).Clone();
    }

    private float[] Describe(NbNlpCell cell)
    {
        var v = new float[Operations.Count + 2];
        using var doc = System.Text.Json.JsonDocument.Parse(cell.Recipe);
        foreach (var node in doc.RootElement.EnumerateObject())
        {
            int op = node.Value.TryGetProperty("op", out var o) ? Operations.ToList().IndexOf(o.GetString() ?? "") : -1;
            if (op >= 0) v[op]++;
            v[Operations.Count]++;
        }
        v[Operations.Count + 1] = (float)Math.Log10(Math.Max(1, benchmark.RunsOf(cell)[0].Parameters));
        return v;
    }

    public NbNlpSpace(NbNlpBenchmark benchmark) : this(new Lazy<NbNlpBenchmark>(benchmark)) { }

    private NbNlpBenchmark benchmark => tables.Value;

    public string Name => "nbnlp";
    public long Count => benchmark.Cells.Count;
    public IEnumerable<NbNlpCell> All() => benchmark.Cells;
    public NbNlpCell Sample(Random rng) => benchmark.Cells[rng.Next(benchmark.Cells.Count)];

    public NbNlpCell Parse(string text) =>
        int.TryParse(text.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int id) && benchmark.Find(id) is { } cell
            ? cell
            : throw new ArchitectureFormatException(text, "not a recipe id of NAS-Bench-NLP's WikiText-2 logs", $"a recipe id such as {benchmark.Cells[0].Id}");
}
