namespace NasKit.Experiments;

/// <summary>
/// The seeds of independent runs: 0..2147483646, run r of a comparison starting at seed s using seed s + r. System.Random
/// (seeded) gives the same stream for s and -s, and for 0 and 2147483647 (it works modulo int.MaxValue), so negative
/// seeds and int.MaxValue are refused: every seed of the domain gives its own run.
/// </summary>
public static class Seeds
{
    public const int Max = int.MaxValue - 1;

    public static void CheckRuns(int firstSeed, int runs)
    {
        if (firstSeed is < 0 or > Max) throw new ArgumentOutOfRangeException(nameof(firstSeed), $"Seeds are 0..{Max}; got {firstSeed}.");
        if ((long)firstSeed + runs - 1 > Max)
            throw new ArgumentOutOfRangeException(nameof(runs), $"Runs use seeds {firstSeed}..{firstSeed}+{runs}-1, past the largest seed {Max}; start lower or run fewer.");
    }
}
