namespace NasKit.SearchSpaces.MultimodalFusion;

/// <summary>A node of a fusion architecture's drawing, at (X, Y).</summary>
public sealed record DiagramNode(string Name, double X, double Y);

/// <summary>
/// The layout of a fusion architecture for drawing: the image network's three hidden layers in a column on the left,
/// the audio network's on the right, the fusion layers in the middle from bottom to top, and an edge for every
/// representation a fusion layer reads.
/// </summary>
public static class FusionDiagram
{
    public static (IReadOnlyList<DiagramNode> Nodes, IReadOnlyList<(string From, string To)> Edges) Layout(IReadOnlyList<FusionLayer> layers)
    {
        var nodes = new List<DiagramNode>();
        for (int k = 1; k <= UnimodalNetwork.HiddenSizes.Count; k++)
        {
            nodes.Add(new($"image h{k} ({UnimodalNetwork.HiddenSizes[k - 1]})", 0, k));
            nodes.Add(new($"audio h{k} ({UnimodalNetwork.HiddenSizes[k - 1]})", 2, k));
        }
        var edges = new List<(string, string)>();
        string? previous = null;
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            var name = $"fusion {i + 1}: {l.Width} {l.Activation.ToString().ToLowerInvariant()}";
            nodes.Add(new(name, 1, 1 + i * (UnimodalNetwork.HiddenSizes.Count - 1.0) / Math.Max(1, layers.Count - 1) + (layers.Count == 1 ? 1 : 0)));
            edges.Add((nodes.Single(n => n.Name.StartsWith($"image h{l.ImageLayer} ", StringComparison.Ordinal)).Name, name));
            edges.Add((nodes.Single(n => n.Name.StartsWith($"audio h{l.AudioLayer} ", StringComparison.Ordinal)).Name, name));
            if (previous is not null) edges.Add((previous, name));
            previous = name;
        }
        nodes.Add(new("classifier (10)", 1, UnimodalNetwork.HiddenSizes.Count + 1));
        edges.Add((previous!, "classifier (10)"));
        return (nodes, edges);
    }
}
