using System.Globalization;

namespace NasKit.Estimation;

/// <summary>
/// The epoch budgets a multi-fidelity scheduler chooses from, lowest first, and its reduction factor η: successive
/// halving keeps the best 1/η of each rung for the next one. <see cref="Geometric"/> gives Hyperband's ladder
/// (max·η^-s … max); <see cref="Parse"/> takes explicit rungs such as NB201's 12 and 200 epochs.
/// </summary>
public sealed record FidelityRungs
{
    public IReadOnlyList<int> Epochs { get; }
    public double Eta { get; }

    public FidelityRungs(IReadOnlyList<int> epochs, double eta = 3)
    {
        if (epochs.Count == 0) throw new ArgumentException("A fidelity ladder needs at least one rung.");
        for (int i = 0; i < epochs.Count; i++)
            if (epochs[i] < 1 || (i > 0 && epochs[i] <= epochs[i - 1]))
                throw new ArgumentException($"Rungs must be increasing whole epochs of at least 1; got {string.Join(",", epochs)}.");
        if (!(eta > 1) || double.IsInfinity(eta)) throw new ArgumentException($"The reduction factor η must be greater than 1; got {eta}.");
        (Epochs, Eta) = (epochs.ToArray(), eta);
    }

    /// <summary>The highest rung: s_max of Hyperband.</summary>
    public int Top => Epochs.Count - 1;

    public int Max => Epochs[^1];

    /// <summary>
    /// Rungs max·η^(k−s_max) for k = 0..s_max, s_max = ⌊log_η(max/min)⌋ (Li et al. 2018), rounded to whole epochs; with
    /// min 1, max 81, η 3: 1, 3, 9, 27, 81.
    /// </summary>
    public static FidelityRungs Geometric(int min, int max, double eta = 3)
    {
        if (min < 1 || max < min) throw new ArgumentException($"Need 1 <= min epochs ({min}) <= max epochs ({max}).");
        if (!(eta > 1)) throw new ArgumentException($"The reduction factor η must be greater than 1; got {eta}.");
        int sMax = (int)Math.Floor(Math.Log((double)max / min) / Math.Log(eta) + 1e-9);
        var rungs = new List<int>();
        for (int k = 0; k <= sMax; k++)
        {
            int e = (int)Math.Round(max * Math.Pow(eta, k - sMax));
            if (rungs.Count == 0 || e > rungs[^1]) rungs.Add(Math.Max(e, 1));
        }
        return new FidelityRungs(rungs, eta);
    }

    /// <summary>Reads <c>12,200</c> (explicit rungs) or <c>1-81</c> (a geometric ladder from min to max).</summary>
    public static FidelityRungs Parse(string text, double eta = 3)
    {
        var t = text.Trim();
        int Epoch(string s) => int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var e) && e >= 1 ? e
            : throw new FormatException($"Fidelities '{text}': '{s.Trim()}' is not a whole number of epochs of at least 1.");
        if (t.Contains('-'))
        {
            var parts = t.Split('-', 2);
            return Geometric(Epoch(parts[0]), Epoch(parts[1]), eta);
        }
        var rungs = t.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Epoch).ToArray();
        try { return new FidelityRungs(rungs, eta); }
        catch (ArgumentException e) { throw new FormatException($"Fidelities '{text}': {e.Message}"); }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{string.Join(",", Epochs)} (η={Eta:0.###})");
}
