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
/// <para>
/// A finite space of arbitrary graphs without decisions (NAS-Bench-NLP's cells) has nothing to perturb. There the
/// model is a product of Gaussian kernels over the space's descriptive features (<see cref="ArchitectureEncoding.Features"/>,
/// each scaled to [0, 1] over the whole space), and the 64 candidates are drawn uniformly from the space: the same
/// density-ratio choice over a candidate pool instead of around the good points.
/// </para>
/// </summary>
public sealed class KdeSampler<TArch> : IConfigurationSampler<TArch> where TArch : class, IArchitecture
{
    private readonly ISearchSpace<TArch> _space;
    private readonly ICategoricalSpace<TArch>? _categorical;
    private readonly IEncodableSpace<TArch>? _encodable;
    private readonly int[] _levels;              // options of an unordered decision; 0 for a value on [0, 1]
    private readonly int[] _gridSize;            // options of an ordered decision (placed on [0, 1]); 0 otherwise
    private readonly double[] _low = [], _high = []; // feature ranges over the space, for the pool mode
    private readonly Dictionary<int, List<(double[] X, double Loss)>> _byEpochs = new();
    private (Kde Good, Kde Bad)? _model;
    private int _modelEpochs = int.MinValue;

    public double TopFraction { get; init; } = 0.15;
    public int Candidates { get; init; } = 64;
    public double RandomFraction { get; init; } = 1.0 / 3;
    public double BandwidthFactor { get; init; } = 3;
    public double MinBandwidth { get; init; } = 1e-3;
    /// <summary>Results needed on a budget before it gets a model: the number of dimensions + 1.</summary>
    public int MinPointsInModel => _levels.Length + 1;

    /// <summary>The epoch budget whose results the model is built on, or null while there is none.</summary>
    public int? ModelEpochs => _model is null ? null : _modelEpochs;

    public KdeSampler(ISearchSpace<TArch> space)
    {
        _space = space;
        if (space is ICategoricalSpace<TArch> categorical)
        {
            _categorical = categorical;
            var ordered = categorical.Ordered;
            _levels = categorical.Choices.Select((c, j) => ordered[j] ? 0 : c).ToArray();
            _gridSize = categorical.Choices.Select((c, j) => ordered[j] ? c : 0).ToArray();
            return;
        }
        if (space is IEncodableSpace<TArch> encodable && encodable.Encodings.Contains(ArchitectureEncoding.Features) && space is IEnumerableSpace<TArch> finite)
        {
            _encodable = encodable;
            int d = encodable.EncodingLength(ArchitectureEncoding.Features);
            (_low, _high) = (Enumerable.Repeat(double.PositiveInfinity, d).ToArray(), Enumerable.Repeat(double.NegativeInfinity, d).ToArray());
            foreach (var arch in finite.All())
            {
                var f = encodable.Encode(arch, ArchitectureEncoding.Features);
                for (int j = 0; j < d; j++) (_low[j], _high[j]) = (Math.Min(_low[j], f[j]), Math.Max(_high[j], f[j]));
            }
            (_levels, _gridSize) = (new int[d], new int[d]);
            return;
        }
        throw new ArgumentException($"BOHB models configurations by their decisions (ICategoricalSpace) or, in a finite space, by descriptive features; " +
                                    $"space '{space.Name}' has neither.");
    }

    private double[] Vector(TArch arch)
    {
        if (_categorical is not null)
        {
            var x = _categorical.ToDecisions(arch);
            return x.Select((v, j) => _gridSize[j] > 0 ? Kde.Position(v, _gridSize[j]) : v).ToArray();
        }
        var f = _encodable!.Encode(arch, ArchitectureEncoding.Features);
        return f.Select((v, j) => _high[j] > _low[j] ? (v - _low[j]) / (_high[j] - _low[j]) : 0.5).ToArray();
    }

    public TArch Sample(Random rng)
    {
        // Both draws happen every time, so the random stream does not depend on whether a model exists.
        bool random = rng.NextDouble() < RandomFraction;
        if (_model is not { } m || random) return _space.Sample(rng);
        TArch? best = null;
        double bestRatio = double.PositiveInfinity;
        for (int c = 0; c < Candidates; c++)
        {
            TArch candidate;
            if (_categorical is null) candidate = _space.Sample(rng);
            else
            {
                var datum = m.Good.Data[rng.Next(m.Good.Data.Count)];
                var decisions = new int[_levels.Length];
                for (int j = 0; j < decisions.Length; j++)
                    decisions[j] = _gridSize[j] > 0 ? Kde.SampleOrdered(datum[j], _gridSize[j], BandwidthFactor * m.Good.Bandwidth[j], rng)
                                 : rng.NextDouble() < 1 - m.Good.Bandwidth[j] ? (int)datum[j] : rng.Next(_levels[j]);
                candidate = _categorical.FromDecisions(decisions);
            }
            var x = Vector(candidate);
            double ratio = Math.Max(1e-32, m.Bad.Pdf(x)) / Math.Max(m.Good.Pdf(x), 1e-32);
            if (ratio < bestRatio) (bestRatio, best) = (ratio, candidate);
        }
        return best!;
    }

    public void Observe(TArch arch, int epochs, double? score)
    {
        if (!_byEpochs.TryGetValue(epochs, out var list)) _byEpochs[epochs] = list = [];
        list.Add((Vector(arch), score is { } s ? -s : double.PositiveInfinity));
        if (epochs < _modelEpochs) return; // a model on a larger budget exists already
        int d = _levels.Length;
        if (list.Count < MinPointsInModel) return;
        var sorted = list.Select((o, i) => (o, i)).OrderBy(p => p.o.Loss).ThenBy(p => p.i).Select(p => p.o.X).ToArray();
        int nGood = Math.Max(MinPointsInModel, (int)(TopFraction * 100) * sorted.Length / 100);
        int nBad = Math.Max(MinPointsInModel, (100 - (int)(TopFraction * 100)) * sorted.Length / 100);
        var good = sorted.Take(nGood).ToArray();
        var bad = sorted.Skip(nGood).Take(nBad).ToArray();
        if (good.Length <= d || bad.Length <= d) return;
        _model = (new Kde(good, _levels, MinBandwidth), new Kde(bad, _levels, MinBandwidth));
        _modelEpochs = epochs;
    }

    /// <summary>
    /// A product kernel density (statsmodels' KDEMultivariate): Aitchison-Aitken kernels over unordered decisions
    /// (var_type 'u', the option index as the value) and Gaussian kernels over values on [0, 1] (var_type 'c').
    /// </summary>
    private sealed class Kde
    {
        public IReadOnlyList<double[]> Data { get; }
        public double[] Bandwidth { get; }
        private readonly IReadOnlyList<int> _levels;

        public Kde(IReadOnlyList<double[]> data, IReadOnlyList<int> levels, double minBandwidth)
        {
            (Data, _levels) = (data, levels);
            int n = data.Count, d = levels.Count;
            Bandwidth = new double[d];
            for (int j = 0; j < d; j++)
            {
                double mean = data.Average(x => x[j]);
                double std = Math.Sqrt(data.Sum(x => (x[j] - mean) * (x[j] - mean)) / n); // numpy's std (ddof 0)
                Bandwidth[j] = Math.Max(minBandwidth, 1.06 * std * Math.Pow(n, -1.0 / (4 + d)));
            }
        }

        /// <summary>An ordered option's place on [0, 1], as ConfigSpace's vector form of a numeric hyperparameter.</summary>
        public static double Position(int option, int levels) => levels > 1 ? (double)option / (levels - 1) : 0.5;

        /// <summary>A normal around a position, truncated to [0, 1] (by rejection), back to the nearest of <paramref name="levels"/> options.</summary>
        public static int SampleOrdered(double centre, int levels, double scale, Random rng)
        {
            if (levels < 2) return 0;
            double u = centre;
            for (int attempt = 0; attempt < 100; attempt++)
            {
                u = MathNet.Numerics.Distributions.Normal.Sample(rng, centre, scale);
                if (u is >= 0 and <= 1) break;
                u = centre; // a scale so wide that 100 draws miss [0, 1] keeps the datum
            }
            return (int)Math.Round(u * (levels - 1));
        }

        public double Pdf(double[] x)
        {
            double sum = 0;
            foreach (var xi in Data)
            {
                double k = 1;
                for (int j = 0; j < x.Length; j++)
                {
                    double h = Bandwidth[j];
                    if (_levels[j] == 0)
                    {
                        double z = (xi[j] - x[j]) / h;
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
