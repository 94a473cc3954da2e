using NasKit.Experiments;

namespace NasKit.SearchSpaces.Recommendation;

/// <summary><c>recommendation</c> in the space catalog: rating models (embedding dimension per field, interaction), trained with the movielens evaluator.</summary>
public sealed class RecommendationSpaceEntry : ISpaceEntry
{
    public string Name => "recommendation";
    public string Description => "Rating models for MovieLens: user/movie/genre embedding dimensions 2-64 (genres optional), interaction dot (FM; biased MF) / MLP 1-3x16-128 / 1-3 cross layers; train with movielens.";
    public int Order => 64;
    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => visitor.Visit(new RecommendationSpace());
}
