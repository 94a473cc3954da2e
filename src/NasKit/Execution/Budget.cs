namespace NasKit.Execution;

/// <summary>
/// When a study stops asking: after a number of queries (trials asked), a total of evaluation cost seconds
/// (simulated or measured, as the evaluator reports them), a total of measured evaluation wall time (summed over
/// told trials, resumed ones included, so a killed and resumed study keeps its budget), or a total of training
/// epochs (each trial's fidelity epochs, or the epoch a stopping rule ended it at: the budget unit of multi-fidelity
/// comparisons), whichever comes first. A finished trial whose cost or epochs would cross the budget is kept in the
/// ledger but not told to the strategy nor counted, so the told trials never exceed any budget (a resume with a
/// larger budget tells it).
/// </summary>
public sealed record Budget(int? Queries = null, double? CostSeconds = null, double? WallSeconds = null, int? Epochs = null)
{
    public static Budget OfQueries(int n) => new(Queries: n);
    public static Budget OfEpochs(int n) => new(Epochs: n);

    public void Validate()
    {
        if (Queries is null && CostSeconds is null && WallSeconds is null && Epochs is null)
            throw new ArgumentException("A budget needs at least one limit: queries, cost seconds, wall seconds or epochs.");
        if (Queries is < 0 || CostSeconds is < 0 || WallSeconds is < 0 || Epochs is < 0 || CostSeconds is double.NaN || WallSeconds is double.NaN)
            throw new ArgumentException($"Budget limits must be numbers of at least 0: {this}.");
    }

    public override string ToString() => string.Join(", ", new[]
    {
        Queries is { } q ? $"{q} queries" : null,
        CostSeconds is { } c ? $"{c:0.#} cost seconds" : null,
        WallSeconds is { } w ? $"{w:0.#} evaluation wall seconds" : null,
        Epochs is { } e ? $"{e} epochs" : null,
    }.Where(s => s is not null));
}
