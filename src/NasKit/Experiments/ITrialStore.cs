namespace NasKit.Experiments;

/// <summary>
/// Where a study's trials live. The history of finished trials, in order, is the truth: a strategy's state
/// is rebuilt from it on resume. <see cref="Append"/> is atomic and accepts only the next number, so a
/// trial is recorded once or not at all, and a second writer is detected instead of silently interleaving.
/// <para>
/// Stores shared by many workers (PostgreSQL) add a queue of pending and running trials on top of this
/// contract; the finished-trial history stays the same shape.
/// </para>
/// </summary>
public interface ITrialStore : IDisposable
{
    /// <summary>Creates the study, or opens it if it exists with the same spec; a different spec is refused.</summary>
    void Open(StudySpec spec);

    /// <summary>The finished trials of a study, ordered by number.</summary>
    IReadOnlyList<TrialRecord> Trials(string study);

    /// <summary>Records a finished trial. Its number must be the count of trials already recorded.</summary>
    void Append(string study, TrialRecord trial);

    IReadOnlyList<StudySpec> Studies();
}

/// <summary>The store already holds something that contradicts the write (another writer, or another spec).</summary>
public sealed class StudyConflictException(string message) : InvalidOperationException(message);
