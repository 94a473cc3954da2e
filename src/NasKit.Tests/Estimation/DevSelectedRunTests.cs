using NasKit.Estimation;

namespace NasKit.Tests.Estimation;

public class DevSelectedRunTests
{
    private sealed record FakeEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double DevAccuracy, double TestAccuracy) : IClassifierEpoch;

    private sealed record FakeRun(IReadOnlyList<IClassifierEpoch> Epochs, double DevAccuracy, double TestAccuracy, double Seconds, long Parameters, string? Failure = null) : IDevSelectedRun;

    [Fact]
    public void A_run_becomes_one_evaluation_in_the_kits_metric_vocabulary()
    {
        IClassifierEpoch[] epochs = [new FakeEpoch(1, 2.0, 30, 40, 41), new FakeEpoch(2, 1.5, 50, 60, 58), new FakeEpoch(3, 1.2, 60, 55, 57)];
        var e = new FakeRun(epochs, 60, 58, 12.5, 250_000).ToEvaluation(5, [new(Metrics.CpuLatency, 0.7)]);
        Assert.False(e.Failed);
        Assert.Equal(60, e[Metrics.ValidAccuracy]);
        Assert.Equal(58, e[Metrics.TestAccuracy]);
        Assert.Equal(1.2, e[Metrics.TrainLoss]); // the last epoch's, not the selected one's
        Assert.Equal(60, e[Metrics.TrainAccuracy]);
        Assert.Equal(0.25, e[Metrics.Parameters]);
        Assert.Equal(0.7, e[Metrics.CpuLatency]);
        Assert.Equal(12.5, e.CostSeconds);
        Assert.Equal([40.0, 60, 55], e.Curves![Metrics.ValidAccuracy]);
        Assert.Equal(3, e.StoppedAt); // 3 of 5 planned epochs ran
        Assert.Null(new FakeRun(epochs, 60, 58, 12.5, 250_000).ToEvaluation(3).StoppedAt);
    }

    [Fact]
    public void A_diverged_run_is_a_failure_with_its_reason_and_cost()
    {
        var e = new FakeRun([], double.NaN, double.NaN, 3, 1000, "the training loss became NaN in epoch 1").ToEvaluation(5);
        Assert.True(e.Failed);
        Assert.Equal("the training loss became NaN in epoch 1", e.Reason);
        Assert.Equal(3, e.CostSeconds);
        Assert.Empty(e.Metrics);
    }
}
