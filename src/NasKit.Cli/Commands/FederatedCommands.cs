using System.CommandLine;
using System.Globalization;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Federated;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using NasKit.Strategies.OneShot;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit federated</c>: client shards, FedNAS (federated DARTS/GDAS) and FedAvg on a fixed cell, with traffic and the DP-FedAvg option.</summary>
internal static class FederatedCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed record Common(Option<string> Space, Option<string> Data, Option<int> TrainImages, Option<int> Clients, Option<string> Alpha, Option<int> Rounds,
                                 Option<int> Seed, Option<int> Channels, Option<int> Cells, Option<int> Batch, Option<double?> Clip, Option<double> Noise, Option<string?> Out, Option<string?> Checkpoint);

    private static Common CommonOptions() => new(
        new Option<string>("--space") { Description = "A space with a relaxed supernet (search) or buildable networks (fedavg); nb201's cells are looked up in its table.", DefaultValueFactory = _ => "nb201" },
        new Option<string>("--data") { Description = "cifar10-subset or fashion-mnist.", DefaultValueFactory = _ => "cifar10-subset" },
        new Option<int>("--train-images") { Description = "Use the first N training images, split across the clients (0: all).", DefaultValueFactory = _ => 4000 }.AtLeast(0),
        new Option<int>("--clients") { Description = "Clients K (>= 1).", DefaultValueFactory = _ => 5 }.AtLeast(1),
        new Option<string>("--alpha") { Description = "Label skew: a Dirichlet concentration such as 0.1 or 0.5, iid (equal random shards), or central (one client with all the data).", DefaultValueFactory = _ => "0.5" },
        new Option<int>("--rounds") { Description = "Communication rounds; each client trains one local epoch per round in search (>= 1).", DefaultValueFactory = _ => 10 }.AtLeast(1),
        new Option<int>("--seed") { Description = "Seed of the shards, initialisation, batches and DP noise.", DefaultValueFactory = _ => 0 }.Seed(),
        new Option<int>("--channels") { Description = "Network width C (>= 1).", DefaultValueFactory = _ => 8 }.AtLeast(1),
        new Option<int>("--cells") { Description = "Cells per stage N (>= 1).", DefaultValueFactory = _ => 1 }.AtLeast(1),
        new Option<int>("--batch") { Description = "Batch size (>= 1).", DefaultValueFactory = _ => 64 }.AtLeast(1),
        new Option<double?>("--clip") { Description = "DP-FedAvg: clip each client's update to this L2 norm (> 0); off when not given." }.AtLeast(0, exclusive: true),
        new Option<double>("--noise") { Description = "DP-FedAvg noise multiplier z (>= 0): Gaussian noise of std z x clip on the sum of clipped updates; needs --clip.", DefaultValueFactory = _ => 0 }.AtLeast(0),
        new Option<string?>("--out") { Description = "Write one row per round to this .csv as the rounds finish." },
        new Option<string?>("--checkpoint") { Description = "Folder for a checkpoint after every round; a rerun with the same options resumes from it." });

    private static void Add(Command cmd, Common c)
    {
        foreach (var o in new Option[] { c.Space, c.Data, c.TrainImages, c.Clients, c.Alpha, c.Rounds, c.Seed, c.Channels, c.Cells, c.Batch, c.Clip, c.Noise, c.Out, c.Checkpoint }) cmd.Options.Add(o);
    }

    private sealed record Setup(string Space, IReadOnlyList<ImageDataset> Shards, ImageDataset Test, string Split, int Rounds, int Seed, NetworkShape Shape, int Batch, PrivacySettings? Privacy, string? Out, string? Checkpoint)
    {
        /// <summary>True when --checkpoint holds finished rounds: the --out file is then rewritten from them.</summary>
        public bool Resumes => Checkpoint is not null && FederatedRounds.HasCheckpoint(Checkpoint);
    }

    private static Setup Read(ParseResult r, Common c, int minShard)
    {
        var alphaText = r.GetValue(c.Alpha)!.Trim().ToLowerInvariant();
        double? alpha = null;
        bool central = alphaText == "central";
        if (!central && alphaText != "iid")
        {
            if (!double.TryParse(alphaText, NumberStyles.Float, Inv, out var a) || !(a > 0) || double.IsInfinity(a))
                throw new ArgumentException($"--alpha {alphaText}: give a positive Dirichlet concentration (0.1, 0.5), iid or central.");
            alpha = a;
        }
        var clip = r.GetValue(c.Clip);
        double noise = r.GetValue(c.Noise);
        if (noise > 0 && clip is null) throw new ArgumentException("--noise needs --clip: DP-FedAvg scales its noise to the clipping norm.");
        var output = r.GetValue(c.Out);
        if (output is not null && !output.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"--out {output}: rounds are written as .csv; give a path ending in .csv.");
        TorchRuntime.EnsureLoaded();
        var (train, test) = DatasetReaders.ByName(r.GetValue(c.Data)!);
        int images = r.GetValue(c.TrainImages);
        if (images > 0 && images < train.Count) train = train.Subset(Enumerable.Range(0, images).ToArray(), $"{train.Name}[:{images}]");
        int clients = central ? 1 : r.GetValue(c.Clients);
        var shards = ClientShards.Split(train, clients, alpha, r.GetValue(c.Seed), minShard);
        string split = central ? "central (one client)" : alpha is { } al ? string.Create(Inv, $"{clients} clients, Dirichlet α = {al}") : $"{clients} clients, IID";
        return new Setup(r.GetValue(c.Space)!.ToLowerInvariant(), shards, test, split, r.GetValue(c.Rounds), r.GetValue(c.Seed), new NetworkShape(r.GetValue(c.Channels), r.GetValue(c.Cells), Classes: train.Classes, InputChannels: train.Channels),
                         r.GetValue(c.Batch), clip is { } s ? new PrivacySettings(s, noise).Validated() : null, output, r.GetValue(c.Checkpoint));
    }

    public static Command Create()
    {
        var cmd = new Command("federated", "Federated NAS in one process: clients with label-skewed shards (Dirichlet α), FedNAS (federated DARTS) or federated GDAS, FedAvg on a fixed cell, " +
                                           "bytes per round, and DP-FedAvg clipping and noise.\nExample:\n  naskit federated search --method darts --alpha 0.1 --rounds 10 --seed 0");
        cmd.Subcommands.Add(Shards());
        cmd.Subcommands.Add(Search());
        cmd.Subcommands.Add(FedAvg());
        return cmd;
    }

    private static Command Shards()
    {
        var c = CommonOptions();
        var cmd = new Command("shards", "How the training images split across the clients: images per class per client.\n" +
                                        "Example:\n  naskit federated shards --clients 5 --alpha 0.1 --seed 0");
        Add(cmd, c);
        cmd.SetAction(r => Cli.Run(() =>
        {
            var s = Read(r, c, 1);
            var counts = ClientShards.LabelCounts(s.Shards);
            Console.WriteLine($"{s.Shards.Sum(x => x.Count):N0} images, {s.Split}, seed {s.Seed}");
            Console.WriteLine("client  images  " + string.Join(" ", Enumerable.Range(0, counts[0].Length).Select(k => $"{"c" + k,5}")));
            for (int k = 0; k < counts.Length; k++)
                Console.WriteLine(string.Create(Inv, $"{k + 1,6}  {s.Shards[k].Count,6}  ") + string.Join(" ", counts[k].Select(n => $"{n,5}")));
            return 0;
        }));
        return cmd;
    }

    private static Command Search()
    {
        var c = CommonOptions();
        var method = new Option<string>("--method") { Description = "darts (FedNAS: every op mixed) or gdas (one Gumbel-sampled op per edge and step).", DefaultValueFactory = _ => "darts" };
        var archLr = new Option<double>("--arch-lr") { Description = "Adam's learning rate for the architecture weights (> 0; DARTS' 3e-4; a CPU-sized run of a few hundred steps needs about 3e-3 for them to move).", DefaultValueFactory = _ => 3e-4 }.AtLeast(0, exclusive: true);
        var cmd = new Command("search", "FedNAS: each round every client runs one local epoch of first-order DARTS (or GDAS) on its shard, and the server averages the supernet weights and " +
                                        "the architecture weights by shard size. Prints the derived cell per round, its benchmark test accuracy and the bytes each client sent and received.\n" +
                                        "Example:\n  naskit federated search --method darts --clients 5 --alpha 0.1 --rounds 10 --seed 0 --out runs/fednas-0.1.csv")
        {
            method, archLr,
        };
        Add(cmd, c);
        cmd.SetAction(r => Cli.Run(() =>
        {
            var m = r.GetValue(method)!.Trim().ToLowerInvariant();
            if (m is not ("darts" or "gdas")) throw new ArgumentException($"--method {m}: use darts or gdas.");
            int batch = r.GetValue(c.Batch);
            var s = Read(r, c, 2 * batch); // each client halves its shard, and each half needs a batch
            using var writer = Cli.HoldOutputs(s.Out, s.Checkpoint);
            var settings = (m == "gdas" ? DartsSettings.Gdas : new DartsSettings()) with { BatchSize = batch, ArchLearningRate = r.GetValue(archLr) };
            return Problems.WithSpace(s.Space, new SearchOn(m, s, settings));
        }));
        return cmd;
    }

    private sealed class SearchOn(string method, Setup s, DartsSettings settings) : ISpaceVisitor<int>
    {
        public int Visit<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture
        {
            var relaxed = space as IDifferentiableSpace<TArch> ?? throw new ArgumentException($"Space '{space.Name}' has no relaxed supernet, so a federated {method} cannot search it.");
            var truth = Problems.Truth(space);
            using var search = new FederatedDarts<TArch>(relaxed, s.Shards, s.Shape, s.Rounds, s.Seed, settings, s.Privacy);
            Console.WriteLine(string.Create(Inv, $"federated {method}: {s.Split}, shards {string.Join("/", s.Shards.Select(x => x.Count))} images, {s.Rounds} rounds, {s.Shape}, seed {s.Seed}") +
                              (s.Privacy is { } p ? string.Create(Inv, $", DP-FedAvg clip {p.ClipNorm} noise multiplier {p.NoiseMultiplier}") : "") + $"; {TorchRuntime.Describe()}");
            using var csv = s.Out is null ? null : Cli.OpenCsv(s.Out, "round,train_loss,train_acc,search_valid_acc,upload_bytes,download_bytes,mean_update_norm,seconds,derived,benchmark_test_acc", "rounds", s.Resumes);
            FederatedSearchRound<TArch>? last = null;
            void Record(FederatedSearchRound<TArch> round)
            {
                last = round;
                var test = truth?.Invoke(round.Derived);
                var line = string.Create(Inv, $"{round.Round},{round.TrainLoss:0.####},{round.TrainAccuracy:0.##},{round.SearchValidAccuracy:0.##},{round.UploadBytesPerClient},{round.DownloadBytesPerClient},{round.MeanUpdateNorm:0.####},{round.Seconds:0.#},\"{round.Derived.ToText()}\",{test:0.##}");
                var testText = test is { } t ? string.Create(Inv, $" -> {t:0.00}%") : "";
                Cli.RecordPoint(csv, line, string.Create(Inv, $"round {round.Round}/{s.Rounds}: train loss {round.TrainLoss:0.000}, search-valid {round.SearchValidAccuracy:0.0}%, {round.Seconds:0} s; {round.Derived.ToText()}") + testText);
            }
            Resume(search, s, Record);
            search.Run(Record, checkpoint: s.Checkpoint);
            long perRound = last!.UploadBytesPerClient + last.DownloadBytesPerClient;
            Console.WriteLine($"derived: {last.Derived.ToText()}");
            if (truth is not null) Console.WriteLine(string.Create(Inv, $"benchmark test accuracy ({Problems.TruthName(space.Name)}): {truth(last.Derived):0.00}%"));
            Console.WriteLine(string.Create(Inv, $"traffic per client: {last.UploadBytesPerClient:N0} bytes up and {last.DownloadBytesPerClient:N0} down per round; {perRound * s.Rounds:N0} bytes over {s.Rounds} rounds ({perRound * s.Rounds / 1048576.0:0.00} MiB)"));
            return 0;
        }
    }

    /// <summary>Loads the --checkpoint folder's rounds, if any, and replays them into the --out file, which is rewritten whole.</summary>
    private static void Resume<TRound>(FederatedRounds<TRound> federation, Setup s, Action<TRound> record)
    {
        if (s.Checkpoint is null || !FederatedRounds.HasCheckpoint(s.Checkpoint)) return;
        federation.Load(s.Checkpoint);
        Console.Error.WriteLine($"resuming from {s.Checkpoint}: {federation.History.Count} of {s.Rounds} rounds done");
        foreach (var done in federation.History) record(done);
    }

    private static Command FedAvg()
    {
        var c = CommonOptions();
        var arch = new Option<string>("--arch") { Description = "The architecture every client trains, in the space's text form (NB201: |nor_conv_3x3~0|+|...|).", Required = true };
        var local = new Option<int>("--local-epochs") { Description = "Epochs each client trains per round (>= 1).", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var lr = new Option<double>("--lr") { Description = "SGD learning rate at the first round (> 0), cosine to 0 over all rounds; momentum 0.9 (Nesterov), weight decay 5e-4.", DefaultValueFactory = _ => 0.05 }.AtLeast(0, exclusive: true);
        var cmd = new Command("fedavg", "FedAvg on one fixed architecture: every round each client trains from the global weights on its shard and the server averages; prints the global model's " +
                                        "test accuracy per round and the traffic.\nExample:\n  naskit federated fedavg --arch \"|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|\" --alpha 0.1 --rounds 10")
        {
            arch, local, lr,
        };
        Add(cmd, c);
        cmd.SetAction(r => Cli.Run(() =>
        {
            var s = Read(r, c, 1);
            using var writer = Cli.HoldOutputs(s.Out, s.Checkpoint);
            var hp = new TrainingHyperparameters(BatchSize: s.Batch, LearningRate: r.GetValue(lr));
            return Problems.WithSpace(s.Space, new FedAvgOn(s, r.GetValue(arch)!, r.GetValue(local), hp));
        }));
        return cmd;
    }

    private sealed class FedAvgOn(Setup s, string archText, int localEpochs, TrainingHyperparameters hp) : ISpaceVisitor<int>
    {
        public int Visit<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture
        {
            var buildable = space as IBuildableSpace<TArch> ?? throw new ArgumentException($"Space '{space.Name}' cannot build networks, so FedAvg cannot train its architectures.");
            var arch = space.Parse(archText);
            using var fed = new FederatedTraining<TArch>(buildable, arch, s.Shards, s.Test, s.Shape, s.Rounds, localEpochs, s.Seed, hp, s.Privacy);
            Console.WriteLine(string.Create(Inv, $"FedAvg of {arch.ToText()}: {s.Split}, shards {string.Join("/", s.Shards.Select(x => x.Count))} images, {s.Rounds} rounds of {localEpochs} local epoch(s), {s.Shape}, seed {s.Seed}") +
                              (s.Privacy is { } p ? string.Create(Inv, $", DP-FedAvg clip {p.ClipNorm} noise multiplier {p.NoiseMultiplier}") : "") + $"; {TorchRuntime.Describe()}");
            using var csv = s.Out is null ? null : Cli.OpenCsv(s.Out, "round,train_loss,test_acc,upload_bytes,download_bytes,mean_update_norm,seconds", "rounds", s.Resumes);
            FederatedTrainingRound? last = null;
            void Record(FederatedTrainingRound round)
            {
                last = round;
                Cli.RecordPoint(csv, string.Create(Inv, $"{round.Round},{round.TrainLoss:0.####},{round.TestAccuracy:0.##},{round.UploadBytesPerClient},{round.DownloadBytesPerClient},{round.MeanUpdateNorm:0.####},{round.Seconds:0.#}"),
                    string.Create(Inv, $"round {round.Round}/{s.Rounds}: train loss {round.TrainLoss:0.000}, test accuracy {round.TestAccuracy:0.00}%, {round.Seconds:0} s"));
            }
            Resume(fed, s, Record);
            fed.Run(Record, checkpoint: s.Checkpoint);
            long perRound = last!.UploadBytesPerClient + last.DownloadBytesPerClient;
            Console.WriteLine(string.Create(Inv, $"test accuracy after {s.Rounds} rounds: {last.TestAccuracy:0.00}% on {s.Test.Count:N0} test images"));
            Console.WriteLine(string.Create(Inv, $"traffic per client: {last.UploadBytesPerClient:N0} bytes up and {last.DownloadBytesPerClient:N0} down per round; {perRound * s.Rounds:N0} bytes over {s.Rounds} rounds ({perRound * s.Rounds / 1048576.0:0.00} MiB)"));
            return 0;
        }
    }
}
