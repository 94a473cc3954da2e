namespace NasKit.Spaces;

/// <summary>How a space turns an architecture into a feature vector for predictors.</summary>
public enum ArchitectureEncoding
{
    /// <summary>One block of one-hot op indicators per decision (edge).</summary>
    OneHot,
    /// <summary>One indicator per possible input-to-output path of ops (White et al., BANANAS).</summary>
    Path,
    /// <summary>A few numeric descriptors (op counts, size), for spaces of arbitrary graphs without a decision structure.</summary>
    Features,
}

/// <summary>A space that can encode architectures for learned predictors.</summary>
public interface IEncodableSpace<TArch> where TArch : class, IArchitecture
{
    /// <summary>The encodings this space offers: one-hot for spaces of decisions; descriptive features for spaces of arbitrary graphs.</summary>
    IReadOnlyList<ArchitectureEncoding> Encodings { get; }
    int EncodingLength(ArchitectureEncoding kind);
    float[] Encode(TArch arch, ArchitectureEncoding kind);
}

public static class Encodings
{
    /// <summary><paramref name="preferred"/> when the space offers it, else one-hot, else the space's first (BANANAS' path encoding falls back this way).</summary>
    public static ArchitectureEncoding Best<TArch>(this IEncodableSpace<TArch> space, ArchitectureEncoding preferred) where TArch : class, IArchitecture =>
        space.Encodings.Contains(preferred) ? preferred : space.Encodings.Contains(ArchitectureEncoding.OneHot) ? ArchitectureEncoding.OneHot : space.Encodings[0];
}
