using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Strategies;

namespace NasKit.Experiments;

/// <summary>One problem of a manifest: a benchmark under its arguments (a data set, a task).</summary>
public sealed record ManifestProblem
{
    /// <summary>File-name-safe name of the problem's results; default: the benchmark and its data set or task.</summary>
    public string? Id { get; init; }
    /// <summary>What the report calls it; default: the id.</summary>
    public string? Label { get; init; }
    public required string Benchmark { get; init; }
    public string? Dataset { get; init; }
    public string? Task { get; init; }

    [JsonIgnore] public string Key => Id ?? string.Join("-", new[] { Benchmark, Dataset, Task }.Where(s => !string.IsNullOrEmpty(s)));
    [JsonIgnore] public string Title => Label ?? Key;
}

/// <summary>
/// The budget of each run: a number of queries, or training epochs summed over the run's trials (the unit in which
/// multi-fidelity schedulers compare with the rest), with the schedulers' rungs and reduction factor.
/// </summary>
public sealed record ManifestBudget
{
    public int? Queries { get; init; }
    public int? Epochs { get; init; }
    public string? Fidelities { get; init; }
    public double Eta { get; init; } = 3;

    [JsonIgnore] public string Text => Epochs is { } e ? $"{e} training epochs per run" : $"{Queries} queries per run";
}

/// <summary>
/// A declarative experiment (the reproducible unit of a paper-style report): which benchmarks, which strategies, how
/// many seeded runs under which budget. Strict: an unknown field, a missing one, an unknown benchmark or strategy or
/// an impossible budget is refused with the field's path, before anything runs.
/// </summary>
public sealed record ExperimentManifest
{
    public const string CurrentSchema = "naskit-manifest/1";

    public required string Schema { get; init; }
    /// <summary>Short name: the default results folder is runs/NAME.</summary>
    public required string Name { get; init; }
    /// <summary>The kind of study (a catalog of study kinds: search, pareto); default search.</summary>
    public string Study { get; init; } = "search";
    public string? Title { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyList<ManifestProblem> Problems { get; init; }
    /// <summary>Strategies from the catalog (naskit search --help lists them), each with optional settings (<c>rea:population=20</c>); search and pareto studies.</summary>
    public IReadOnlyList<string> Strategies { get; init; } = [];
    /// <summary>Zero-cost studies: the proxies compared (naskit zerocost --help lists them).</summary>
    public IReadOnlyList<string>? Proxies { get; init; }
    /// <summary>Predictor studies: the predictors compared (naskit predictors --help lists them).</summary>
    public IReadOnlyList<string>? Predictors { get; init; }
    /// <summary>Predictor studies: the training-set sizes each predictor is fitted on (default: a ladder up to budget.queries).</summary>
    public IReadOnlyList<int>? TrainSizes { get; init; }
    /// <summary>Predictor studies: the held-out architectures each fit is ranked on (default 200).</summary>
    public int? TestSize { get; init; }
    /// <summary>Zero-cost studies: the data set the minibatch is drawn from (default cifar10-subset) and its size (default 64).</summary>
    public string? Data { get; init; }
    public int? BatchSize { get; init; }
    public required ManifestBudget Budget { get; init; }
    public int Runs { get; init; } = 10;
    public int Seed { get; init; }
    /// <summary>Multi-objective studies: the objectives (metric names, or max:NAME / min:NAME).</summary>
    public IReadOnlyList<string>? Objectives { get; init; }
    /// <summary>Multi-objective studies: the constraint of constrained strategies, e.g. pixel3_latency&lt;=5 (default: the second objective's median).</summary>
    public string? Constraint { get; init; }
    /// <summary>The predictor BANANAS uses, when not its default.</summary>
    public string? Predictor { get; init; }
    /// <summary>Strategies the author counts as ablations of another (name → what it removes), for the checklist.</summary>
    public IReadOnlyDictionary<string, string>? Ablations { get; init; }
    /// <summary>How the strategies' own hyperparameters were set (for the checklist); unknown when absent.</summary>
    public string? HyperparameterTuning { get; init; }

    [JsonIgnore] public string Sha256 { get; private init; } = "";
    [JsonIgnore] public string Text { get; private init; } = "";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        RespectNullableAnnotations = true,
    };

    public static ExperimentManifest Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (FileNotFoundException) { throw new FileNotFoundException($"Manifest {path} does not exist; give the path of a naskit manifest (.json), e.g. manifests/nb201-strategies.json."); }
        catch (DirectoryNotFoundException) { throw new FileNotFoundException($"Manifest {path} does not exist; give the path of a naskit manifest (.json), e.g. manifests/nb201-strategies.json."); }
        return Parse(text, path);
    }

    public static ExperimentManifest Parse(string text, string source = "manifest")
    {
        ExperimentManifest? m;
        try { m = JsonSerializer.Deserialize<ExperimentManifest>(text, Options); }
        catch (JsonException e)
        {
            // System.Text.Json names the field and line; the message's first sentence is the useful part.
            var what = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"unknown field '{e.Path?.Split('.').Last()}'"
                : e.Message.Split(". Path:")[0];
            throw new FormatException($"{source}: {what} (at {e.Path ?? "$"}, line {(e.LineNumber ?? 0) + 1}). See docs/reports.md for the manifest's fields.");
        }
        if (m is null) throw new FormatException($"{source}: the manifest is empty (null); see docs/reports.md.");
        m = m with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), Text = text };
        m.Validate(source);
        return m;
    }

    private void Validate(string source)
    {
        string Fail(string message) => throw new FormatException($"{source}: {message}");
        if (Schema != CurrentSchema) Fail($"schema is '{Schema}'; this NasKit reads '{CurrentSchema}'.");
        if (string.IsNullOrWhiteSpace(Name) || Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            Fail($"name '{Name}' must be letters, digits, '-', '_' or '.' (it names the results folder).");
        if (Problems.Count == 0) Fail("problems is empty; name at least one benchmark, e.g. {\"benchmark\": \"nb201\", \"dataset\": \"cifar10\"}.");
        foreach (var (p, i) in Problems.Select((p, i) => (p, i)))
        {
            if (Catalog<IBenchmarkEntry>.Find(p.Benchmark) is null) Fail($"problems[{i}].benchmark '{p.Benchmark}' is unknown; known: {Catalog<IBenchmarkEntry>.Names()}.");
            if (p.Key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))) Fail($"problems[{i}] id '{p.Key}' must be letters, digits, '-', '_' or '.'; set \"id\".");
        }
        if (Problems.GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } dup)
            Fail($"two problems have the id '{dup.Key}'; give each an \"id\".");
        var names = new List<string>();
        foreach (var s in Strategies)
        {
            EvaluatorDescriptor d;
            try { d = EvaluatorDescriptor.Parse(s); }
            catch (FormatException e) { Fail($"strategy '{s}': {e.Message}"); throw; }
            if (Catalog<IStrategyFactory>.Find(d.Name) is null) Fail($"strategy '{s}' is unknown; known: {Catalog<IStrategyFactory>.Names()}.");
            try { names.Add(StrategySettings.Configure(s).Name); }
            catch (ArgumentException e) { Fail($"strategy '{s}': {e.Message}"); }
        }
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count) Fail("a strategy is named twice.");
        if (Budget.Queries is null == Budget.Epochs is null) Fail("budget needs exactly one of \"queries\" and \"epochs\".");
        if (Budget.Queries is < 1 || Budget.Epochs is < 1) Fail("the budget must be at least 1.");
        if (Budget.Fidelities is not null && Budget.Epochs is null) Fail("budget.fidelities needs a budget in \"epochs\": schedulers and the rest spend epochs differently.");
        if (Budget.Eta <= 1) Fail($"budget.eta must be above 1, got {Budget.Eta}.");
        if (Runs < 2) Fail($"runs is {Runs}; a report's statistics need at least 2 seeded runs (10 or more for tests with power).");
        try { Seeds.CheckRuns(Seed, Runs); }
        catch (ArgumentOutOfRangeException e) { Fail(e.Message.Split(" (Parameter")[0]); }
        foreach (var a in Ablations?.Keys ?? [])
            if (!Strategies.Contains(a, StringComparer.OrdinalIgnoreCase)) Fail($"ablations names '{a}', which is not among the strategies.");
    }
}
