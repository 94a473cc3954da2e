namespace NasKit.Spaces;

/// <summary>
/// A space whose architectures are small DAGs with one op per node, for graph predictors (GCN). Every graph has
/// <see cref="GraphNodes"/> nodes (padded where a space has fewer), <see cref="NodeFeatures"/> features per node
/// and a directed adjacency matrix (row = from, column = to).
/// </summary>
public interface IGraphEncodableSpace<TArch> where TArch : class, IArchitecture
{
    int GraphNodes { get; }
    int NodeFeatures { get; }
    /// <summary>Row-major adjacency (nodes × nodes) and node features (nodes × features).</summary>
    (float[] Adjacency, float[] Features) Graph(TArch arch);
}
