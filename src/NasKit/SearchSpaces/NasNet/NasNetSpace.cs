using System.Globalization;
using NasKit.Networks;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.SearchSpaces.NasNet;

/// <summary>
/// The NASNet search space (Zoph et al., CVPR 2018): a normal and a reduction cell, each of 5 combinations choosing two
/// inputs among the cell's two inputs and earlier combinations and one of 13 ops for each: 40 decisions,
/// (13^10 · 2²·3²·4²·5²·6²)² ≈ 5e33 genotypes (inputs counted in order). Searched cells concatenate the combinations no
/// later one reads.
/// Sampling, mutation, neighbours, crossover, the categorical decisions and the one-hot encoding come from
/// <see cref="DecisionSpace{TArch}"/>; the network is TF-slim's NASNet CIFAR model (<see cref="NasNetNetwork"/>).
/// </summary>
public sealed class NasNetSpace() : DecisionSpace<NasNetGenotype>("nasnet", CellDecisions("normal").Concat(CellDecisions("reduce")).ToArray()),
    IBuildableSpace<NasNetGenotype>
{
    /// <summary>NASNet-A on CIFAR-10: F=32 filters, N=6 cells per stack (the paper's "NASNet-A (6 @ 768)").</summary>
    public static NetworkShape Cifar10Shape { get; } = new(Channels: 32, CellsPerStage: 6);

    private static IEnumerable<Decision> CellDecisions(string cell)
    {
        for (int i = 0; i < NasNetCell.CombinationCount; i++)
        {
            var inputs = Enumerable.Range(0, 2 + i).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
            foreach (var side in new[] { "left", "right" })
            {
                yield return Decision.Categorical($"{cell}{i + 1}.{side}.input", inputs);
                yield return Decision.Categorical($"{cell}{i + 1}.{side}.op", [.. NasNetGenotype.OpNames]);
            }
        }
    }

    protected override NasNetGenotype FromValues(int[] values) => new(Cell(values, 0), Cell(values, 4 * NasNetCell.CombinationCount));

    private static NasNetCell Cell(int[] v, int at) => new(Enumerable.Range(0, NasNetCell.CombinationCount).Select(i =>
        new NasNetCombination(v[at + 4 * i], (NasNetOp)v[at + 4 * i + 1], v[at + 4 * i + 2], (NasNetOp)v[at + 4 * i + 3])).ToArray());

    /// <summary>The decisions of a genotype; an explicit concat (the published NASNet-A) is not a decision and is dropped.</summary>
    protected override int[] ValuesOf(NasNetGenotype g) =>
        new[] { g.Normal, g.Reduce }.SelectMany(c => c.Combinations.SelectMany(x => new[] { x.LeftInput, (int)x.LeftOp, x.RightInput, (int)x.RightOp })).ToArray();

    public override NasNetGenotype Parse(string text) => NasNetGenotype.Parse(text);

    /// <summary>Builds on the CPU: <paramref name="shape"/>'s channels are F, its cells per stage N.</summary>
    public nn.Module<Tensor, Tensor> Build(NasNetGenotype arch, NetworkShape shape) => new NasNetNetwork(arch, shape);

    public NetworkShape ReferenceShape => Cifar10Shape;
}
