using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.Spaces;
using NasKit.Execution;
using NasKit.Tests.Strategies;

namespace NasKit.Tests.Reports;

public class AnytimeCurveTests
{
    private static SearchRun<Choices> Run(params (int Epochs, double BestSoFar)[] trials)
    {
        var space = Toy.Small();
        var a = space.Arch(0, 0, 0, 0);
        var list = trials.Select((t, i) => new Trial<Choices>(i, a, new Fidelity(Epochs: t.Epochs), new Evaluation(new Dictionary<string, double>(), 0), 0, i)).ToArray();
        return new SearchRun<Choices>("s", 0, 0, list, trials.Select(t => t.BestSoFar).ToArray(), trials[^1].BestSoFar, 0);
    }

    [Fact]
    public void The_curve_is_each_runs_incumbent_at_the_epochs_spent_then_median_and_quartiles()
    {
        // Run A: 10 epochs → 1, 30 → 3. Run B: 20 → 2, 40 → 4. Run C: 40 → 6.
        var runs = new[] { Run((10, 1), (20, 3)), Run((20, 2), (20, 4)), Run((40, 6)) };
        var c = AnytimeCurve.Of("s", runs, budget: 40, points: 4);
        Assert.Equal([10.0, 20, 30, 40], c.Epochs);
        Assert.Equal(1, c.Median[0]);            // only A has an incumbent at 10 epochs
        Assert.Equal(1.5, c.Median[1]);          // A 1, B 2
        Assert.Equal(2.5, c.Median[2]);          // A 3, B 2
        Assert.Equal(4, c.Median[3]);            // A 3, B 4, C 6
        Assert.Equal(3.5, c.Lower[3]);           // numpy's linear quantiles of 3, 4, 6
        Assert.Equal(5, c.Upper[3]);
    }
}
