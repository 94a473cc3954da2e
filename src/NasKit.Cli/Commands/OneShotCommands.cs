using System.CommandLine;
using System.Globalization;
using NasKit.Catalogs;
using NasKit.Data;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using NasKit.Strategies.OneShot;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit darts</c>, <c>gdas</c>, <c>oneshot</c> and <c>enas</c>: weight-sharing searches with a progress bar per epoch and checkpoints.</summary>
internal static class OneShotCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed record Common(Option<string> Space, Option<string> Data, Option<int> Epochs, Option<int> Seed, Option<int> Channels, Option<int> Cells,
                                 Option<int> Batch, Option<int> TrainImages, Option<string> Device, Option<string?> Out);

    private static Common CommonOptions(Type capability, string defaultSpace = "nb201") => new(
        new Option<string>("--space") { Description = "Search space, one with this command's supernet:\n" + string.Join("\n", Catalog<ISpaceEntry>.All.Where(e => Has(e, capability)).Select(e => $"  {e.Name}: {e.Description}")), DefaultValueFactory = _ => defaultSpace },
        new Option<string>("--data") { Description = "cifar10-subset or fashion-mnist.", DefaultValueFactory = _ => "cifar10-subset" },
        new Option<int>("--epochs") { Description = "Search epochs.", DefaultValueFactory = _ => 10 }.AtLeast(1),
        new Option<int>("--seed") { Description = "Seed of the data split, initialisation, batches and sampling.", DefaultValueFactory = _ => 0 }.Seed(),
        new Option<int>("--channels") { Description = "Supernet width C (the papers search at 16; 8 is teaching scale on a CPU).", DefaultValueFactory = _ => 8 }.AtLeast(1),
        new Option<int>("--cells") { Description = "Cells per stage N (NB201's supernet uses 5; a DARTS supernet has 3N+2 cells, the paper's 8 at N=2).", DefaultValueFactory = _ => 1 }.AtLeast(1),
        new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 64 }.AtLeast(1),
        new Option<int>("--train-images") { Description = "Use the first N training images (0: all).", DefaultValueFactory = _ => 0 }.AtLeast(0),
        new Option<string>("--device") { DefaultValueFactory = _ => "auto", Description = "cpu, cuda, cuda:N or auto (CUDA when present)." },
        new Option<string?>("--out") { Description = "Directory for the checkpoint (resumed when it exists) and the CSVs of epochs and architecture weights." });

    private static void Add(Command cmd, Common c)
    {
        foreach (var o in new Option[] { c.Space, c.Data, c.Epochs, c.Seed, c.Channels, c.Cells, c.Batch, c.TrainImages, c.Device, c.Out }) cmd.Options.Add(o);
    }

    private sealed record Setup(string Space, ImageDataset Train, ImageDataset Test, int Epochs, int Seed, NetworkShape Shape, int Batch, TorchSharp.torch.Device Device, string? Out);

    private static Setup Read(ParseResult r, Common c)
    {
        int epochs = r.GetValue(c.Epochs), channels = r.GetValue(c.Channels), cells = r.GetValue(c.Cells), images = r.GetValue(c.TrainImages);
        if (epochs <= 0) throw new ArgumentException($"--epochs must be positive, got {epochs}.");
        if (channels <= 0 || cells <= 0) throw new ArgumentException("--channels and --cells must be positive.");
        TorchRuntime.EnsureLoaded();
        var (train, test) = DatasetReaders.ByName(r.GetValue(c.Data)!);
        if (images > 0 && images < train.Count) train = train.Subset(Enumerable.Range(0, images).ToArray(), $"{train.Name}[:{images}]");
        string device = r.GetValue(c.Device)!;
        return new Setup(r.GetValue(c.Space)!.ToLowerInvariant(), train, test, epochs, r.GetValue(c.Seed), new NetworkShape(channels, cells), r.GetValue(c.Batch),
                         device == "auto" ? TorchRuntime.DefaultDevice : TorchRuntime.ParseDevice(device), r.GetValue(c.Out));
    }

    private static string? InOut(Setup s, string file) => s.Out is null ? null : Path.Combine(s.Out, file);

    public static IEnumerable<Command> Create()
    {
        yield return Differentiable("darts", "DARTS (Liu et al. 2019): bilevel search of the continuous relaxation; prints the derived architecture and, where a benchmark covers the space, its benchmark test accuracy.\nExample:\n  naskit darts --space nb201 --order 1 --epochs 10 --seed 0 --out runs/darts", gdas: false);
        yield return Differentiable("gdas", "GDAS (Dong & Yang 2019): DARTS with one Gumbel-softmax-sampled op per edge and step, tau annealed 10 -> 0.1.\nExample:\n  naskit gdas --space nb201 --epochs 10 --out runs/gdas", gdas: true);
        yield return OneShot();
        yield return Enas();
    }

    private static Command Differentiable(string name, string description, bool gdas)
    {
        var c = CommonOptions(typeof(IDifferentiableSpace<>));
        var order = new Option<int>("--order") { Description = "1: first order; 2: the unrolled second-order gradient.", DefaultValueFactory = _ => 1 }.Within(1, 2);
        var partial = new Option<int>("--partial-channels") { Description = "PC-DARTS' K: ops on 1/K of the channels (1 = DARTS).", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var skipLimit = new Option<int?>("--skip-limit") { Description = "DARTS+ remedy for collapse: stop once the derived normal cell has this many skip connections (the paper uses 2)." }.AtLeast(1);
        var archLr = new Option<double>("--arch-lr") { Description = "Adam learning rate of the architecture weights (the papers' 3e-4). A teaching-scale run takes ~50x fewer steps than a paper run; raising this compresses the architecture dynamics into them.", DefaultValueFactory = _ => 3e-4 }.AtLeast(0, exclusive: true);
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 factor on the network weights (DARTS: 3e-4; R-DARTS' L2 remedy for collapse raises it, e.g. 27e-4).", DefaultValueFactory = _ => 3e-4 }.AtLeast(0);
        var cmd = new Command(name, description);
        Add(cmd, c);
        if (!gdas) { cmd.Options.Add(order); cmd.Options.Add(partial); }
        cmd.Options.Add(skipLimit);
        cmd.Options.Add(weightDecay);
        cmd.Options.Add(archLr);
        cmd.SetAction(r => Cli.Run(() =>
        {
            var s = Read(r, c);
            using var writer = Cli.HoldOutputs(s.Out);
            var settings = (gdas ? DartsSettings.Gdas : new DartsSettings(Order: r.GetValue(order), PartialChannels: r.GetValue(partial)))
                with { BatchSize = s.Batch, SkipLimit = r.GetValue(skipLimit), WeightDecay = r.GetValue(weightDecay), ArchLearningRate = r.GetValue(archLr) };
            return Problems.WithSpace(s.Space, new DifferentiableOn(name, s, settings));
        }));
        return cmd;
    }

    private sealed class DifferentiableOn(string method, Setup s, DartsSettings settings) : ISpaceVisitor<int>
    {
        public int Visit<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture
        {
            var relaxed = space as IDifferentiableSpace<TArch>
                ?? throw new ArgumentException($"Space '{space.Name}' has no relaxed supernet, so {method} cannot search it. Spaces that have one: {SpacesWith(typeof(IDifferentiableSpace<>))}.");
            var truth = Problems.Truth(space);
            return RunDifferentiable(method, relaxed, s, settings, truth is null ? _ => null : a => truth(a));
        }
    }

    /// <summary>The catalog's spaces that implement a capability, for messages.</summary>
    private static string SpacesWith(Type capability) => string.Join(", ", Catalog<ISpaceEntry>.All.Where(e => Has(e, capability)).Select(e => e.Name));

    // A space read from benchmark data (LCBench's config space) cannot be built without that data; help texts and
    // messages list the spaces that can, rather than failing every command on a machine without the data.
    private static bool Has(ISpaceEntry entry, Type capability)
    {
        try { return entry.Accept(new Implements(capability)); }
        catch (Exception e) when (e is NasKit.Benchmarks.DataNotFoundException or NasKit.Benchmarks.BenchmarkDataException) { return false; }
    }

    private sealed class Implements(Type capability) : ISpaceVisitor<bool>
    {
        public bool Visit<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture => capability.MakeGenericType(typeof(TArch)).IsInstanceOfType(space);
    }

    private static int RunDifferentiable<TArch>(string method, IDifferentiableSpace<TArch> space, Setup s, DartsSettings settings, Func<TArch, double?> benchmark)
        where TArch : class, IArchitecture
    {
        using var search = new DartsSearch<TArch>(space, s.Train, s.Shape, s.Epochs, s.Seed, settings, s.Device);
        var checkpoint = InOut(s, "checkpoint.bin");
        if (checkpoint is not null && File.Exists(checkpoint)) Console.Error.WriteLine($"resuming from {checkpoint}");
        Console.Error.WriteLine($"{method} on {space.Name}, {s.Train.Name} ({s.Train.Count} images, halves for weights and architecture), C={s.Shape.Channels} N={s.Shape.CellsPerStage}, " +
                                $"{s.Epochs} epochs, seed {s.Seed}, on {search.Device}");
        Cli.WithProgress($"{method} epochs", s.Epochs, tick =>
        {
            if (checkpoint is not null && File.Exists(checkpoint)) { search.Load(checkpoint); foreach (var _ in search.History) tick(); }
            search.Run(checkpoint, e =>
            {
                var acc = benchmark(e.Derived);
                Console.Error.WriteLine(string.Create(Inv, $"epoch {e.Epoch}: train loss {e.TrainLoss:0.000} acc {e.TrainAccuracy:0.0}%  search-valid acc {e.ValidAccuracy:0.0}%  " +
                    $"skips {space.SkipConnections(e.Derived)}  {e.Derived.ToText()}{(acc is { } a ? $"  benchmark {a:0.00}%" : "")}  ({e.Seconds:0}s)"));
                if (s.Out is not null) WriteDartsCsv(s.Out, space, search.History, benchmark);
                tick();
            });
        });
        var last = search.History[^1];
        if (search.StoppedEarly) Console.WriteLine($"stopped early at epoch {last.Epoch}: the derived normal cell reached {settings.SkipLimit} skip connections (DARTS+)");
        Console.WriteLine($"derived: {last.Derived.ToText()}");
        if (benchmark(last.Derived) is { } test) Console.WriteLine(string.Create(Inv, $"benchmark test accuracy ({Problems.TruthName(space.Name)}): {test:0.00}%"));
        return 0;
    }

    private static void WriteDartsCsv<TArch>(string dir, IDifferentiableSpace<TArch> space, IReadOnlyList<DartsEpoch<TArch>> history, Func<TArch, double?> benchmark)
        where TArch : class, IArchitecture
    {
        Directory.CreateDirectory(dir);
        var epochs = new List<string> { "epoch,train_loss,train_acc,search_valid_acc,skip_connections,benchmark_test_acc,seconds,tau,derived" };
        var alphas = new List<string> { "epoch,cell_type,edge,op,probability" };
        foreach (var e in history)
        {
            epochs.Add(string.Create(Inv, $"{e.Epoch},{e.TrainLoss:R},{e.TrainAccuracy:R},{e.ValidAccuracy:R},{space.SkipConnections(e.Derived)},{benchmark(e.Derived)?.ToString("R", Inv)},{e.Seconds:0.0},{e.Temperature:R},\"{e.Derived.ToText().Replace("\"", "\"\"")}\""));
            for (int t = 0; t < e.EdgeProbabilities.Count; t++)
                for (int edge = 0; edge < e.EdgeProbabilities[t].Length; edge++)
                    for (int op = 0; op < e.EdgeProbabilities[t][edge].Length; op++)
                        alphas.Add(string.Create(Inv, $"{e.Epoch},{(e.EdgeProbabilities.Count == 1 ? "cell" : t == 0 ? "normal" : "reduce")},{edge},{space.OpNames[op]},{e.EdgeProbabilities[t][edge][op]:R}"));
        }
        AtomicWrite(Path.Combine(dir, "epochs.csv"), epochs);
        AtomicWrite(Path.Combine(dir, "alphas.csv"), alphas);
    }

    private static void AtomicWrite(string path, IEnumerable<string> lines)
    {
        File.WriteAllLines(path + ".tmp", lines);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static Command OneShot()
    {
        var c = CommonOptions(typeof(IWeightSharingSpace<>));
        var evaluations = new Option<int>("--evaluations") { Description = "Inherited-weight evaluations for the evolutionary search.", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var population = new Option<int>("--population") { Description = "Regularized evolution's population.", DefaultValueFactory = _ => 20 }.AtLeast(2);
        var rankCells = new Option<int>("--rank-cells") { Description = "Random cells whose inherited accuracy is ranked against the benchmark (weight-sharing Kendall tau).", DefaultValueFactory = _ => 100 }.AtLeast(3);
        var cmd = new Command("oneshot", "SPOS (Guo et al. 2020): train a weight-sharing supernet with uniform single-path sampling, then search it with regularized evolution using inherited weights as the evaluator; where a benchmark covers the space, also measures how inherited accuracy ranks architectures against it (Kendall tau).\nExample:\n  naskit oneshot --space nb201 --epochs 10 --rank-cells 100 --out runs/spos");
        Add(cmd, c);
        cmd.Options.Add(evaluations);
        cmd.Options.Add(population);
        cmd.Options.Add(rankCells);
        cmd.SetAction(r => Cli.Run(() =>
        {
            var s = Read(r, c);
            using var writer = Cli.HoldOutputs(s.Out);
            if (r.GetValue(evaluations) < 1 || r.GetValue(population) < 2 || r.GetValue(rankCells) < 3)
                throw new ArgumentException("--evaluations must be at least 1, --population at least 2 and --rank-cells at least 3.");
            return Problems.WithSpace(s.Space, new OneShotOn(s, r.GetValue(evaluations), r.GetValue(population), r.GetValue(rankCells)));
        }));
        return cmd;
    }

    private sealed class OneShotOn(Setup s, int evaluations, int population, int rankCells) : ISpaceVisitor<int>
    {
        public int Visit<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture
        {
            var shared = space as IWeightSharingSpace<TArch>
                ?? throw new ArgumentException($"Space '{space.Name}' has no weight-sharing supernet. Spaces that have one: {SpacesWith(typeof(IWeightSharingSpace<>))}.");
            var truth = Problems.Truth(space);
            var result = OneShotSearch.Run(shared, s.Train, s.Shape, s.Epochs, s.Seed, evaluations, population, rankCells, truth, s.Batch, s.Device,
                InOut(s, "supernet.bin"), e => Console.Error.WriteLine(string.Create(Inv, $"epoch {e.Epoch}: supernet loss {e.TrainLoss:0.000} acc {e.TrainAccuracy:0.0}% ({e.Seconds:0}s)")),
                progress: (label, total, work) => Cli.WithProgress(label, total, work));
            if (s.Out is not null && truth is not null)
                AtomicWrite(Path.Combine(s.Out, "ranking.csv"), ["architecture,inherited_acc,benchmark_test_acc", ..
                    result.Ranking.Select(x => string.Create(Inv, $"\"{x.Architecture.ToText().Replace("\"", "\"\"")}\",{x.Inherited:R},{x.Truth:R}"))]);
            Console.WriteLine(string.Create(Inv, $"derived: {result.Best.ToText()}  inherited acc {result.BestInherited:0.00}%"));
            if (result.BestTruth is { } t)
            {
                Console.WriteLine(string.Create(Inv, $"benchmark test accuracy ({Problems.TruthName(space.Name)}): {t:0.00}%"));
                Console.WriteLine(string.Create(Inv, $"weight sharing: kendall tau = {result.KendallTau:0.000}, spearman rho = {result.Spearman:0.000} between inherited and benchmark accuracy on {result.Ranking.Count} random architectures"));
            }
            return 0;
        }
    }

    private static Command Enas()
    {
        var c = CommonOptions(typeof(IWeightSharingSpace<>));
        var steps = new Option<int>("--controller-steps") { Description = "Controller REINFORCE steps per epoch, each rewarded on one validation batch.", DefaultValueFactory = _ => 50 }.AtLeast(1);
        var cmd = new Command("enas", "ENAS-style weight sharing: an LSTM controller samples the paths the shared weights train on, and learns by REINFORCE from their inherited accuracy. --out gets epochs.csv, written after every epoch; the search is not resumable (the controller's sampling state is not checkpointed).\nExample:\n  naskit enas --space nb201 --epochs 10 --controller-steps 50 --out runs/enas");
        Add(cmd, c);
        cmd.Options.Add(steps);
        cmd.SetAction(r => Cli.Run(() =>
        {
            var s = Read(r, c);
            using var writer = Cli.HoldOutputs(s.Out);
            if (r.GetValue(steps) < 1) throw new ArgumentException("--controller-steps must be at least 1.");
            return Problems.WithSpace(s.Space, new EnasOn(s, r.GetValue(steps)));
        }));
        return cmd;
    }

    private sealed class EnasOn(Setup s, int steps) : ISpaceVisitor<int>
    {
        public int Visit<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture
        {
            if (space is not IWeightSharingSpace<TArch> shared || space is not ICategoricalSpace<TArch>)
                throw new ArgumentException($"ENAS needs a weight-sharing space with categorical decisions; '{space.Name}' is not one. Spaces with a supernet: {SpacesWith(typeof(IWeightSharingSpace<>))}.");
            using var search = new EnasSearch<TArch>(shared, s.Train, s.Shape, s.Epochs, s.Seed, steps, s.Batch, s.Device);
            Cli.WithProgress("enas epochs", s.Epochs, tick =>
            {
                while (!search.Finished)
                {
                    var e = search.RunEpoch();
                    Console.Error.WriteLine(string.Create(Inv, $"epoch {e.Epoch}: shared loss {e.TrainLoss:0.000} acc {e.TrainAccuracy:0.0}%  mean reward {e.MeanReward:0.0}%  sampled {e.Sampled.ToText()} ({e.Seconds:0}s)"));
                    if (s.Out is not null)
                    {
                        Directory.CreateDirectory(s.Out);
                        AtomicWrite(Path.Combine(s.Out, "epochs.csv"), ["epoch,shared_loss,shared_acc,mean_reward,sampled,seconds", ..
                            search.History.Select(h => string.Create(Inv, $"{h.Epoch},{h.TrainLoss:R},{h.TrainAccuracy:R},{h.MeanReward:R},\"{h.Sampled.ToText().Replace("\"", "\"\"")}\",{h.Seconds:0.0}"))]);
                    }
                    tick();
                }
            });
            var (cell, inherited) = search.Derive();
            Console.WriteLine(string.Create(Inv, $"derived: {cell.ToText()}  inherited acc {inherited:0.00}%"));
            if (Problems.Truth(space) is { } truth) Console.WriteLine(string.Create(Inv, $"benchmark test accuracy ({Problems.TruthName(space.Name)}): {truth(cell):0.00}%"));
            return 0;
        }
    }
}
