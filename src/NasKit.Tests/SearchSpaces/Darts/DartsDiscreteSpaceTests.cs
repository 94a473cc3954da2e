using NasKit.Data;
using NasKit.Estimation;
using NasKit.Execution;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.SearchSpaces.Darts;
using NasKit.Spaces;
using NasKit.Strategies;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.Darts;

/// <summary>The DARTS cell space as a discrete space: what RS, REA, local search, BANANAS and REINFORCE need.</summary>
public class DartsDiscreteSpaceTests
{
    private static readonly DartsSpace Space = new();

    [Fact]
    public void The_space_counts_its_genotypes_and_round_trips_the_reference_text()
    {
        // Per cell: node k (k = 2..5) picks 2 of its k inputs and one of 7 ops for each: (1·3·6·10 · 7^8)^2.
        long perCell = 1L * 3 * 6 * 10 * (long)Math.Pow(7, 8);
        Assert.Equal(perCell * perCell, Space.Count);
        var rng = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            var g = Space.Sample(rng);
            Assert.Equal(g, Space.Parse(g.ToText()));
            Assert.All(g.Normal.Chunk(2).Concat(g.Reduce.Chunk(2)), pair => Assert.True(pair[0].Input < pair[1].Input));
            Assert.DoesNotContain(g.Normal.Concat(g.Reduce), e => e.Op == DartsOp.None);
        }
    }

    [Fact]
    public void A_published_genotype_is_one_discrete_architecture_with_each_node_lower_input_first()
    {
        var v2 = Space.Parse(PublishedGenotypes.DartsV2.ToText());
        // The same network: every node keeps its two (op, input) edges, only their order may change.
        foreach (var (mine, theirs) in new[] { (v2.Normal, PublishedGenotypes.DartsV2.Normal), (v2.Reduce, PublishedGenotypes.DartsV2.Reduce) })
            for (int k = 0; k < 8; k += 2)
                Assert.Equal(theirs.Skip(k).Take(2).OrderBy(e => e.Input), mine.Skip(k).Take(2));
        var twice = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 0), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";
        Assert.Contains("takes state 0 twice", Assert.Throws<ArchitectureFormatException>(() => Space.Parse(twice)).Message);
    }

    [Fact]
    public void Mutation_changes_one_input_pair_or_one_op_and_encoding_is_one_hot()
    {
        var rng = new Random(2);
        for (int i = 0; i < 200; i++)
        {
            var g = Space.Sample(rng);
            var m = Space.Mutate(g, rng);
            int differing = Space.ToDecisions(g).Zip(Space.ToDecisions(m)).Count(p => p.First != p.Second);
            Assert.Equal(1, differing);
        }
        var v = Space.Encode(Space.Sample(rng), ArchitectureEncoding.OneHot);
        Assert.Equal(Space.Decisions.Sum(d => d.Count), v.Length);
        Assert.Equal(Space.Decisions.Count, v.Sum());
    }

    /// <summary>The whole path of a discrete search on DARTS: strategies propose genotypes, the training evaluator builds and trains them.</summary>
    [Fact]
    public void Regularized_evolution_trains_darts_genotypes_with_the_training_evaluator()
    {
        TorchRuntime.EnsureLoaded();
        var g = new Generator(4);
        var pixels = randint(0, 256, [64, 3, 16, 16], dtype: ScalarType.Byte, generator: g).data<byte>().ToArray();
        var labels = randint(0, 10, [64], dtype: ScalarType.Byte, generator: g).data<byte>().ToArray();
        var data = new ImageDataset("noise", pixels, labels, 3, 16, 16, 10);
        var evaluator = new TrainingEvaluator<DartsGenotype>(Space, data, data, seed: 0, new NetworkShape(8, 1), new TrainingHyperparameters(BatchSize: 32));
        var study = new Study<DartsGenotype>(new InMemoryTrialQueue(), new StudySpec("darts", Space.Name, "rea", 0), Space, Budget.OfQueries(3), new Fidelity(Epochs: 1));
        var result = study.Run(new RegularizedEvolution<DartsGenotype>(Space, Objective.Max(Metrics.ValidAccuracy), 0, populationSize: 2, sampleSize: 2).WithStandardWrappers(),
                               evaluator);
        Assert.Equal(3, result.Trials.Count);
        Assert.All(result.Trials, t =>
        {
            Assert.False(t.Evaluation.Failed, t.Evaluation.Reason);
            Assert.InRange(t.Evaluation[Metrics.ValidAccuracy], 0, 100);
            Assert.True(t.Evaluation[Metrics.Parameters] > 0);
        });
    }
}
