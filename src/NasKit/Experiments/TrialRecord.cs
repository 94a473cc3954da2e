using NasKit.Estimation;

namespace NasKit.Experiments;

/// <summary>
/// One finished trial as a store keeps it: its number in the study (0, 1, ...), the architecture's canonical
/// text, the fidelity, the evaluation and the wall time the evaluation took.
/// </summary>
public sealed record TrialRecord(int Number, string Architecture, Fidelity Fidelity, Evaluation Evaluation,
                                 double WallSeconds, DateTimeOffset Finished);
