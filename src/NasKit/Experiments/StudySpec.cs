namespace NasKit.Experiments;

/// <summary>
/// What defines a study: its name and everything that decides its trials (space, strategy, seed and the
/// rest of the configuration as text). Reopening a study with a different spec is refused, so a resumed
/// run can never mix trials of two different experiments.
/// </summary>
public sealed record StudySpec(string Name, string Space, string Strategy, int Seed, string Configuration = "")
{
    public string Describe() => $"space={Space}, strategy={Strategy}, seed={Seed}" +
                                (Configuration.Length > 0 ? $", {Configuration}" : "");
}
