using NasKit.Catalogs;
using NasKit.Spaces;

namespace NasKit.Estimation.Predictors;

/// <summary>
/// Makes a predictor by name for any space with the capabilities it needs. Found by reflection
/// (<see cref="Catalog{TEntry}"/>): a new predictor is one file holding it and its factory.
/// </summary>
[CatalogKind("predictor")]
public interface IPredictorFactory : ICatalogEntry
{
    /// <summary>
    /// The predictor for <paramref name="space"/>, with <paramref name="zeroCost"/> features added when given; null
    /// when the space lacks a capability the predictor needs (e.g. a graph encoding).
    /// </summary>
    IPredictor<TArch>? Create<TArch>(ISearchSpace<TArch> space, int seed, IFeaturizer<TArch>? zeroCost = null) where TArch : class, IArchitecture;

    /// <summary>
    /// The space's encoding, followed by the zero-cost features when given; null when the space lacks the encoding
    /// (or, with <paramref name="orOneHot"/>, falls back to one-hot).
    /// </summary>
    protected static IFeaturizer<TArch>? Features<TArch>(ISearchSpace<TArch> space, ArchitectureEncoding encoding, IFeaturizer<TArch>? zeroCost,
                                                         bool orOneHot = false) where TArch : class, IArchitecture
    {
        if (space is not IEncodableSpace<TArch> encodable) return null;
        if (!encodable.Encodings.Contains(encoding) && !orOneHot) return null;
        IFeaturizer<TArch> features = new EncodingFeaturizer<TArch>(encodable, encodable.Best(encoding));
        return zeroCost is null ? features : new ConcatenatedFeaturizer<TArch>(features, zeroCost);
    }
}
