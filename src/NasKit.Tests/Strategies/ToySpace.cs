using NasKit.Estimation;
using NasKit.Networks;
using NasKit.Spaces;

namespace NasKit.Tests.Strategies;

/// <summary>A small test space: 4 decisions with 3 options each (81 architectures).</summary>
public sealed class ToyArch(int[] d) : IArchitecture
{
    public int[] D { get; } = d;
    public string ToText() => string.Join("-", D);
    public bool Equals(IArchitecture? other) => other is ToyArch t && t.D.SequenceEqual(D);
    public override bool Equals(object? obj) => obj is ToyArch t && Equals(t);
    public override int GetHashCode() => D.Aggregate(17, (h, x) => h * 31 + x);
}

public sealed class ToySpace : ISearchSpace<ToyArch>, IEnumerableSpace<ToyArch>, IMutableSpace<ToyArch>, IEncodableSpace<ToyArch>, ICategoricalSpace<ToyArch>
{
    public const int Decisions = 4, Options = 3;
    public string Name => "toy";
    public long Count => 81;
    public ToyArch Sample(Random rng) => new(Enumerable.Range(0, Decisions).Select(_ => rng.Next(Options)).ToArray());
    public ToyArch Parse(string text) => new(text.Split('-').Select(int.Parse).ToArray());
    public IEnumerable<ToyArch> All() => Enumerable.Range(0, 81).Select(c => new ToyArch(new[] { c / 27, c / 9 % 3, c / 3 % 3, c % 3 }));
    public ToyArch Mutate(ToyArch a, Random rng)
    {
        var d = (int[])a.D.Clone();
        int i = rng.Next(Decisions), v = rng.Next(Options - 1);
        d[i] = v >= d[i] ? v + 1 : v;
        return new ToyArch(d);
    }
    public IReadOnlyList<ToyArch> Neighbours(ToyArch a) =>
        Enumerable.Range(0, Decisions).SelectMany(i => Enumerable.Range(0, Options).Where(v => v != a.D[i])
            .Select(v => { var d = (int[])a.D.Clone(); d[i] = v; return new ToyArch(d); })).ToArray();
    public int EncodingLength(ArchitectureEncoding kind) => Decisions * Options;
    public float[] Encode(ToyArch a, ArchitectureEncoding kind)
    {
        var v = new float[Decisions * Options];
        for (int i = 0; i < Decisions; i++) v[i * Options + a.D[i]] = 1;
        return v;
    }
    public IReadOnlyList<int> Choices { get; } = Enumerable.Repeat(Options, Decisions).ToArray();
    public int[] ToDecisions(ToyArch a) => (int[])a.D.Clone();
    public ToyArch FromDecisions(IReadOnlyList<int> d) => new(d.ToArray());
}

/// <summary>A known landscape: the score falls with the distance to the optimum 2-0-1-2 (unique maximum 100).</summary>
public sealed class ToyEvaluator : IEvaluator<ToyArch>
{
    public static readonly ToyArch Optimum = new([2, 0, 1, 2]);
    public int Calls { get; private set; }
    public Evaluation Evaluate(ToyArch a, Fidelity f, CancellationToken ct = default)
    {
        Calls++;
        double score = 100 - 10 * a.D.Zip(Optimum.D).Sum(p => Math.Abs(p.First - p.Second)) - 0.1 * a.D.Sum();
        return new Evaluation(new Dictionary<string, double> { ["valid_acc"] = score, ["test_acc"] = score }, 1);
    }
}
