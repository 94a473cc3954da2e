using NasKit.Catalogs;

namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// A zero-cost proxy: scores an untrained network from at most one minibatch, higher predicting better
/// (Abdelfattah et al., ICLR 2021; Mellor et al., ICML 2021). Adding a proxy means adding one class with a
/// parameterless constructor; <see cref="Catalog{TEntry}"/> finds it. <see cref="ICatalogEntry.Description"/>
/// says in one sentence what the score measures; <see cref="ICatalogEntry.Order"/> is the literature tables' order.
/// </summary>
[CatalogKind("zero-cost proxy")]
public interface IZeroCostProxy : ICatalogEntry
{
    /// <summary>False for proxies that ignore the data batch (synflow, params, FLOPs).</summary>
    bool UsesData { get; }

    /// <summary>
    /// The score of <paramref name="input"/>'s architecture. Build networks with <see cref="ProxyInput.Network"/>
    /// (fresh, seeded, the same weights on every call) and dispose them; the caller holds a dispose scope.
    /// </summary>
    double Score(ProxyInput input);
}
