using System.CommandLine;
using System.Globalization;
using CsvHelper;
using NasKit.Analysis;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Hardware;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.SearchSpaces.KeywordSpotting;
using NasKit.Spaces;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit kws</c>: keyword spotting on FSDD spoken digits with the kws space, Hello Edge's DS-CNN as its baseline.</summary>
internal static class KwsCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var cmd = new Command("kws", "Keyword spotting on the Free Spoken Digit Dataset with the kws space (Hello Edge's CNN/DS-CNN families on 49x10 MFCCs). Search it with " +
                                     "naskit search --space kws --evaluator kws:max-params=20000.\nExample:\n  naskit kws train --arch ds-cnn-s --split official --seeds 3");
        cmd.Subcommands.Add(Train());
        cmd.Subcommands.Add(Features());
        cmd.Subcommands.Add(Front());
        return cmd;
    }

    private static Command Features()
    {
        var recording = new Option<string>("--recording") { Description = "A recording of FSDD by name, e.g. 7_jackson_32 (the corpus is found through NASKIT_DATA).", DefaultValueFactory = _ => "0_george_0" };
        var kind = new Option<string>("--features") { Description = "mfcc (10 coefficients) or logmel (40 bands).", DefaultValueFactory = _ => "mfcc" };
        var output = new Option<string?>("--out") { Description = "Write the feature map (one row per frame) to this .csv." };
        var cmd = new Command("features", "Show the feature map of one recording: the settings (window, hop, FFT, mel bands), the shape and per-coefficient statistics.\n" +
                                          "Example:\n  naskit kws features --recording 7_jackson_32 --features logmel --out reports/7_jackson_32.csv")
        {
            recording, kind, output,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            var settings = AudioFeatureSettings.HelloEdge with { Kind = KeywordSpottingEvaluatorFactory.ParseKind(r.GetValue(kind)!) };
            var name = r.GetValue(recording)!.Trim();
            var corpus = SpokenDigits.Fsdd();
            var clip = corpus.Recordings.FirstOrDefault(x => x.Name == name)
                ?? throw new ArgumentException($"No recording '{name}' in FSDD; names are digit_speaker_index, e.g. 7_jackson_32 (speakers: {string.Join(", ", corpus.Speakers)}).");
            var map = new AudioFeatures(settings).Compute(AudioFeatures.FixLength(clip.Samples, settings.ClipSamples));
            Console.WriteLine(string.Create(Inv, $"{name}: digit {clip.Digit}, speaker {clip.Speaker}, {clip.Samples.Length} samples ({clip.Samples.Length / (double)corpus.SampleRate:0.000} s at {corpus.SampleRate} Hz), padded or cropped to {settings.ClipSeconds:0.###} s"));
            Console.WriteLine(string.Create(Inv, $"{settings.Kind}: Hann window {settings.FrameSeconds * 1000:0} ms, hop {settings.HopSeconds * 1000:0} ms, FFT {settings.FftSize}, {settings.MelBands} mel bands {settings.LowHz:0}-{settings.HighHz:0} Hz, natural log") +
                (settings.Kind == AudioFeatureKind.Mfcc ? $", orthonormal DCT-II, {settings.Coefficients} coefficients" : ""));
            Console.WriteLine($"shape: {settings.Frames} frames x {settings.FeaturesPerFrame} features");
            int f = settings.FeaturesPerFrame;
            for (int j = 0; j < f; j++)
            {
                var column = Enumerable.Range(0, settings.Frames).Select(t => (double)map[t * f + j]).ToArray();
                Console.WriteLine(string.Create(Inv, $"  {(settings.Kind == AudioFeatureKind.Mfcc ? "mfcc" : "mel")}{j,-3} mean {column.Average(),9:0.000}  min {column.Min(),9:0.000}  max {column.Max(),9:0.000}"));
            }
            if (r.GetValue(output) is { } path)
            {
                using var writer = Cli.OpenCsv(path, string.Join(",", Enumerable.Range(0, f).Select(j => $"f{j}")), "feature maps");
                for (int t = 0; t < settings.Frames; t++) writer.WriteLine(string.Join(",", Enumerable.Range(0, f).Select(j => map[t * f + j].ToString("R", Inv))));
                Console.WriteLine($"wrote {path}");
            }
            return 0;
        }));
        return cmd;
    }

    private static Command Front()
    {
        var input = new Option<string>("--in") { Description = "Trials of a kws search: the .csv or .parquet that naskit search --space kws --evaluator kws --out wrote.", Required = true };
        var by = new Option<string>("--by") { Description = "The accuracy of the front: outcome (test accuracy at the best development epoch) or signal (development accuracy).", DefaultValueFactory = _ => "outcome" };
        var output = new Option<string?>("--out") { Description = "Write every distinct architecture with its accuracy, costs and whether it is on the front to this .csv." };
        var cmd = new Command("front", "The Pareto front of accuracy against parameters and measured batch-1 latency over the architectures of a kws search, with Hello Edge's DS-CNN-S " +
                                       "measured in the same process for reference. Latencies are measured here, one architecture after another, so they share the machine's state.\n" +
                                       "Example:\n  naskit kws front --in reports/kws-search.csv --by outcome --out reports/kws-front.csv")
        {
            input, by, output,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            var metric = r.GetValue(by)!.Trim().ToLowerInvariant();
            if (metric is not ("outcome" or "signal")) throw new ArgumentException($"--by {metric}: use outcome or signal.");
            var rows = NasKit.Reports.TrialTable.Read(r.GetValue(input)!);
            var space = new KwsSpace();
            var settings = AudioFeatureSettings.HelloEdge;
            var shape = new FeatureMapShape(settings.Frames, settings.FeaturesPerFrame);
            var trained = rows.Where(t => !t.Failed && double.IsFinite(metric == "outcome" ? t.Outcome : t.Signal)).ToArray();
            if (trained.Length == 0) throw new ArgumentException($"{r.GetValue(input)} has no successful trial with a finite {metric}; is it a kws search?");
            // An architecture met in several runs counts once, with its mean accuracy.
            var distinct = trained.GroupBy(t => t.Architecture)
                .Select(g => (Arch: (Choices)space.Parse(g.Key), Accuracy: g.Average(t => metric == "outcome" ? t.Outcome : t.Signal))).ToArray();
            TorchRuntime.EnsureLoaded();
            var costed = new List<CostedClassifier<Choices>>();
            Cli.WithProgress("measuring latency", distinct.Length + 1, tick =>
            {
                foreach (var (arch, acc) in distinct) { costed.Add(AudioClassifierCosts.Measure(space, arch, acc, shape, SpokenDigits.Classes)); tick(); }
            });
            var baseline = AudioClassifierCosts.Measure(space, space.DsCnnSmall, double.NaN, shape, SpokenDigits.Classes);
            var front = AudioClassifierCosts.Front(costed);
            Console.WriteLine(string.Create(Inv, $"{distinct.Length} distinct architectures from {trained.Length} successful trials; {front.Count} on the front of {metric} accuracy vs parameters vs latency; {TorchRuntime.Describe()}"));
            Console.WriteLine(string.Create(Inv, $"DS-CNN-S for reference: {baseline.Parameters:N0} parameters, {baseline.MultiplyAccumulates:N0} multiply-accumulates, {baseline.LatencyMs:0.000} ms"));
            Console.WriteLine("accuracy  parameters  mult-adds   latency ms  architecture");
            foreach (var c in front)
                Console.WriteLine(string.Create(Inv, $"{c.Accuracy,7:0.00}%  {c.Parameters,10:N0}  {c.MultiplyAccumulates,10:N0}  {c.LatencyMs,10:0.000}  {c.Architecture.ToText()}"));
            if (r.GetValue(output) is { } path)
            {
                using var writer = Cli.OpenCsv(path, "accuracy,parameters,macs,latency_ms,on_front,architecture", "architectures");
                foreach (var c in costed)
                    writer.WriteLine(string.Create(Inv, $"{c.Accuracy:0.###},{c.Parameters},{c.MultiplyAccumulates},{c.LatencyMs:0.####},{front.Contains(c)},\"{c.Architecture.ToText()}\""));
                Console.WriteLine($"wrote {path}");
            }
            return 0;
        }));
        return cmd;
    }

    private static Command Train()
    {
        var arch = new Option<string>("--arch") { Description = "Architecture of the kws space (text form stem.kernel=10x4, ...), or ds-cnn-s for Hello Edge's DS-CNN-S.", DefaultValueFactory = _ => "ds-cnn-s" };
        var split = new Option<string>("--split") { Description = "Comma-separated splits: official (test = indices 0-4), speaker:NAME (that speaker held out of training; test = its indices 0-4), speaker:all (every speaker in turn), speaker:TEST/DEV (two held out: DEV's 500 recordings select the epoch, TEST's 0-4 test).", DefaultValueFactory = _ => "official" };
        var kind = new Option<string>("--features") { Description = "mfcc (49x10, Hello Edge) or logmel (49x40).", DefaultValueFactory = _ => "mfcc" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (>= 1); the learning rate steps down after each third.", DefaultValueFactory = _ => KeywordSpottingRecipe.HelloEdge.Epochs }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "First seed: initialisation, batch order and augmentation.", DefaultValueFactory = _ => 0 }.Seed();
        var seeds = new Option<int>("--seeds") { Description = "Independent runs per split with seeds seed..seed+seeds-1 (>= 1).", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var output = new Option<string?>("--out") { Description = "Write every finished run to this .csv; rerun with the same options to resume (finished runs are read back, not retrained)." };
        var cmd = new Command("train", "Train a keyword spotter on FSDD with Hello Edge's recipe scaled to FSDD's size (Adam, batch 100, learning rate 3e-3/1e-3/3e-4 by thirds, time-shift and noise augmentation) and report " +
                                       "the test accuracy at the epoch of best development accuracy (indices 5-9), parameters, multiply-accumulates and measured batch-1 latency. With held-out speakers, " +
                                       "also the gap between seen and unseen speakers on the same test recordings.\n" +
                                       "Example:\n  naskit kws train --arch ds-cnn-s --split official,speaker:all --seeds 3 --out reports/ds-cnn-s.csv")
        {
            arch, split, kind, epochs, seed, seeds, output,
        };
        cmd.SetAction(r => Cli.Run(() => RunTrain(r.GetValue(arch)!, r.GetValue(split)!, r.GetValue(kind)!, r.GetValue(epochs), r.GetValue(seed), r.GetValue(seeds), r.GetValue(output))));
        return cmd;
    }

    private static int RunTrain(string archText, string splitText, string kindText, int epochs, int seed, int seeds, string? output)
    {
        OptionRanges.CheckRunSeeds(seed, seeds);
        var space = new KwsSpace();
        var arch = archText.Trim().Equals("ds-cnn-s", StringComparison.OrdinalIgnoreCase) ? space.DsCnnSmall : (Choices)space.Parse(archText);
        var settings = AudioFeatureSettings.HelloEdge with { Kind = KeywordSpottingEvaluatorFactory.ParseKind(kindText) };
        var corpus = SpokenDigits.Fsdd();
        var splits = splitText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(s => s == "speaker:all" ? corpus.Speakers.Select(p => new SpokenDigitSplit(p)) : [SpokenDigitSplit.Parse(s)]).Distinct().ToArray();
        if (splits.Length == 0) throw new ArgumentException("--split names no split; use official, speaker:NAME, speaker:all or speaker:TEST/DEV.");
        foreach (var s in splits) s.Indices(corpus); // unknown speakers fail before any training
        var input = new FeatureMapShape(settings.Frames, settings.FeaturesPerFrame);
        var recipe = KeywordSpottingRecipe.HelloEdge with { Epochs = epochs };
        var config = space.Configure(arch, input, SpokenDigits.Classes);
        using var file = output is null ? null : new ResultJournal<KwsRun>(output, $"arch={arch.ToText()}; features={settings.Kind}; epochs={epochs}", "runs");
        TorchRuntime.EnsureLoaded();
        Console.WriteLine($"architecture: {arch.ToText()}");
        Console.WriteLine(string.Create(Inv, $"parameters: {config.TotalParameters:N0}; multiply-accumulates: {config.MultiplyAccumulates:N0} per clip (Hello Edge counts {2 * config.MultiplyAccumulates / 1e6:0.00} M operations); input {input} {settings.Kind}"));
        Console.WriteLine($"data: FSDD, {corpus.Recordings.Count:N0} recordings, speakers {string.Join(", ", corpus.Speakers)}; {TorchRuntime.Describe()}");
        var rows = new List<KwsRun>(file?.Existing ?? []);
        var todo = splits.SelectMany(sp => Enumerable.Range(seed, seeds).Select(s => (Split: sp, Seed: s)))
            .Where(x => !rows.Any(r => r.Split == x.Split.ToString() && r.Seed == x.Seed)).ToArray();
        if (rows.Count > 0) Console.Error.WriteLine($"resuming {output}: {rows.Count} finished run(s) read back, {todo.Length} to train");
        foreach (var (sp, s) in todo)
        {
            var task = SpokenDigitTasks.Load(sp, settings);
            using var model = space.Build(arch, input, SpokenDigits.Classes, s);
            double latency = AudioClassifierCosts.LatencyMs(model, input);
            KwsResult result = null!;
            Cli.WithProgress($"training {sp} seed {s}", epochs, tick =>
                result = KeywordSpottingTraining.Train(model, task, recipe, s, TorchRuntime.DefaultDevice, e =>
                {
                    Cli.RecordPoint(null, "", string.Create(Inv, $"  {sp} seed {s} epoch {e.Epoch}: lr {e.LearningRate:0.#####}, train loss {e.TrainLoss:0.0000}, train {e.TrainAccuracy:0.0}%, dev {e.DevAccuracy:0.00}%, {e.Seconds:0.0} s"));
                    tick();
                    return true;
                }));
            if (result.Failure is { } failure) throw new ArithmeticException($"{sp} seed {s}: {failure}");
            var run = new KwsRun
            {
                Split = sp.ToString(), Seed = s, BestEpoch = result.BestEpoch, DevAcc = result.DevAccuracy, TestAcc = result.TestAccuracy, Parameters = result.Parameters,
                Macs = config.MultiplyAccumulates, LatencyMs = latency, Seconds = result.Seconds,
                TestBySpeaker = string.Join(";", result.TestBySpeaker.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(Inv, $"{p.Key}={p.Value:0.###}"))),
            };
            file?.Append(run);
            rows.Add(run);
            Console.WriteLine(string.Create(Inv, $"{sp} seed {s}: test {run.TestAcc:0.00}% at epoch {run.BestEpoch} (dev {run.DevAcc:0.00}%); latency {latency:0.000} ms; {run.Seconds:0.0} s"));
        }
        var mine = rows.Where(r => splits.Any(sp => sp.ToString() == r.Split) && r.Seed >= seed && r.Seed < seed + seeds).ToArray();
        foreach (var group in mine.GroupBy(r => r.Split))
        {
            var test = group.Select(r => r.TestAcc).ToArray();
            var spread = test.Length > 1 ? string.Create(Inv, $" ± {Statistics.Std(test):0.00}% (mean ± sample std over {test.Length} seeds)") : "%";
            Console.WriteLine(string.Create(Inv, $"{group.Key}: test accuracy {test.Average():0.00}{spread}; latency median {Statistics.Quantile(group.Select(r => r.LatencyMs).Order().ToArray(), 0.5):0.000} ms; mean time {group.Average(r => r.Seconds):0.0} s"));
        }
        var official = mine.Where(r => r.Split == "official").ToArray();
        var held = mine.Where(r => r.Split.StartsWith("speaker:", StringComparison.Ordinal)).ToArray();
        if (official.Length > 0 && held.Length > 0)
        {
            Console.WriteLine("speaker   seen (official split)   held out   gap   (test recordings 0-4 of that speaker; mean over seeds)");
            var gaps = new List<double>();
            foreach (var g in held.GroupBy(r => SpokenDigitSplit.Parse(r.Split).HeldOutSpeaker!).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                double seen = official.Average(r => r.SpeakerAccuracy(g.Key)), unseen = g.Average(r => r.TestAcc);
                gaps.Add(seen - unseen);
                Console.WriteLine(string.Create(Inv, $"{g.Key,-9} {seen,21:0.00}%  {unseen,8:0.00}%  {seen - unseen,5:0.00}"));
            }
            Console.WriteLine(string.Create(Inv, $"mean gap over {gaps.Count} speaker(s): {gaps.Average():0.00} points"));
        }
        return 0;
    }

    /// <summary>One finished training run, as a row of the --out CSV.</summary>
    private sealed class KwsRun
    {
        public string Split { get; set; } = "";
        public int Seed { get; set; }
        public int BestEpoch { get; set; }
        public double DevAcc { get; set; }
        public double TestAcc { get; set; }
        public long Parameters { get; set; }
        public long Macs { get; set; }
        public double LatencyMs { get; set; }
        public double Seconds { get; set; }
        public string TestBySpeaker { get; set; } = "";

        public double SpeakerAccuracy(string speaker) =>
            TestBySpeaker.Split(';').Select(p => p.Split('=')).Where(p => p.Length == 2 && p[0] == speaker).Select(p => double.Parse(p[1], Inv)).DefaultIfEmpty(double.NaN).First();
    }
}
