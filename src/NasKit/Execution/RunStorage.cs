namespace NasKit.Execution;

/// <summary>
/// Where a protocol keeps each run's study: a storage <see cref="TrialQueues"/> opens (SQLite or PostgreSQL), with
/// a prefix that makes the study names of one experiment unique in it. With a storage a killed run resumes where it
/// stopped, trial by trial (the study engine replays its recorded asks and tells); without one, runs live in memory.
/// </summary>
public sealed record RunStorage(string Storage, string Prefix)
{
    public ITrialQueue Open() => TrialQueues.Open(Storage);

    /// <summary>The queue of one run: the storage's, or a fresh in-memory one.</summary>
    public static ITrialQueue Open(RunStorage? storage) => storage?.Open() ?? new InMemoryTrialQueue();

    /// <summary>The study name of run <paramref name="seed"/> of <paramref name="strategy"/>.</summary>
    public static string StudyName(RunStorage? storage, string strategy, int seed) => $"{storage?.Prefix}{strategy}-{seed}";
}
