namespace NasKit.Spaces;

/// <summary>How a space turns an architecture into a feature vector for predictors.</summary>
public enum ArchitectureEncoding
{
    /// <summary>One block of one-hot op indicators per decision (edge).</summary>
    OneHot,
    /// <summary>One indicator per possible input-to-output path of ops (White et al., BANANAS).</summary>
    Path,
}

/// <summary>A space that can encode architectures for learned predictors.</summary>
public interface IEncodableSpace<TArch> where TArch : class, IArchitecture
{
    int EncodingLength(ArchitectureEncoding kind);
    float[] Encode(TArch arch, ArchitectureEncoding kind);
}
