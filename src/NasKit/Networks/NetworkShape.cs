namespace NasKit.Networks;

/// <summary>
/// The macro skeleton a cell is placed in: channels of the first stage (C), cells per stage (N), classes
/// and input channels. The defaults (C=16, N=5, 10 classes, 3 input channels) are NAS-Bench-201's CIFAR-10 network.
/// </summary>
public sealed record NetworkShape(int Channels = 16, int CellsPerStage = 5, int Classes = 10, int InputChannels = 3)
{
    /// <summary>False builds the network without batch norm (synflow's reference scores networks that way).</summary>
    public bool BatchNorm { get; init; } = true;

    /// <summary>The nonlinearity of every convolution unit and of the head (NB201: ReLU).</summary>
    public Activation Activation { get; init; } = Activation.ReLU;
}
