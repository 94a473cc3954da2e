using NasKit.Networks;

namespace NasKit.Estimation.ZeroCost;

/// <summary>Number of trainable parameters, in millions: the baseline every proxy should beat.</summary>
public sealed class ParameterCount : IZeroCostProxy
{
    public string Name => "params";
    public int Order => 80;
    public string Description => "Model size in millions of parameters (a baseline).";
    public bool UsesData => false;

    public double Score(ProxyInput input)
    {
        using var net = input.Network();
        return net.ParameterCount() / 1e6;
    }
}
