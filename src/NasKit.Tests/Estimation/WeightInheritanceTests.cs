using NasKit.Data;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.SearchSpaces.Nb201;
using static TorchSharp.torch;

namespace NasKit.Tests.Estimation;

public class WeightInheritanceTests
{
    private static readonly NetworkShape Small = new(Channels: 4, CellsPerStage: 2);

    private static Nb201Network Build(Nb201Cell cell, int seed)
    {
        var net = new Nb201Network(cell, Small);
        SeededInitialization.Apply(net, seed);
        return net;
    }

    private static bool Same(nn.Module a, nn.Module b) =>
        a.parameters().Zip(b.parameters()).All(p => p.First.shape.SequenceEqual(p.Second.shape) && p.First.allclose(p.Second, rtol: 0, atol: 0));

    private static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    [Fact]
    public void A_child_takes_every_unchanged_part_of_its_parent_even_when_the_edit_shifts_module_positions()
    {
        // Edge 0 goes from none to a 1x1 conv: every later edge's module moves one position in the child's list.
        var parent = Nb201Cell.Parse("|none~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        var child = Nb201Cell.Parse("|nor_conv_1x1~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        var space = new Nb201Space();
        using var inheritance = new WeightInheritance<Nb201Cell>(space);
        using var trained = Build(parent, seed: 1); // stands for a trained parent: weights no child starts with
        inheritance.Remember(parent, Small, trained, score: 50);
        using var net = Build(child, seed: 2);
        using var fresh = Build(child, seed: 2);
        var result = inheritance.Initialise(child, Small, net);

        Assert.NotNull(result);
        Assert.Equal(parent, result.Value.Parent);
        Assert.True(Same(net.StemModule, trained.StemModule));
        Assert.True(Same(net.Classifier, trained.Classifier));
        long changed = 0;
        for (int k = 0; k < net.Stages.Count; k++)
        {
            if (net.Stages[k] is not Nb201InferCell cell) { Assert.True(Same(net.Stages[k], trained.Stages[k])); continue; }
            var parentCell = (Nb201InferCell)trained.Stages[k];
            Assert.True(Same(cell.EdgeModule(0)!, ((Nb201InferCell)fresh.Stages[k]).EdgeModule(0)!)); // the new conv keeps its own initialisation
            changed += Count(cell.EdgeModule(0)!);
            foreach (int e in new[] { 1, 4, 5 }) Assert.True(Same(cell.EdgeModule(e)!, parentCell.EdgeModule(e)!), $"cell {k}, edge {e}");
        }
        Assert.Equal((double)(Count(net) - changed) / Count(net), result.Value.Fraction, 9);
    }

    [Fact]
    public void Only_a_network_one_edit_away_and_of_the_same_shape_is_a_parent()
    {
        var space = new Nb201Space();
        using var inheritance = new WeightInheritance<Nb201Cell>(space, capacity: 2);
        var a = Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        var twoAway = Nb201Cell.Parse("|nor_conv_1x1~0|+|avg_pool_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        using (var net = Build(a, 1)) inheritance.Remember(a, Small, net, 10);
        using (var net = Build(twoAway, 3)) Assert.Null(inheritance.Initialise(twoAway, Small, net));
        var oneAway = Nb201Cell.Parse("|nor_conv_1x1~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        using (var net = new Nb201Network(oneAway, Small with { Channels = 8 })) Assert.Null(inheritance.Initialise(oneAway, Small with { Channels = 8 }, net));
        using (var net = Build(oneAway, 3)) Assert.NotNull(inheritance.Initialise(oneAway, Small, net));
        // Bounded: the oldest kept network goes first.
        using (var net = Build(twoAway, 3)) inheritance.Remember(twoAway, Small, net, 20);
        using (var net = Build(oneAway, 3)) inheritance.Remember(oneAway, Small, net, 30);
        Assert.Equal(2, inheritance.Count);
        Assert.Equal(2, inheritance.Distance(a, twoAway));
        Assert.Throws<ArgumentException>(() => new WeightInheritance<NasKit.SearchSpaces.NasBenchMacro.MacroArchitecture>(new NasKit.SearchSpaces.NasBenchMacro.MacroSpace()));
    }

    [Fact]
    public void The_study_trains_parents_then_each_child_from_inherited_weights_and_from_scratch()
    {
        var (train, test) = DatasetReaders.ByName("cifar10-subset");
        train = train.Split(96, 0).First;
        test = test.Split(64, 0).First;
        var space = new Nb201Space();
        var bench = Nb201Benchmark.Load();
        var rows = InheritanceStudy.Run(space, inh => new TrainingEvaluator<Nb201Cell>(space, train, test, 5, Small, new TrainingHyperparameters(BatchSize: 32))
            { Inheritance = inh }, new InheritanceSettings(Parents: 2, ChildrenPerParent: 2, ParentEpochs: 1, FineTuneEpochs: 1), seed: 5, c => bench.TestAccuracy(c));
        Assert.Equal(4, rows.Count);
        var inheritance = new WeightInheritance<Nb201Cell>(space);
        Assert.All(rows, r =>
        {
            Assert.Equal(1, inheritance.Distance(space.Parse(r.Parent), space.Parse(r.Child)));
            Assert.InRange(r.InheritedFraction, 0.5, 1.0); // one edge of six changed in every cell
            Assert.InRange(r.InheritedAccuracy, 0, 100);
            Assert.InRange(r.ScratchAccuracy, 0, 100);
            Assert.Equal(bench.TestAccuracy(space.Parse(r.Child)), r.Truth);
        });
        Assert.Equal(2, rows.Select(r => r.Parent).Distinct().Count());
        Assert.Throws<ArgumentException>(() => new InheritanceSettings(Parents: 1).Validated());
    }
}
