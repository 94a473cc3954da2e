using NasKit.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using NasKit.Networks;

namespace NasKit.SearchSpaces.Darts;

/// <summary>
/// One cell of a discrete DARTS network (the reference's eval <c>Cell</c>): preprocess the two inputs to C channels
/// (a factorized reduction when the previous cell reduced), then each node sums two ops of earlier states; the
/// output concatenates the listed nodes. In a reduction cell the ops reading the inputs have stride 2.
/// </summary>
public sealed class DartsCell : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> preprocess0, preprocess1;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> ops = new();
    private readonly int[] _inputs;
    private readonly int[] _concat;

    public int Multiplier => _concat.Length;

    public DartsCell(DartsGenotype genotype, long cPrevPrev, long cPrev, long c, bool reduction, bool reductionPrev) : base(nameof(DartsCell))
    {
        preprocess0 = reductionPrev ? new FactorizedReduce(cPrevPrev, c) : new ReluConvBn(cPrevPrev, c, 1, 1, 0);
        preprocess1 = new ReluConvBn(cPrev, c, 1, 1, 0);
        var edges = reduction ? genotype.Reduce : genotype.Normal;
        _concat = (reduction ? genotype.ReduceConcat : genotype.NormalConcat).ToArray();
        _inputs = edges.Select(e => e.Input).ToArray();
        foreach (var e in edges) ops.Add(DartsOperations.Create(e.Op, c, reduction && e.Input < 2 ? 2 : 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor s0, Tensor s1)
    {
        var states = new List<Tensor> { preprocess0.call(s0), preprocess1.call(s1) };
        for (int k = 0; k < _inputs.Length; k += 2)
            states.Add(ops[k].call(states[_inputs[k]]).Plus(ops[k + 1].call(states[_inputs[k + 1]])));
        return cat(_concat.Select(i => states[i]).ToArray(), 1);
    }
}

/// <summary>
/// The DARTS evaluation network for CIFAR (the reference's <c>NetworkCIFAR</c> without the auxiliary head and drop
/// path): stem conv 3×3 to 3C + BN, <c>layers</c> cells with reductions (doubling C) at layers/3 and 2·layers/3,
/// global average pooling and a linear classifier. The published genotypes at C=36 and 20 layers have the
/// parameter counts their papers report.
/// </summary>
public sealed class DartsNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Stem stem;
    private readonly ModuleList<DartsCell> cells = new();
    private readonly Linear classifier;

    public DartsGenotype Genotype { get; }

    public DartsNetwork(DartsGenotype genotype, int channels = 36, int layers = 20, int classes = 10, int inputChannels = 3) : base(nameof(DartsNetwork))
    {
        TorchRuntime.Prepare();
        if (layers < 3) throw new ArgumentException($"A DARTS network needs at least 3 cells (two of them reductions), got {layers}.");
        Genotype = genotype;
        long cCurr = 3L * channels;
        stem = new Stem(inputChannels, cCurr, batchNorm: true);
        long cPrevPrev = cCurr, cPrev = cCurr;
        cCurr = channels;
        bool reductionPrev = false;
        for (int i = 0; i < layers; i++)
        {
            bool reduction = i == layers / 3 || i == 2 * layers / 3;
            if (reduction) cCurr *= 2;
            var cell = new DartsCell(genotype, cPrevPrev, cPrev, cCurr, reduction, reductionPrev);
            cells.Add(cell);
            reductionPrev = reduction;
            (cPrevPrev, cPrev) = (cPrev, cell.Multiplier * cCurr);
        }
        classifier = nn.Linear(cPrev, classes);
        RegisterComponents();
    }

    /// <summary>Also frees the native layers TorchSharp leaves behind (see <see cref="NativeModules"/>).</summary>
    protected override void Dispose(bool disposing) => NativeModules.Dispose(this, disposing, base.Dispose);

    public override Tensor forward(Tensor x)
    {
        var s0 = stem.call(x);
        var s1 = s0;
        foreach (var cell in cells) (s0, s1) = (s1, cell.call(s0, s1));
        return classifier.call(nn.functional.adaptive_avg_pool2d(s1, 1).flatten(1));
    }
}
