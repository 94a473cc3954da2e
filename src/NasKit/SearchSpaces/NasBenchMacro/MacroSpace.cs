using NasKit.Networks;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.NasBenchMacro;

/// <summary>
/// The NAS-Bench-Macro space (Su et al., CVPR 2021): 8 layers, each identity or one of two MobileNetV2 blocks, one
/// categorical decision per layer, 3^8 = 6,561 networks. Sampling, mutation, neighbours, crossover and the one-hot
/// encoding come from <see cref="DecisionSpace{TArch}"/>; this class adds the benchmark's text form, the network and
/// its cost model. <see cref="DecisionSpace{TArch}.All"/> enumerates in the code order (the keys read as base-3 numbers).
/// </summary>
public sealed class MacroSpace : DecisionSpace<MacroArchitecture>, IBuildableSpace<MacroArchitecture>, ICostModelSpace<MacroArchitecture>
{
    /// <summary>The benchmark's network: 32 stem channels, 10 classes.</summary>
    public static NetworkShape BenchmarkShape { get; } = new(Channels: 32, CellsPerStage: 1, Classes: 10);

    public MacroSpace() : base("nasbench-macro", Enumerable.Range(1, MacroArchitecture.Layers)
        .Select(l => Decision.Categorical($"layer{l}", [.. MacroArchitecture.OpNames])).ToArray()) { }

    protected override MacroArchitecture FromValues(int[] values) => new(values.Select(v => (MacroOp)v).ToArray());
    protected override int[] ValuesOf(MacroArchitecture arch) => arch.Ops.Select(o => (int)o).ToArray();

    /// <summary>The benchmark's key (<see cref="MacroArchitecture.Parse"/>).</summary>
    public override MacroArchitecture Parse(string text) => MacroArchitecture.Parse(text);

    /// <summary>Builds on the CPU; <paramref name="shape"/>'s channels are the stem's (the benchmark: 32), its cells per stage are not used.</summary>
    public nn.Module<Tensor, Tensor> Build(MacroArchitecture arch, NetworkShape shape) => new MacroNetwork(arch, shape);

    public NetworkShape ReferenceShape => BenchmarkShape;

    public long Parameters(MacroArchitecture arch, NetworkShape shape) => MacroCostModel.Parameters(arch, shape);
    public long Flops(MacroArchitecture arch, NetworkShape shape, int resolution) => MacroCostModel.Flops(arch, shape, resolution);
}
