using NasKit.Networks;
using NasKit.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm = NasKit.Networks.BatchNorm;

namespace NasKit.SearchSpaces.NasNet;

/// <summary>
/// The NASNet CIFAR network as TF-slim builds it (nets/nasnet/nasnet.py, <c>build_nasnet_cifar</c>): a 3×3 stem of
/// 3F channels; three stacks of N normal cells with a reduction cell before the second and third (filters doubling);
/// ReLU, global average pooling, a linear classifier. Convolutions have no bias; every BN is affine. Drop-path and the
/// auxiliary head are training devices and are left out (the paper's parameter counts leave the head out too).
/// <see cref="NetworkShape.Channels"/> is F (NASNet-A CIFAR: 32), <see cref="NetworkShape.CellsPerStage"/> is N (6).
/// </summary>
public sealed class NasNetNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential stem;
    private readonly ModuleList<NasNetCellModule> cells = new();
    private readonly ReLU relu = nn.ReLU();
    private readonly Linear classifier;

    public NasNetNetwork(NasNetGenotype genotype, NetworkShape shape) : base(nameof(NasNetNetwork))
    {
        TorchRuntime.Prepare();
        long f0 = shape.Channels, stemChannels = 3 * shape.Channels;
        stem = nn.Sequential(("conv", nn.Conv2d(shape.InputChannels, stemChannels, 3, padding: 1, bias: false)), ("bn", BatchNorm.Create2d(stemChannels)));
        // (channels, reductions so far) of every output: the cells read the last two.
        var outputs = new List<(long Channels, int Level)?> { null, (stemChannels, 0) };
        int level = 0;
        long scale = 1;
        for (int n = 0; n < 3 * shape.CellsPerStage; n++)
        {
            if (n == shape.CellsPerStage || n == 2 * shape.CellsPerStage)
            {
                scale *= 2;
                var reduction = new NasNetCellModule(genotype.Reduce, outputs[^1]!.Value, outputs[^2], f0 * scale, reduction: true);
                cells.Add(reduction);
                outputs.Add((reduction.OutputChannels, ++level));
            }
            var normal = new NasNetCellModule(genotype.Normal, outputs[^1]!.Value, outputs[^2], f0 * scale, reduction: false);
            cells.Add(normal);
            outputs.Add((normal.OutputChannels, level));
        }
        classifier = nn.Linear(outputs[^1]!.Value.Channels, shape.Classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        Tensor? previous = null;
        var current = stem.call(input);
        foreach (var cell in cells)
        {
            var next = cell.Forward(current, previous);
            (previous, current) = (current, next);
        }
        return classifier.call(nn.functional.adaptive_avg_pool2d(relu.call(current), 1).flatten(1));
    }

    protected override void Dispose(bool disposing) => NativeModules.Dispose(this, disposing, base.Dispose);
}

/// <summary>One NASNet cell (NasNetABaseCell.__call__): inputs brought to F filters, 5 combinations, the concat of its output states.</summary>
public sealed class NasNetCellModule : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> begin;           // ReLU, 1×1 conv, BN on the cell's input
    private readonly nn.Module<Tensor, Tensor>? prev_adjust;    // brings the state before to the input's size and filters
    private readonly ModuleList<nn.Module<Tensor, Tensor>> ops = new();
    private readonly ModuleList<nn.Module<Tensor, Tensor>> output_reductions = new();
    private readonly int[] _reductionOf; // per concatenated state: its module in output_reductions, -1 when it fits as it is
    private readonly NasNetCell _cell;
    private readonly int[] _concat;

    public long OutputChannels { get; }

    public NasNetCellModule(NasNetCell cell, (long Channels, int Level) input, (long Channels, int Level)? before, long filters, bool reduction)
        : base(nameof(NasNetCellModule))
    {
        _cell = cell;
        _concat = cell.Concat.ToArray();
        begin = NasNetOps.ReluConvBn(input.Channels, filters, 1, 1);
        // State 1: the cell before, or (first cell) the input itself, unprocessed.
        var prev = before ?? input;
        if (before is { } b && b.Level != input.Level) { prev_adjust = new NasNetFactorizedReduction(b.Channels, filters, 2, relu: true); prev = (filters, input.Level); }
        else if (before is { } b2 && b2.Channels != filters) { prev_adjust = NasNetOps.ReluConvBn(b2.Channels, filters, 1, 1); prev = (filters, input.Level); }
        var states = new List<(long Channels, int Level)> { (filters, input.Level), prev };
        foreach (var c in cell.Combinations)
        {
            (long Channels, int Level) Add(int from, NasNetOp op)
            {
                int stride = reduction && from < 2 ? 2 : 1;
                var (module, channels) = NasNetOps.Create(op, states[from].Channels, filters, stride);
                ops.Add(module);
                return (channels, states[from].Level + (stride == 2 ? 1 : 0));
            }
            var left = Add(c.LeftInput, c.LeftOp);
            var right = Add(c.RightInput, c.RightOp);
            if (left != right) throw new ArgumentException($"A combination adds states of different shapes ({left} and {right}); the genotype mixes an unprojected cell input with a conv.");
            states.Add(left);
        }
        var final = states[^1];
        long total = 0;
        _reductionOf = new int[_concat.Length];
        for (int i = 0; i < _concat.Length; i++)
        {
            var s = states[_concat[i]];
            _reductionOf[i] = -1;
            // TF's _combine_unused_states: a concatenated state of another size or width is brought to the last state's.
            if (s != final)
            {
                _reductionOf[i] = output_reductions.Count;
                output_reductions.Add(new NasNetFactorizedReduction(s.Channels, final.Channels, s.Level != final.Level ? 2 : 1, relu: false));
            }
            total += final.Channels;
        }
        OutputChannels = total;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => Forward(input, null);

    public Tensor Forward(Tensor input, Tensor? before)
    {
        var states = new List<Tensor> { begin.call(input) };
        var prev = before ?? input;
        states.Add(prev_adjust is null ? prev : prev_adjust.call(prev));
        int k = 0;
        foreach (var c in _cell.Combinations)
        {
            var left = ops[k++].call(states[c.LeftInput]);
            var right = ops[k++].call(states[c.RightInput]);
            states.Add(left.Plus(right));
        }
        var outs = _concat.Select((s, i) => _reductionOf[i] < 0 ? states[s] : output_reductions[_reductionOf[i]].call(states[s])).ToArray();
        return outs.Length == 1 ? outs[0] : cat(outs, 1);
    }
}
