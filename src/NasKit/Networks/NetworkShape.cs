namespace NasKit.Networks;

/// <summary>
/// The macro skeleton a cell is placed in: channels of the first stage (C), cells per stage (N), classes
/// and input channels. Defaults are the NAS-Bench-201 ones (C=16, N=5, CIFAR-10).
/// </summary>
public sealed record NetworkShape(int Channels = 16, int CellsPerStage = 5, int Classes = 10, int InputChannels = 3)
{
    /// <summary>False builds the network without batch norm (synflow's reference scores networks that way).</summary>
    public bool BatchNorm { get; init; } = true;

    public static NetworkShape Nb201Cifar10 { get; } = new();
}
