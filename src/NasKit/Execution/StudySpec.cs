namespace NasKit.Execution;

/// <summary>
/// What defines a study: its name and everything that decides its trials (space, strategy, seed, the rest of the
/// configuration as text) and how they are evaluated (<see cref="Evaluator"/>: a descriptor from the evaluator
/// catalog, so that a worker anywhere rebuilds the same evaluator; empty when only in-process code evaluates).
/// Reopening a study with a different spec is refused, so a resumed run never mixes trials of two experiments.
/// </summary>
public sealed record StudySpec(string Name, string Space, string Strategy, int Seed, string Configuration = "", string Evaluator = "")
{
    public string Describe() => $"space={Space}, strategy={Strategy}, seed={Seed}" +
                                (Evaluator.Length > 0 ? $", evaluator={Evaluator}" : "") +
                                (Configuration.Length > 0 ? $", {Configuration}" : "");

    /// <summary>Refuses an empty or unusable name up front.</summary>
    public StudySpec Validated()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("A study needs a non-empty name.");
        if (Name != Name.Trim() || Name.Any(char.IsControl)) throw new ArgumentException($"Study name '{Name}' has surrounding spaces or control characters; choose a plain name.");
        return this;
    }

    internal StudyConflictException Mismatch(StudySpec asked) => new(
        $"Study '{Name}' already exists with {Describe()}; this run asks for {asked.Describe()}. " +
        "Resume it with the same settings, or pick a new study name.");
}

/// <summary>The store already holds something that contradicts the write (another coordinator, another spec, another strategy).</summary>
public sealed class StudyConflictException(string message) : InvalidOperationException(message);
