using System.Globalization;

namespace NasKit.Reports.Studies;

/// <summary>The outcome of re-running recorded runs: identical or not, in one sentence.</summary>
public sealed record VerificationResult(bool Identical, int Runs, int Trials, IReadOnlyList<string> Mismatches)
{
    public string Text => Identical
        ? $"identical: {Runs} recorded runs ({Trials} trials) re-run from their seeds with commit {Provenance.Commit()} gave the same architectures and numbers, bit for bit."
        : $"NOT identical: {Mismatches.Count} of {Runs} re-run runs differ; first: {Mismatches[0]}.";
}

/// <summary>
/// <c>naskit report --verify</c>: re-runs a seeded sample of a study's recorded runs with the code at hand and compares
/// every trial's architecture, signal, outcome, incumbent, epochs and objectives bit for bit.
/// </summary>
public static class Verification
{
    public static VerificationResult Verify(string folder, SearchStudyReport report, int perProblem, Action<string>? log = null)
    {
        var m = report.Manifest;
        var kind = ManifestRunner.Kind(m);
        var rng = new Random(m.Seed);
        int runs = 0, trials = 0;
        var mismatches = new List<string>();
        foreach (var section in report.Problems)
        {
            var p = section.Problem;
            var problem = m.Problems.Single(x => x.Key == p.Id);
            var recorded = TrialTable.Read(Path.Combine(folder, p.Trials));
            var candidates = recorded.Select(t => (t.Strategy, t.Run)).Distinct().OrderBy(x => x.Strategy, StringComparer.Ordinal).ThenBy(x => x.Run).ToArray();
            foreach (var (strategy, run) in candidates.OrderBy(_ => rng.Next()).Take(perProblem).ToArray())
            {
                var want = recorded.Where(t => t.Strategy == strategy && t.Run == run).OrderBy(t => t.Trial).ThenBy(t => t.TrainingSet).ToArray();
                var got = kind.Rerun(m, problem, strategy, run).OrderBy(t => t.Trial).ThenBy(t => t.TrainingSet).ToArray();
                runs++;
                trials += want.Length;
                int before = mismatches.Count;
                if (want.Length != got.Length) mismatches.Add($"{p.Id} {strategy} run {run}: {want.Length} trials recorded, {got.Length} now");
                else if (Enumerable.Range(0, want.Length).FirstOrDefault(i => !Same(want[i], got[i]), -1) is var i and >= 0)
                    mismatches.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{p.Id} {strategy} run {run} trial {want[i].Trial}: recorded {want[i].Architecture} {want[i].Signal}/{want[i].Outcome}, now {got[i].Architecture} {got[i].Signal}/{got[i].Outcome}"));
                log?.Invoke($"  verify {p.Id} {strategy} run {run}: {(mismatches.Count == before ? "identical" : "DIFFERENT")}");
            }
        }
        return new VerificationResult(mismatches.Count == 0, runs, trials, mismatches);
    }

    // Tables round-trip doubles exactly (shortest round-trip form); NaN equals NaN here.
    private static bool Same(TrialRow a, TrialRow b) =>
        a.Architecture == b.Architecture && a.Signal.Equals(b.Signal) && a.Outcome.Equals(b.Outcome) && a.BestOutcomeSoFar.Equals(b.BestOutcomeSoFar)
        && a.Epochs == b.Epochs && a.Failed == b.Failed && a.Objectives == b.Objectives && a.TrainingSet == b.TrainingSet;
}
