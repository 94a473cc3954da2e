using System.CommandLine;
using System.Globalization;
using CsvHelper;
using NasKit.Analysis;
using NasKit.Data;
using NasKit.Runtime;
using NasKit.SearchSpaces.MultimodalFusion;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit fusion</c>: the audio-visual digit task (AV-MNIST style) and MFAS-style fusion search.</summary>
internal static class FusionCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var cmd = new Command("fusion", "Multi-modal fusion on audio-visual digits (an MNIST image and an FSDD recording of the same digit, built like AV-MNIST).\n" +
                                        "Example:\n  naskit fusion compare --seeds 5 --out reports/fusion.csv");
        cmd.Subcommands.Add(Compare());
        return cmd;
    }

    private static Command Compare()
    {
        var seed = new Option<int>("--seed") { Description = "First training seed (the pairing and the noise are fixed by --pairing-seed).", DefaultValueFactory = _ => 0 }.Seed();
        var seeds = new Option<int>("--seeds") { Description = "Seeds seed..seed+seeds-1 (>= 1); every model is trained once per seed.", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var queries = new Option<int>("--queries") { Description = "Fusion architectures regularized evolution trains per seed (>= 1).", DefaultValueFactory = _ => 30 }.AtLeast(1);
        var unimodal = new Option<int>("--unimodal-epochs") { Description = "Epochs of the image and audio networks (>= 1).", DefaultValueFactory = _ => 15 }.AtLeast(1);
        var fusion = new Option<int>("--fusion-epochs") { Description = "Epochs of each fusion network and of early fusion (>= 1).", DefaultValueFactory = _ => 30 }.AtLeast(1);
        var energy = new Option<double>("--image-energy") { Description = "Share of the images' energy removed by PCA, in [0, 1) (AV-MNIST: 0.75).", DefaultValueFactory = _ => 0.75 };
        var snr = new Option<double?>("--audio-snr") { Description = "White noise mixed into every clip at this SNR in dB [>= -60, <= 100] (default 0; give --clean-audio for none)." };
        var clean = new Option<bool>("--clean-audio") { Description = "Leave the recordings without added noise." };
        var pairing = new Option<int>("--pairing-seed") { Description = "Seed of the image-recording pairing and of the task's noise.", DefaultValueFactory = _ => 0 }.Seed();
        var output = new Option<string?>("--out") { Description = "Write every model of every finished seed to this .csv; rerun with the same options to resume." };
        var cmd = new Command("compare", "Train image-only, audio-only, early fusion (inputs concatenated), late fusion (probabilities averaged) and the fusion architecture " +
                                         "regularized evolution finds in the fusion space over the frozen unimodal networks (MFAS), on every seed; report test accuracy " +
                                         "clean and with the image or the audio replaced by noise, mean ± std over seeds, and the architectures found.\n" +
                                         "Example:\n  naskit fusion compare --seeds 5 --queries 30 --out reports/fusion.csv")
        {
            seed, seeds, queries, unimodal, fusion, energy, snr, clean, pairing, output,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            int first = r.GetValue(seed), n = r.GetValue(seeds);
            OptionRanges.CheckRunSeeds(first, n);
            double e = r.GetValue(energy);
            if (e is < 0 or >= 1 || double.IsNaN(e)) throw new ArgumentException($"--image-energy must lie in [0, 1), got {e}.");
            double? noise = r.GetValue(clean) ? null : r.GetValue(snr) ?? 0;
            if (noise is { } db0 && !(db0 >= -60 && db0 <= 100)) throw new ArgumentException($"--audio-snr must lie in [-60, 100] dB, got {db0}.");
            var avSettings = new AudioVisualSettings(e, noise, r.GetValue(pairing));
            var settings = new FusionStudySettings(r.GetValue(unimodal), r.GetValue(fusion), r.GetValue(queries));
            using var file = r.GetValue(output) is { } path ? new ResultJournal<FusionComparisonRow>(path, $"{avSettings}; {settings}", "fusion comparisons",
                // A seed is appended whole; a torn seed (killed mid-write) is dropped and rerun.
                rows => rows.GroupBy(x => x.Seed).Where(g => g.Count() == 5).SelectMany(g => g).ToArray()) : null;
            TorchRuntime.EnsureLoaded();
            var task = AudioVisualDigits.Load(avSettings);
            Console.WriteLine(string.Create(Inv, $"task: {task.Train.Count:N0} training, {task.Dev.Count:N0} development, {task.Test.Count:N0} test pairs; images lose {task.ImageComponentsRemoved} principal components ({e * 100:0}% of the energy); ") +
                              (noise is { } db ? string.Create(Inv, $"audio with white noise at {db:0.#} dB") : "clean audio") + $"; {TorchRuntime.Describe()}");
            var rows = new List<FusionComparisonRow>(file?.Existing ?? []);
            var todo = Enumerable.Range(first, n).Where(s => rows.All(x => x.Seed != s)).ToArray();
            if (rows.Count > 0) Console.Error.WriteLine($"resuming {r.GetValue(output)}: {rows.Select(x => x.Seed).Distinct().Count()} finished seed(s) read back, {todo.Length} to run");
            foreach (var s in todo)
            {
                var fresh = FusionStudy.RunSeed(task, s, settings, line => Console.Error.WriteLine("  " + line));
                file?.Append(fresh); // a seed is written whole: a killed run redoes only the seed it was in
                rows.AddRange(fresh);
            }
            var mine = rows.Where(x => x.Seed >= first && x.Seed < first + n).ToArray();
            string MeanStd(IEnumerable<double> v)
            {
                var a = v.ToArray();
                return a.Length > 1 ? string.Create(Inv, $"{a.Average(),6:0.00} ± {Statistics.Std(a),4:0.00}") : string.Create(Inv, $"{a[0],6:0.00}       ");
            }
            Console.WriteLine($"model            test accuracy %   image -> noise    audio -> noise    parameters   (mean ± sample std over {n} seed(s))");
            foreach (var g in mine.GroupBy(x => x.Model))
                Console.WriteLine(string.Create(Inv, $"{g.Key,-16} {MeanStd(g.Select(x => x.TestAccuracy)),-17} {MeanStd(g.Select(x => x.ImageNoiseAccuracy)),-17} {MeanStd(g.Select(x => x.AudioNoiseAccuracy)),-17} {g.Average(x => x.Parameters),10:N0}"));
            foreach (var x in mine.Where(x => x.Model == FusionStudy.Searched).OrderBy(x => x.Seed))
                Console.WriteLine(string.Create(Inv, $"seed {x.Seed} found: {x.Architecture}"));
            return 0;
        }));
        return cmd;
    }
}
