using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace NasKit.Tests.Architecture;

/// <summary>
/// The folders of <c>src/NasKit</c> depend downwards only. The layers below are the architecture (docs/architecture.md
/// shows the graph): a folder may use the folders in lower layers, never one in its own layer or above. Space families
/// (<c>SearchSpaces/*</c>) sit on top, each its own node: generic code never names them, and they do not name each other.
/// The test reads every <c>using NasKit.…</c> directive and every qualified <c>NasKit.…</c> name in the code.
/// </summary>
public partial class DependencyTests(ITestOutputHelper output)
{
    /// <summary>Lower layers first.</summary>
    public static readonly string[][] Layers =
    [
        ["Catalogs", "Analysis", "Runtime"],
        ["Spaces"],
        ["Benchmarks"],
        ["Data"],
        ["Networks"],
        ["Hardware"],
        ["Estimation"],
        ["Strategies"],
        ["Execution"],
        ["Experiments"],
        ["Federated"],
        ["Reports"],
        ["SearchSpaces.*"],
    ];

    private static string Source => Path.Combine(Execution.TestDatabases.RepoRoot, "src", "NasKit");

    /// <summary>The node of a namespace or folder: its first segment, or SearchSpaces.Family.</summary>
    private static string Node(string[] segments) => segments[0] == "SearchSpaces" && segments.Length > 1 ? $"SearchSpaces.{segments[1]}" : segments[0];

    private static int Layer(string node) =>
        Array.FindIndex(Layers, l => l.Contains(node) || (node.StartsWith("SearchSpaces.", StringComparison.Ordinal) && l.Contains("SearchSpaces.*")));

    [GeneratedRegex(@"\bNasKit\.([A-Z][A-Za-z0-9]*)(?:\.([A-Z][A-Za-z0-9]*))?")]
    private static partial Regex Qualified();

    // A doc comment may name a type relative to NasKit: cref="Experiments.Objective".
    [GeneratedRegex(@"cref=""([A-Z][A-Za-z0-9]*)\.([A-Z][A-Za-z0-9]*)")]
    private static partial Regex RelativeCref();

    /// <summary>Every dependency between nodes: (from, to) → the files that create it.</summary>
    public static Dictionary<(string From, string To), List<string>> Graph()
    {
        var edges = new Dictionary<(string, string), List<string>>();
        foreach (var file in Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Source, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Length < 2 || parts[0] is "bin" or "obj") continue; // NasKit.csproj's folder itself holds no code
            string from = Node(parts);
            foreach (var raw in File.ReadLines(file))
            {
                var line = raw.Trim();
                if (line.StartsWith("namespace ", StringComparison.Ordinal)) continue;
                int comment = line.IndexOf("//", StringComparison.Ordinal);
                var code = comment >= 0 && !line.StartsWith("///", StringComparison.Ordinal) ? line[..comment] : line; // doc comments' crefs count
                foreach (Match m in Qualified().Matches(code).Concat(RelativeCref().Matches(code)))
                {
                    var segments = m.Groups[2].Success ? new[] { m.Groups[1].Value, m.Groups[2].Value } : [m.Groups[1].Value];
                    if (!Directory.Exists(Path.Combine(Source, segments[0]))) continue; // NasKit.Tests and the like
                    string to = Node(segments);
                    if (to == from) continue;
                    if (!edges.TryGetValue((from, to), out var files)) edges[(from, to)] = files = [];
                    if (!files.Contains(relative)) files.Add(relative);
                }
            }
        }
        return edges;
    }

    [Fact]
    public void Folders_depend_downwards_only()
    {
        var graph = Graph();
        foreach (var ((from, to), files) in graph.OrderBy(kv => Layer(kv.Key.From)).ThenBy(kv => kv.Key.From).ThenBy(kv => Layer(kv.Key.To)))
            output.WriteLine($"{from,-20} -> {to,-20} ({files.Count} file{(files.Count == 1 ? "" : "s")})");
        var unknown = graph.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct().Where(n => Layer(n) < 0).ToArray();
        Assert.True(unknown.Length == 0, $"Folders missing from the layers: {string.Join(", ", unknown)}. Place them in DependencyTests.Layers and docs/architecture.md.");
        var upward = graph.Where(kv => Layer(kv.Key.To) >= Layer(kv.Key.From))
            .Select(kv => $"{kv.Key.From} -> {kv.Key.To} ({string.Join(", ", kv.Value)})").ToArray();
        Assert.True(upward.Length == 0, "Upward or sideways dependencies:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void Spaces_and_analysis_never_touch_torch_and_generic_code_never_names_a_family()
    {
        foreach (var folder in new[] { "Spaces", "Analysis", "Catalogs" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories))
                Assert.False(File.ReadAllText(file).Contains("TorchSharp"), $"{Path.GetRelativePath(Source, file)} uses TorchSharp; {folder} stays free of it.");
        var named = Graph().Where(kv => kv.Key.To.StartsWith("SearchSpaces.", StringComparison.Ordinal) && !kv.Key.From.StartsWith("SearchSpaces.", StringComparison.Ordinal));
        Assert.Empty(named.Select(kv => $"{kv.Key.From} -> {kv.Key.To}"));
    }

    [Fact]
    public void The_test_sees_an_upward_edge_when_there_is_one()
    {
        // The graph must contain the edges the code really has; if the scanner broke, the layering test would pass vacuously.
        var graph = Graph();
        Assert.Contains(("Strategies", "Estimation"), graph.Keys);
        Assert.Contains(("SearchSpaces.Nb201", "Spaces"), graph.Keys);
        Assert.True(Layer("Analysis") < Layer("Experiments") && Layer("Experiments") < Layer("SearchSpaces.Nb201"));
    }
}
