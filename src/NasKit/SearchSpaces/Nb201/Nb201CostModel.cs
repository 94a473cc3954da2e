using NasKit.Networks;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// Analytical cost of an NB201 network: parameters, and FLOPs counted as multiply-accumulates of convolutions
/// and the linear head plus the adds of pooling (NB201's own convention for its "FLOPs"; BN and ReLU are not
/// counted). Works for any <see cref="NetworkShape"/> and input size, without building the network.
/// </summary>
public static class Nb201CostModel
{
    public static long Parameters(Nb201Cell cell, NetworkShape shape)
    {
        long c = shape.Channels, p = shape.InputChannels * c * 9 + 2 * c; // stem conv + BN
        for (int stage = 0; stage < 3; stage++)
        {
            long ch = c << stage;
            if (stage > 0)
            {
                long cin = ch / 2;
                p += cin * ch * 9 + 2 * ch + ch * ch * 9 + 2 * ch + cin * ch; // conv_a, conv_b, 1x1 shortcut
            }
            p += shape.CellsPerStage * CellParameters(cell, ch);
        }
        long last = c << 2;
        return p + 2 * last + last * shape.Classes + shape.Classes;
    }

    public static long CellParameters(Nb201Cell cell, long channels) => cell.Ops.Sum(op => op switch
    {
        Nb201Op.NorConv3x3 => channels * channels * 9 + 2 * channels,
        Nb201Op.NorConv1x1 => channels * channels + 2 * channels,
        _ => 0L,
    });

    /// <summary>FLOPs for one image of <paramref name="resolution"/>² pixels.</summary>
    public static long Flops(Nb201Cell cell, NetworkShape shape, int resolution = 32)
    {
        long c = shape.Channels, hw = (long)resolution * resolution;
        long f = hw * c * shape.InputChannels * 9;
        for (int stage = 0; stage < 3; stage++)
        {
            long ch = c << stage;
            long side = resolution >> stage;
            long area = side * side;
            if (stage > 0)
            {
                long cin = ch / 2;
                f += area * ch * cin * 9 + area * ch * ch * 9 + area * cin * 4 + area * cin * ch;
            }
            long cellFlops = cell.Ops.Sum(op => op switch
            {
                Nb201Op.NorConv3x3 => area * ch * ch * 9,
                Nb201Op.NorConv1x1 => area * ch * ch,
                Nb201Op.AvgPool3x3 => area * ch * 9,
                _ => 0L,
            });
            f += shape.CellsPerStage * cellFlops;
        }
        long last = c << 2;
        return f + last * shape.Classes + shape.Classes;
    }

    /// <summary>
    /// Peak activation memory of inference, in bytes, for a float32 batch: the largest set of tensors alive at
    /// once while a cell runs (its input plus every node computed so far), over all cells and reduction blocks.
    /// Analytical (the network is not run); weights are not counted.
    /// </summary>
    public static long PeakActivationBytes(Nb201Cell cell, NetworkShape shape, int resolution = 32, int batch = 1)
    {
        long peak = 0;
        int liveNodes = 1 + Enumerable.Range(1, 3).Count(j => Enumerable.Range(0, j).Any(i => cell.Op(i, j) != Nb201Op.None));
        for (int stage = 0; stage < 3; stage++)
        {
            long side = resolution >> stage;
            long tensor = (long)(shape.Channels << stage) * side * side;
            peak = Math.Max(peak, liveNodes * tensor);
            if (stage > 0) peak = Math.Max(peak, tensor * 2 + 4 * tensor / 2); // block input (C/2 at 2x side) + two outputs
        }
        peak = Math.Max(peak, (long)shape.InputChannels * resolution * resolution + (long)shape.Channels * resolution * resolution);
        return peak * batch * sizeof(float);
    }
}
