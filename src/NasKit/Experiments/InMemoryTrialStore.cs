namespace NasKit.Experiments;

/// <summary>A store in memory: for notebooks, tests and the many short runs of a benchmark study.</summary>
public sealed class InMemoryTrialStore : ITrialStore
{
    private readonly Dictionary<string, (StudySpec Spec, List<TrialRecord> Trials)> _studies = new();
    private readonly object _gate = new();

    public void Open(StudySpec spec)
    {
        lock (_gate)
        {
            if (_studies.TryGetValue(spec.Name, out var s))
            {
                if (s.Spec != spec) throw StudySpecs.Mismatch(s.Spec, spec);
                return;
            }
            _studies[spec.Name] = (spec, new List<TrialRecord>());
        }
    }

    public IReadOnlyList<TrialRecord> Trials(string study)
    {
        lock (_gate) return Get(study).Trials.ToArray();
    }

    public void Append(string study, TrialRecord trial)
    {
        lock (_gate)
        {
            var list = Get(study).Trials;
            if (trial.Number != list.Count) throw StudySpecs.OutOfOrder(study, trial.Number, list.Count);
            list.Add(trial);
        }
    }

    public IReadOnlyList<StudySpec> Studies()
    {
        lock (_gate) return _studies.Values.Select(s => s.Spec).ToArray();
    }

    private (StudySpec Spec, List<TrialRecord> Trials) Get(string study) =>
        _studies.TryGetValue(study, out var s) ? s : throw new KeyNotFoundException($"No study named '{study}' in this store.");

    public void Dispose() { }
}

internal static class StudySpecs
{
    public static StudyConflictException Mismatch(StudySpec stored, StudySpec asked) => new(
        $"Study '{stored.Name}' already exists with {stored.Describe()}; this run asks for {asked.Describe()}. " +
        "Resume it with the same settings, or pick a new study name.");

    public static StudyConflictException OutOfOrder(string study, int number, int expected) => new(
        $"Trial {number} of study '{study}' cannot be recorded: the store expects trial {expected} next. " +
        "Another process is probably writing the same study; run one coordinator per study " +
        "(several workers need the PostgreSQL store).");
}
