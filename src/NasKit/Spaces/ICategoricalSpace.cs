namespace NasKit.Spaces;

/// <summary>
/// A space whose architectures are a fixed sequence of categorical decisions (NB201: 6 edges × 5 ops).
/// Policy-gradient controllers (REINFORCE, an ENAS LSTM) emit architectures decision by decision.
/// </summary>
public interface ICategoricalSpace<TArch> where TArch : class, IArchitecture
{
    /// <summary>Number of options of each decision.</summary>
    IReadOnlyList<int> Choices { get; }
    int[] ToDecisions(TArch arch);
    TArch FromDecisions(IReadOnlyList<int> decisions);

    /// <summary>Which decisions exist given the others (conditional spaces); a controller learns only from those.</summary>
    IReadOnlyList<bool> Active(IReadOnlyList<int> decisions) => Enumerable.Repeat(true, decisions.Count).ToArray();

    /// <summary>Which decisions have ordered options (a depth, a grid of learning rates), so a model can treat nearby options as similar.</summary>
    IReadOnlyList<bool> Ordered => Enumerable.Repeat(false, Choices.Count).ToArray();
}
