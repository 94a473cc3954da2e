using NasKit.Strategies;
using NasKit.SearchSpaces.Nb201;
using NasKit.Estimation;
using NasKit.Catalogs;
using NasKit.Analysis;
using NasKit.Experiments;

namespace NasKit.Tests.Analysis;

/// <summary>
/// Hypervolume references computed independently by inclusion-exclusion over all subsets (exact), with
/// /usr/bin/python3: hv(points, ref) = Σ over non-empty subsets S of (-1)^(|S|+1) Π_k (ref_k - max_{p∈S} p_k).
/// Points drawn with random.seed(1), uniform(0, 10), rounded to 2 decimals; reference (11, 11[, 11]).
/// </summary>
public class ParetoTests
{
    private static readonly double[][] P2 = [[1.34, 8.47], [7.64, 2.55], [4.95, 4.49], [6.52, 7.89], [0.94, 0.28], [8.36, 4.33], [7.62, 0.02], [4.45, 7.22], [2.29, 9.45]];
    private static readonly double[][] P3 = [[9.01, 0.31, 0.25], [5.41, 9.39, 3.81], [2.17, 4.22, 0.29], [2.22, 4.38, 4.96], [2.33, 2.31, 2.19], [4.6, 2.9, 0.21], [8.38, 5.56, 6.42], [1.86, 9.93, 8.6], [1.21, 3.33, 7.21]];

    [Fact]
    public void Hypervolume_2d_matches_inclusion_exclusion() =>
        Assert.Equal(108.72199999999958, Hypervolume.Compute(P2, [11, 11]), 9);

    [Fact]
    public void Hypervolume_3d_matches_inclusion_exclusion() =>
        Assert.Equal(880.7781889999983, Hypervolume.Compute(P3, [11, 11, 11]), 9);

    [Fact]
    public void Hypervolume_of_simple_sets()
    {
        Assert.Equal(1.0, Hypervolume.Compute([[0.0, 0.0]], [1, 1]), 12);
        Assert.Equal(3.0, Hypervolume.Compute([[0.0, 1.0], [1.0, 0.0]], [2, 2]), 12);      // two 2x1 boxes overlapping in 1
        Assert.Equal(0.0, Hypervolume.Compute([[3.0, 0.0]], [2, 2]), 12);                  // outside the reference
        Assert.Equal(5.0, Hypervolume.Compute([[0.0, 0.0, 1.0], [1.0, 1.0, 0.0]], [2, 2, 2]), 12); // by hand: 2x2x1 + 1x1x2 - 1x1x1
        // Dominated points change nothing.
        Assert.Equal(Hypervolume.Compute(P2, [11, 11]), Hypervolume.Compute(P2.Append([9.0, 9.0]).ToArray(), [11, 11]), 12);
    }

    [Fact]
    public void Front_and_ranks_on_a_known_set()
    {
        double[][] p = [[1, 5], [2, 2], [5, 1], [3, 3], [4, 4], [2, 2], [6, 6]];
        Assert.Equal([0, 1, 2, 5], Pareto.Front(p));
        Assert.Equal([0, 0, 0, 1, 2, 0, 3], Pareto.NonDominatedRanks(p));
        double[][] q = [[1, 5, 0], [2, 2, 2], [5, 1, 1], [3, 3, 3]];
        Assert.Equal([0, 1, 2], Pareto.Front(q));
    }

    [Fact]
    public void Crowding_distance_gives_boundaries_infinity()
    {
        double[][] p = [[0, 4], [1, 2], [2, 1], [4, 0]];
        var d = Pareto.CrowdingDistance(p);
        Assert.True(double.IsPositiveInfinity(d[0]) && double.IsPositiveInfinity(d[3]));
        Assert.Equal((2 - 0) / 4.0 + (4 - 1) / 4.0, d[1], 12);
    }

    [Fact]
    public void Nsga2_beats_random_search_on_the_nb201_latency_front()
    {
        var protocol = new ParetoProtocol<Nb201Cell>(TestData.Nb201.Space, new Nb201TabularEvaluator(TestData.Nb201), Objective.ParseList("test_acc,pixel3_latency"),
                                                     fidelity: new Fidelity(Epochs: 200)) { Queries = 300 };
        var (trueHv, _) = protocol.TrueFront();
        double Gap(string s) => protocol.Run(Catalog<IStrategyFactory>.Get(s), 10, 0).Average(r => trueHv - r.Hypervolume);
        Assert.True(Gap("nsga2") < Gap("random"));
    }

    [Fact]
    public void Constraints_parse_and_bad_ones_are_refused()
    {
        var c = Objective.Parse("pixel3_latency<=5");
        Assert.Equal(new Objective("pixel3_latency", false, 5), c);
        Assert.Equal([Objective.Max("test_acc"), Objective.Min("pixel3_latency"), Objective.Min("params_m"), Objective.Max("score")],
                     Objective.ParseList("test_acc, pixel3_latency,params_m,max:score"));
        Assert.Throws<FormatException>(() => Objective.Parse("pixel3_latency=5"));
        Assert.Contains("must look like metric<=value", Assert.Throws<FormatException>(() => Objective.ParseConstraint("pixel3_latency")).Message);
        Assert.Contains("given twice", Assert.Throws<FormatException>(() => Objective.ParseList("test_acc,test_acc")).Message);
        var unknown = Assert.Throws<ArgumentException>(() => new ParetoProtocol<Nb201Cell>(TestData.Nb201.Space, new Nb201TabularEvaluator(TestData.Nb201),
                                                                                           Objective.ParseList("test_acc,pixel9_latency")));
        Assert.Contains("pixel9_latency", unknown.Message);
    }
}
