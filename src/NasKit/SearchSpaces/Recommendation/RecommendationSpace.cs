using System.Globalization;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.Recommendation;

/// <summary>
/// Rating-prediction models as decisions, in the manner of AutoDim/AutoEmb (an embedding dimension per feature field)
/// and of interaction search (AutoCTR): the user, movie and genre embedding dimensions (genres may be left out), and
/// how the embeddings interact: pairwise dot products (factorisation machine; biased matrix factorisation when genres
/// are out and the dimensions agree), concatenation into an MLP of searched depth and width (NCF-style), or cross
/// layers (DCN). Every model adds a global mean and learned user and movie biases. Text form
/// <c>user=32, movie=32, genres=none, interaction=dot</c>.
/// </summary>
public sealed class RecommendationSpace : DecisionSpace
{
    public static IReadOnlyList<int> Dimensions { get; } = [2, 4, 8, 16, 32, 64];
    public static IReadOnlyList<int> MlpWidths { get; } = [16, 32, 64, 128];
    public const int MaxHiddenLayers = 3;

    public RecommendationSpace() : base("recommendation", Declare()) { }

    private static Decision[] Declare()
    {
        static string S(int v) => v.ToString(CultureInfo.InvariantCulture);
        var dims = Dimensions.Select(S).ToArray();
        var depth = Enumerable.Range(1, MaxHiddenLayers).Select(S).ToArray();
        return
        [
            Decision.Ordinal("user", dims),
            Decision.Ordinal("movie", dims),
            Decision.Ordinal("genres", ["none", .. dims]),
            Decision.Categorical("interaction", "dot", "mlp", "cross"),
            Decision.Ordinal("mlp.layers", depth).When("interaction", "mlp"),
            Decision.Ordinal("mlp.width", MlpWidths.Select(S).ToArray()).When("interaction", "mlp"),
            Decision.Ordinal("cross.layers", depth).When("interaction", "cross"),
        ];
    }

    /// <summary>Biased matrix factorisation with <paramref name="factors"/> factors (one of <see cref="Dimensions"/>): the classic baseline as an architecture of the space.</summary>
    public Choices MatrixFactorization(int factors) =>
        Dimensions.Contains(factors) ? (Choices)Parse($"user={factors}, movie={factors}, genres=none, interaction=dot")
            : throw new ArgumentException($"Matrix factorisation takes {string.Join(", ", Dimensions)} factors here, got {factors}.");

    public RatingModelConfig Configure(Choices arch)
    {
        if (arch.Space.Name != Name) throw new ArgumentException($"{arch.ToText()} is not an architecture of space '{Name}'.");
        var interaction = arch["interaction"] switch { "dot" => RatingInteraction.Dot, "mlp" => RatingInteraction.Mlp, _ => RatingInteraction.Cross };
        return new RatingModelConfig((int)arch.Number("user"), (int)arch.Number("movie"), arch["genres"] == "none" ? 0 : (int)arch.Number("genres"), interaction,
            interaction == RatingInteraction.Mlp ? (int)arch.Number("mlp.layers") : 0,
            interaction == RatingInteraction.Mlp ? (int)arch.Number("mlp.width") : 0,
            interaction == RatingInteraction.Cross ? (int)arch.Number("cross.layers") : 0);
    }
}
