using NasKit.Spaces;

namespace NasKit.SearchSpaces.NasBenchMacro;

/// <summary>The three choices of every NAS-Bench-Macro layer, in the benchmark's digit order.</summary>
public enum MacroOp
{
    /// <summary>The layer is skipped (a 1×1 convolution and BN where it changes stride or width).</summary>
    Identity = 0,
    /// <summary>MobileNetV2 inverted residual, expansion 3, 3×3 depthwise kernel.</summary>
    InvertedResidualE3K3 = 1,
    /// <summary>MobileNetV2 inverted residual, expansion 6, 5×5 depthwise kernel.</summary>
    InvertedResidualE6K5 = 2,
}

/// <summary>
/// One NAS-Bench-Macro network: a choice for each of its 8 layers. Its text is the benchmark's key, one digit per
/// layer (<c>02012100</c>: layer 1 identity, layer 2 an e6k5 block, …).
/// </summary>
public sealed class MacroArchitecture : IArchitecture
{
    public const int Layers = 8;
    public const int SpaceSize = 6561; // 3^8

    /// <summary>Layers per stage; the first layer of a stage halves the resolution and doubles the channels.</summary>
    public static IReadOnlyList<int> Stages { get; } = [2, 3, 3];

    public static IReadOnlyList<string> OpNames { get; } = ["id", "ir_3x3_t3", "ir_5x5_t6"];

    private readonly MacroOp[] _ops;

    public MacroArchitecture(IReadOnlyList<MacroOp> ops)
    {
        if (ops.Count != Layers) throw new ArgumentException($"A NAS-Bench-Macro network has {Layers} layers, got {ops.Count}.");
        if (ops.Any(o => !Enum.IsDefined(o))) throw new ArgumentException("A NAS-Bench-Macro layer is 0 (identity), 1 (e3k3) or 2 (e6k5).");
        _ops = ops.ToArray();
    }

    public IReadOnlyList<MacroOp> Ops => _ops;
    public MacroOp this[int layer] => _ops[layer];

    /// <summary>Reads the benchmark's key: 8 digits, each 0, 1 or 2.</summary>
    public static MacroArchitecture Parse(string text)
    {
        var t = text?.Trim() ?? "";
        const string form = "8 digits, one per layer, each 0 (identity), 1 (MBConv e3 k3) or 2 (MBConv e6 k5), e.g. 02012100";
        if (t.Length != Layers) throw new ArchitectureFormatException(text ?? "", $"{t.Length} layers instead of {Layers}", form);
        if (t.FirstOrDefault(c => c is < '0' or > '2') is var bad and not '\0')
            throw new ArchitectureFormatException(text!, $"layer {t.IndexOf(bad) + 1} is '{bad}'", form);
        return new MacroArchitecture(t.Select(c => (MacroOp)(c - '0')).ToArray());
    }

    public string ToText() => string.Concat(_ops.Select(o => (char)('0' + (int)o)));
    public bool Equals(IArchitecture? other) => other is MacroArchitecture m && m._ops.AsSpan().SequenceEqual(_ops);
    public override bool Equals(object? obj) => obj is IArchitecture a && Equals(a);
    public override int GetHashCode() => _ops.Aggregate(0, (h, o) => h * 3 + (int)o);
    public override string ToString() => ToText();
}
