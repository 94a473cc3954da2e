namespace NasKit.Experiments;

/// <summary>
/// When a study stops: after a number of queries, a total of evaluation cost seconds (simulated or measured, as the
/// evaluator reports them), or a total of measured evaluation wall time (summed over trials, resumed ones included,
/// so a killed and resumed study keeps its budget), whichever comes first. A trial whose cost would cross the seconds budget is not
/// counted, so the recorded trials never exceed any budget.
/// </summary>
public sealed record Budget(int? Queries = null, double? CostSeconds = null, double? WallSeconds = null)
{
    public static Budget OfQueries(int n) => new(Queries: n);

    public void Validate()
    {
        if (Queries is null && CostSeconds is null && WallSeconds is null)
            throw new ArgumentException("A budget needs at least one limit: queries, cost seconds or wall seconds.");
        if (Queries is < 0 || CostSeconds is < 0 || WallSeconds is < 0)
            throw new ArgumentException($"Budget limits must not be negative: {this}.");
    }

    public override string ToString() => string.Join(", ", new[]
    {
        Queries is { } q ? $"{q} queries" : null,
        CostSeconds is { } c ? $"{c:0.#} cost seconds" : null,
        WallSeconds is { } w ? $"{w:0.#} evaluation wall seconds" : null,
    }.Where(s => s is not null));
}
