using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Networks;

/// <summary>The nonlinearity of a network's convolution units (JAHS-Bench-201 searches ReLU, Hardswish and Mish).</summary>
public enum Activation
{
    ReLU,
    Hardswish,
    Mish,
}

public static class Activations
{
    public static nn.Module<Tensor, Tensor> Create(Activation activation) => activation switch
    {
        Activation.ReLU => nn.ReLU(),
        Activation.Hardswish => nn.Hardswish(),
        Activation.Mish => nn.Mish(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    /// <summary>Reads relu, hardswish or mish (any case).</summary>
    public static Activation Parse(string name) => Enum.TryParse<Activation>(name, ignoreCase: true, out var a) && Enum.IsDefined(a) ? a
        : throw new ArgumentException($"Unknown activation '{name}'. Use {string.Join(", ", Enum.GetNames<Activation>().Select(n => n.ToLowerInvariant()))}.");
}
