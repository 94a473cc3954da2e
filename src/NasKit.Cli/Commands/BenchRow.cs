namespace NasKit.Cli.Commands;

/// <summary>One line of <c>naskit bench all</c>: a measure of NasKit next to its peer's (NaN when it has none,
/// as for memory growth, which is judged against a goal, not a peer). <paramref name="PairedRatio"/>, when given, is
/// the median of per-round ratios of measurements taken back to back, which a noisy machine disturbs less than the
/// ratio of the two sides' medians.</summary>
internal sealed record BenchRow(string Bench, string Measure, double NasKit, double Peer, string Unit, double? PairedRatio = null)
{
    public double Ratio => PairedRatio ?? NasKit / Peer;

    public static BenchRow Growth(string bench, string measure, double percent) => new(bench, measure, percent, double.NaN, "%");
}
