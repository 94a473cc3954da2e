using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.SearchSpaces.LcBench;
using NasKit.Spaces;

namespace NasKit.Tests.SearchSpaces.LcBench;

/// <summary>
/// The YAHPO LCBench surrogate as NasKit encodes it. The expected inputs are written out by hand from YAHPO's
/// lcbench config (cont_names epoch, batch_size, learning_rate, momentum, weight_decay, num_layers, max_units,
/// max_dropout, raw values as float32; cat_names OpenML_task_id, coded by encoding.json).
/// </summary>
public class LcBenchTests
{
    private static LcBenchSurrogate Surrogate => LcBenchBenchmarkEntry.Surrogate();

    private static readonly Dictionary<string, double> Defaults = new()
    {
        ["batch_size"] = 91, ["learning_rate"] = 0.0031622777, ["momentum"] = 0.545, ["weight_decay"] = 0.050005,
        ["num_layers"] = 3, ["max_units"] = 256, ["max_dropout"] = 0.5,
    };

    [Fact]
    public void Inputs_are_encoded_as_yahpo_does()
    {
        Assert.Equal([26f, 91f, 0.0031622777f, 0.545f, 0.050005f, 3f, 256f, 0.5f], Surrogate.ContinuousRow(Defaults, 26));
        // encoding.json: {"#na#": 0, "126025": 1, ..., "3945": 34, "7593": 35}
        Assert.Equal(34, Surrogate.TaskCode("3945"));
        Assert.Equal(1, Surrogate.TaskCode("126025"));
        Assert.Equal(35, Surrogate.TaskCode("7593"));
        Assert.Equal(34, Surrogate.Tasks.Count);
        Assert.DoesNotContain("167083", Surrogate.Tasks); // encoded, but not a task of the config space
        Assert.Equal((1, 52), (Surrogate.MinEpochs, Surrogate.MaxEpochs));
    }

    [Fact]
    public void Bad_inputs_are_refused_with_the_reason()
    {
        Assert.Contains("Tasks: 3945", Assert.Throws<ArgumentException>(() => Surrogate.TaskCode("12")).Message);
        Assert.Contains("[0.0001", Assert.Throws<ArgumentException>(() => Surrogate.ContinuousRow(new Dictionary<string, double>(Defaults) { ["learning_rate"] = 0.5 }, 1)).Message);
        Assert.Contains("whole number", Assert.Throws<ArgumentException>(() => Surrogate.ContinuousRow(new Dictionary<string, double>(Defaults) { ["batch_size"] = 90.5 }, 1)).Message);
        Assert.Contains("lacks 'momentum'", Assert.Throws<ArgumentException>(() => Surrogate.ContinuousRow(Defaults.Where(kv => kv.Key != "momentum").ToDictionary(), 1)).Message);
        Assert.Contains("epochs 1..52", Assert.Throws<ArgumentException>(() => Surrogate.ContinuousRow(Defaults, 53)).Message);
    }

    [Fact]
    public void The_space_follows_the_config_space_scales()
    {
        var space = Surrogate.CreateSpace();
        Assert.Equal(["batch_size", "learning_rate", "momentum", "weight_decay", "num_layers", "max_units", "max_dropout"], space.Decisions.Select(d => d.Name));
        double[] Grid(string name) => space.Decisions.Single(d => d.Name == name).Options.Select(o => double.Parse(o, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var lr = Grid("learning_rate");
        Assert.Equal(LcBenchSpace.DefaultGridPoints, lr.Length);
        Assert.Equal((1e-4, 0.1), (lr[0], lr[^1]));
        for (int i = 1; i < lr.Length; i++) Assert.Equal(Math.Pow(1000, 1.0 / 32), lr[i] / lr[i - 1], 2); // log scale
        var wd = Grid("weight_decay");
        for (int i = 2; i < wd.Length; i++) Assert.Equal(wd[1] - wd[0], wd[i] - wd[i - 1], 4); // linear scale
        var batch = Grid("batch_size");
        Assert.Equal((16, 512), (batch[0], batch[^1]));
        Assert.All(batch, b => Assert.Equal(Math.Round(b), b));
        Assert.Equal(batch.Distinct().Count(), batch.Length);
        Assert.Equal([1.0, 2, 3, 4, 5], Grid("num_layers"));
        var rng = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            var c = space.Sample(rng);
            Assert.Equal(c, space.Parse(c.ToText()));
            Surrogate.ContinuousRow(space.Values(c), 1); // every grid point is a valid input
        }
    }

    [Fact]
    public void Predictions_are_per_row_and_depend_on_task_epoch_and_configuration()
    {
        var epochs = Enumerable.Range(1, 52).ToArray();
        var batch = Surrogate.Predict("3945", Defaults, epochs);
        for (int e = 1; e <= 52; e += 17)
        {
            var single = Surrogate.Predict("3945", Defaults, [e])[0];
            Assert.Equal(single.ValidAccuracy, batch[e - 1].ValidAccuracy, 4);
            Assert.Equal(single.Seconds, batch[e - 1].Seconds, 3);
        }
        Assert.True(batch[^1].Seconds > 5 * batch[0].Seconds, "time is the cumulative training time: it grows with the epochs");
        Assert.All(batch, p => Assert.InRange(p.ValidAccuracy, 0, 100));
        var other = Surrogate.Predict("7593", Defaults, [52])[0];
        Assert.NotEqual(batch[^1].ValidAccuracy, other.ValidAccuracy, 2);
        var bigger = Surrogate.Predict("3945", new Dictionary<string, double>(Defaults) { ["learning_rate"] = 0.1, ["num_layers"] = 5 }, [52])[0];
        Assert.NotEqual(batch[^1].ValidAccuracy, bigger.ValidAccuracy, 3);
    }

    [Fact]
    public void The_evaluator_reports_the_trial_epoch_and_the_final_accuracy()
    {
        var space = Surrogate.CreateSpace();
        var evaluator = new LcBenchEvaluator(Surrogate, "3945");
        var c = space.Sample(new Random(1));
        var at6 = evaluator.Evaluate(c, new Fidelity(Epochs: 6));
        var at52 = evaluator.Evaluate(c, new Fidelity(Epochs: 52));
        var direct = Surrogate.Predict("3945", space.Values(c), [6, 52]);
        Assert.Equal(direct[0].ValidAccuracy, at6[Metrics.ValidAccuracy], 6);
        Assert.Equal(direct[1].ValidAccuracy, at6[LcBenchEvaluator.FinalValidAccuracy], 6);
        Assert.Equal(at52[Metrics.ValidAccuracy], at52[LcBenchEvaluator.FinalValidAccuracy], 6);
        Assert.Equal(6, at6.Curves![Metrics.ValidAccuracy].Count);
        Assert.Equal(direct[0].Seconds, at6.CostSeconds, 6);
        Assert.True(at52.CostSeconds > at6.CostSeconds);
        Assert.Contains("1..52", Assert.Throws<ArgumentException>(() => evaluator.Evaluate(c, new Fidelity(Epochs: 60))).Message);
        Assert.Throws<ArgumentException>(() => new LcBenchEvaluator(Surrogate, "1"));
    }
}
