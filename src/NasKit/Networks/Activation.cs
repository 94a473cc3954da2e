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
        Activation.Mish => new ExplicitMish(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    /// <summary>Reads relu, hardswish or mish (any case).</summary>
    public static Activation Parse(string name) => Enum.TryParse<Activation>(name, ignoreCase: true, out var a) && Enum.IsDefined(a) ? a
        : throw new ArgumentException($"Unknown activation '{name}'. Use {string.Join(", ", Enum.GetNames<Activation>().Select(n => n.ToLowerInvariant()))}.");
}

/// <summary>
/// Mish (Misra 2019), x·tanh(softplus(x)), with softplus written as relu(x) + log1p(exp(−|x|)): the same values as
/// TorchSharp's <c>nn.Mish</c> (whose softplus beta = 1, threshold = 20 are equal in float32), without the implicit
/// Scalars its softplus passes to libtorch, which the finalizer can free mid-call (training runs with Mish failed
/// with "Expected false to be true ... toFloat": 7 of 81 Mish trainings in one comparison).
/// </summary>
public sealed class ExplicitMish() : nn.Module<Tensor, Tensor>(nameof(ExplicitMish))
{
    public override Tensor forward(Tensor x)
    {
        var softplus = nn.functional.relu(x).Plus(x.abs().neg().exp().log1p());
        return x.mul(softplus.tanh());
    }
}
