using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies.MultiFidelity;

/// <summary>
/// BOHB's model (Falkner et al., ICML 2018, as HpBandSter implements it): for the largest epoch budget with enough
/// results, a kernel density l(x) over the best 15% of its configurations and g(x) over the rest; a new configuration
/// is the one of 64 candidates, drawn around good configurations with widened bandwidths, that minimises g(x)/l(x). A
/// third of the configurations stay uniformly random, and before any model exists all are. Unordered decisions get
/// Aitchison-Aitken kernels; ordered ones (a depth, a grid of learning rates) are placed on [0, 1] by their position
/// and get Gaussian kernels, sampled from a normal truncated to [0, 1] and rounded to the nearest option, as HpBandSter
/// treats integer and float hyperparameters. Bandwidths are statsmodels' normal reference (1.06·σ·n^(−1/(4+d)), at
/// least 10⁻³). A failed evaluation counts as the worst loss, as in HpBandSter. One deliberate difference: an
/// unordered kernel spreads over the decision's real number of options, where statsmodels counts the options seen in
/// the data (and divides by zero when the good configurations agree on one).
/// </summary>
public sealed class KdeSampler<TArch> : IConfigurationSampler<TArch> where TArch : class, IArchitecture
{
    private readonly ISearchSpace<TArch> _space;
    private readonly ICategoricalSpace<TArch> _categorical;
    private readonly Dictionary<int, List<(int[] X, double Loss)>> _byEpochs = new();
    private (Kde Good, Kde Bad)? _model;
    private int _modelEpochs = int.MinValue;

    public double TopFraction { get; init; } = 0.15;
    public int Candidates { get; init; } = 64;
    public double RandomFraction { get; init; } = 1.0 / 3;
    public double BandwidthFactor { get; init; } = 3;
    public double MinBandwidth { get; init; } = 1e-3;
    /// <summary>Results needed on a budget before it gets a model: the number of decisions + 1.</summary>
    public int MinPointsInModel => _categorical.Choices.Count + 1;

    /// <summary>The epoch budget whose results the model is built on, or null while there is none.</summary>
    public int? ModelEpochs => _model is null ? null : _modelEpochs;

    public KdeSampler(ISearchSpace<TArch> space)
    {
        _space = space;
        _categorical = space as ICategoricalSpace<TArch>
            ?? throw new ArgumentException($"BOHB models configurations as decisions; space '{space.Name}' has no categorical decisions (ICategoricalSpace).");
    }

    public TArch Sample(Random rng)
    {
        // Both draws happen every time, so the random stream does not depend on whether a model exists.
        bool random = rng.NextDouble() < RandomFraction;
        if (_model is not { } m || random) return _space.Sample(rng);
        var choices = _categorical.Choices;
        var ordered = _categorical.Ordered;
        int[]? best = null;
        double bestRatio = double.PositiveInfinity;
        for (int c = 0; c < Candidates; c++)
        {
            var datum = m.Good.Data[rng.Next(m.Good.Data.Count)];
            var x = new int[choices.Count];
            for (int j = 0; j < x.Length; j++)
                x[j] = ordered[j] ? Kde.SampleOrdered(datum[j], choices[j], BandwidthFactor * m.Good.Bandwidth[j], rng)
                     : rng.NextDouble() < 1 - m.Good.Bandwidth[j] ? datum[j] : rng.Next(choices[j]);
            double ratio = Math.Max(1e-32, m.Bad.Pdf(x)) / Math.Max(m.Good.Pdf(x), 1e-32);
            if (ratio < bestRatio) (bestRatio, best) = (ratio, x);
        }
        return _categorical.FromDecisions(best!);
    }

    public void Observe(TArch arch, int epochs, double? score)
    {
        if (!_byEpochs.TryGetValue(epochs, out var list)) _byEpochs[epochs] = list = [];
        list.Add((_categorical.ToDecisions(arch), score is { } s ? -s : double.PositiveInfinity));
        if (epochs < _modelEpochs) return; // a model on a larger budget exists already
        int d = _categorical.Choices.Count;
        if (list.Count < MinPointsInModel) return;
        var sorted = list.Select((o, i) => (o, i)).OrderBy(p => p.o.Loss).ThenBy(p => p.i).Select(p => p.o.X).ToArray();
        int nGood = Math.Max(MinPointsInModel, (int)(TopFraction * 100) * sorted.Length / 100);
        int nBad = Math.Max(MinPointsInModel, (100 - (int)(TopFraction * 100)) * sorted.Length / 100);
        var good = sorted.Take(nGood).ToArray();
        var bad = sorted.Skip(nGood).Take(nBad).ToArray();
        if (good.Length <= d || bad.Length <= d) return;
        _model = (new Kde(good, _categorical.Choices, _categorical.Ordered, MinBandwidth), new Kde(bad, _categorical.Choices, _categorical.Ordered, MinBandwidth));
        _modelEpochs = epochs;
    }

    /// <summary>
    /// A product kernel density (statsmodels' KDEMultivariate): Aitchison-Aitken kernels over unordered decisions
    /// (var_type 'u') and Gaussian kernels over ordered ones at their positions in [0, 1] (var_type 'c').
    /// </summary>
    private sealed class Kde
    {
        public IReadOnlyList<int[]> Data { get; }
        public double[] Bandwidth { get; }
        private readonly IReadOnlyList<int> _levels;
        private readonly IReadOnlyList<bool> _ordered;

        public Kde(IReadOnlyList<int[]> data, IReadOnlyList<int> levels, IReadOnlyList<bool> ordered, double minBandwidth)
        {
            (Data, _levels, _ordered) = (data, levels, ordered);
            int n = data.Count, d = levels.Count;
            Bandwidth = new double[d];
            for (int j = 0; j < d; j++)
            {
                var column = data.Select(x => ordered[j] ? Position(x[j], levels[j]) : x[j]).ToArray();
                double mean = column.Average();
                double std = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / n); // numpy's std (ddof 0)
                Bandwidth[j] = Math.Max(minBandwidth, 1.06 * std * Math.Pow(n, -1.0 / (4 + d)));
            }
        }

        /// <summary>An ordered option's place on [0, 1], as ConfigSpace's vector form of a numeric hyperparameter.</summary>
        public static double Position(int option, int levels) => levels > 1 ? (double)option / (levels - 1) : 0.5;

        /// <summary>A normal around the option's position, truncated to [0, 1] (by rejection), back to the nearest option.</summary>
        public static int SampleOrdered(int option, int levels, double scale, Random rng)
        {
            if (levels < 2) return 0;
            double centre = Position(option, levels), u = centre;
            for (int attempt = 0; attempt < 100; attempt++)
            {
                u = MathNet.Numerics.Distributions.Normal.Sample(rng, centre, scale);
                if (u is >= 0 and <= 1) break;
                u = centre; // a scale so wide that 100 draws miss [0, 1] keeps the datum
            }
            return (int)Math.Round(u * (levels - 1));
        }

        public double Pdf(int[] x)
        {
            double sum = 0;
            foreach (var xi in Data)
            {
                double k = 1;
                for (int j = 0; j < x.Length; j++)
                {
                    double h = Bandwidth[j];
                    if (_ordered[j])
                    {
                        double z = (Position(xi[j], _levels[j]) - Position(x[j], _levels[j])) / h;
                        k *= Math.Exp(-0.5 * z * z) / (Math.Sqrt(2 * Math.PI) * h);
                    }
                    else k *= xi[j] == x[j] ? 1 - h : h / (_levels[j] - 1);
                }
                sum += k;
            }
            return sum / Data.Count;
        }
    }
}

public sealed class BohbFactory : SchedulerFactory
{
    public override string Name => "bohb";
    public override string Description => "BOHB (Falkner et al. 2018): Hyperband with configurations from a TPE-style density-ratio model of the largest budget.";
    public override int Order => 110;

    protected override ISearchStrategy<TArch> Make<TArch>(ISearchSpace<TArch> space, Objective objective, FidelityRungs rungs, int seed) =>
        new Hyperband<TArch>(space, objective, rungs, seed, sampler: new KdeSampler<TArch>(space));
}
