using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Tests.Strategies;

/// <summary>Test spaces written as decisions, the way a user adds a space.</summary>
public static class Toy
{
    /// <summary>4 decisions × 3 options: 81 architectures.</summary>
    public static DecisionSpace Small() => Space("toy", 4, 3);

    /// <summary>8 decisions × 4 options: 65,536 architectures, where 150 random draws land far from the optimum.</summary>
    public static DecisionSpace Large() => Space("toy-large", 8, 4);

    private static DecisionSpace Space(string name, int decisions, int options) =>
        new(name, Enumerable.Range(0, decisions).Select(i => Decision.Categorical($"d{i}", [.. Enumerable.Range(0, options).Select(v => $"{v}")])).ToArray());

    /// <summary>The architecture with these option indices.</summary>
    public static Choices Arch(this DecisionSpace space, params int[] values) => space.Create(values);
}

/// <summary>
/// A known, separable landscape: the score falls by 10 per unit of distance from the optimum in each decision (unique
/// maximum 100 at <see cref="Optimum"/>), with a small tie-breaker. Counts its calls.
/// </summary>
public sealed class ToyEvaluator(IReadOnlyList<int> optimum) : IEvaluator<Choices>
{
    /// <summary>The optimum of <see cref="Toy.Small"/>: 2-0-1-2.</summary>
    public static readonly int[] SmallOptimum = [2, 0, 1, 2];
    /// <summary>The optimum of <see cref="Toy.Large"/>.</summary>
    public static readonly int[] LargeOptimum = [3, 0, 2, 1, 3, 1, 0, 2];

    public ToyEvaluator() : this(SmallOptimum) { }

    public IReadOnlyList<int> Optimum { get; } = optimum;
    public double Best => Score(Optimum);
    public int Calls { get; private set; }

    public double Score(IReadOnlyList<int> v) => 100 - 10 * v.Zip(Optimum).Sum(p => Math.Abs(p.First - p.Second)) - 0.1 * v.Sum();

    public Evaluation Evaluate(Choices a, Fidelity f, TrialContext? context = null)
    {
        Interlocked.Increment(ref _calls);
        Calls = _calls;
        double score = Score(a.Values);
        return new Evaluation(new Dictionary<string, double> { [Metrics.ValidAccuracy] = score, [Metrics.TestAccuracy] = score }, 1);
    }

    private int _calls;
}
