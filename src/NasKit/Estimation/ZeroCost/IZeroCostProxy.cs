namespace NasKit.Estimation.ZeroCost;

/// <summary>
/// A zero-cost proxy: scores an untrained network from at most one minibatch, higher predicting better
/// (Abdelfattah et al., ICLR 2021; Mellor et al., ICML 2021). Adding a proxy means adding one class with a
/// parameterless constructor; <see cref="ZeroCostProxies"/> finds it.
/// </summary>
public interface IZeroCostProxy
{
    /// <summary>The name the literature and NAS-Bench-Suite-Zero use (<c>synflow</c>, <c>jacob_cov</c>, ...).</summary>
    string Name { get; }

    /// <summary>One sentence: what the score measures.</summary>
    string Measures { get; }

    /// <summary>False for proxies that ignore the data batch (synflow, params, FLOPs).</summary>
    bool UsesData { get; }

    /// <summary>
    /// The score of <paramref name="input"/>'s architecture. Build networks with <see cref="ProxyInput.Network"/>
    /// (fresh, seeded, the same weights on every call) and dispose them; the caller holds a dispose scope.
    /// </summary>
    double Score(ProxyInput input);
}
