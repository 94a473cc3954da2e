using System.CommandLine;
using System.Globalization;
using NasKit.Analysis;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Runtime;
using NasKit.SearchSpaces.TextClassification;
using NasKit.Spaces;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit textcls</c>: sentence classification (TREC, SST-2) with the textcls space, Kim's CNN as its baseline.</summary>
internal static class TextClsCommands
{
    /// <summary>harvardnlp/sent-conv-torch's README: Kim's CNN with random embeddings (CNN-rand), test accuracy in percent.</summary>
    public static IReadOnlyDictionary<string, double> HarvardNlpRand { get; } = new Dictionary<string, double> { ["trec"] = 88.2, ["sst2"] = 83.5 };

    public static Command Create()
    {
        var cmd = new Command("textcls", "Sentence classification with the textcls space (TREC question types, SST-2 sentiment; random embeddings). Search it with " +
                                         "naskit search --space textcls --evaluator textcls:data=trec.\nExample:\n  naskit textcls train --data trec --arch kim --seeds 3");
        cmd.Subcommands.Add(Train());
        return cmd;
    }

    private static Command Train()
    {
        var data = new Option<string>("--data") { Description = "Task: trec (6 question types; development set split from training per seed) or sst2 (binary sentiment, sentence level).", DefaultValueFactory = _ => "trec" };
        var arch = new Option<string>("--arch") { Description = "Architecture of the textcls space (text form layers=1, embed=300, ...), or kim for Kim's CNN-rand (widths 3/4/5 × 100 maps, 300-wide embeddings).", DefaultValueFactory = _ => "kim" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (>= 1); Kim and harvardnlp train 25.", DefaultValueFactory = _ => 25 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "First seed: initialisation, development split, batch order and dropout.", DefaultValueFactory = _ => 0 }.Seed();
        var seeds = new Option<int>("--seeds") { Description = "Independent runs with seeds seed..seed+seeds-1 (>= 1); mean ± std when more than one.", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var output = new Option<string?>("--out") { Description = "Write every epoch (Seed, Epoch, TrainLoss, TrainAcc, DevAcc, TestAcc, Seconds) to this .csv as training goes; a rerun with the same data, architecture and epochs resumes, training only the seeds not finished." };
        var cmd = new Command("train", "Train a sentence classifier with Kim's recipe (Adadelta ρ 0.95, batch 50, max-norm 3 on the output layer, padding 4) and report the " +
                                       "test accuracy at the epoch of best development accuracy, next to harvardnlp's CNN-rand reproduction (TREC 88.2%, SST-2 83.5%).\n" +
                                       "Example:\n  naskit textcls train --data sst2 --arch kim --epochs 25 --seeds 3 --out reports/kim-sst2.csv")
        {
            data, arch, epochs, seed, seeds, output,
        };
        cmd.SetAction(r => Cli.Run(() => RunTrain(r.GetValue(data)!, r.GetValue(arch)!, r.GetValue(epochs), r.GetValue(seed), r.GetValue(seeds), r.GetValue(output))));
        return cmd;
    }

    private static int RunTrain(string data, string archText, int epochs, int seed, int seeds, string? output)
    {
        OptionRanges.CheckRunSeeds(seed, seeds);
        var space = new SentenceClassifierSpace();
        bool kim = archText.Trim().Equals("kim", StringComparison.OrdinalIgnoreCase);
        var arch = kim ? space.KimCnn : (Choices)space.Parse(archText);
        var task = SentenceTask.Named(data.Trim().ToLowerInvariant());
        var config = space.Configure(arch, task.VocabularySize, task.Classes);
        var recipe = SentenceClassifierRecipe.Kim with { Epochs = epochs };
        // A seed is finished when all its epochs are in the file; the rows of a seed cut off mid-run are dropped and it trains again.
        using var journal = output is null ? null : new ResultJournal<EpochRow>(output, $"data={task.Name}; arch={arch.ToText()}; epochs={epochs}", "epochs",
            rows => rows.Where(r => rows.Any(f => f.Seed == r.Seed && f.Epoch == epochs)).ToArray());
        var resumed = (journal?.Existing ?? []).Where(r => r.Seed >= seed && r.Seed < seed + seeds).GroupBy(r => r.Seed).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Epoch).ToArray());
        if (resumed.Count > 0) Console.Error.WriteLine($"resuming {output}: seed(s) {string.Join(", ", resumed.Keys.Order())} read back");
        TorchRuntime.EnsureLoaded();
        Console.WriteLine($"architecture: {arch.ToText()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parameters: {config.TotalParameters:N0} ({config.EmbeddingParameters:N0} in the embeddings); Kim's CNN on this task: {space.Parameters(space.KimCnn, task.VocabularySize, task.Classes):N0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"data: {task.Name}, {task.Classes} classes, vocabulary {task.VocabularySize:N0}, {task.Train.Count:N0} training{(task.Dev is null ? " (a tenth held out for development per seed)" : $", {task.Dev.Count:N0} development")} and {task.Test.Count:N0} test sentences; {TorchRuntime.Describe()}"));
        var results = new List<(double TestAccuracy, double Seconds)>();
        for (int s = seed; s < seed + seeds; s++)
        {
            if (resumed.TryGetValue(s, out var rows))
            {
                // The first epoch of the best development accuracy, as the training itself chooses.
                var best = rows.Aggregate((b, r) => r.DevAcc > b.DevAcc ? r : b);
                results.Add((best.TestAcc, rows[^1].Seconds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {s}: test {best.TestAcc:0.00}% at epoch {best.Epoch} (best development accuracy {best.DevAcc:0.00}%); {rows[^1].Seconds:0.0} s (read back)"));
                continue;
            }
            using var model = space.Build(arch, task.VocabularySize, task.Classes, s);
            SentenceClassifierResult result = null!;
            Cli.WithProgress($"training seed {s}", epochs, tick =>
                result = SentenceClassifierTraining.Train(model, task, recipe, s, TorchRuntime.DefaultDevice, e =>
                {
                    journal?.Append(new EpochRow { Seed = s, Epoch = e.Epoch, TrainLoss = e.TrainLoss, TrainAcc = e.TrainAccuracy, DevAcc = e.DevAccuracy, TestAcc = e.TestAccuracy, Seconds = e.Seconds });
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seed {s} epoch {e.Epoch}: train loss {e.TrainLoss:0.0000}, train {e.TrainAccuracy:0.0}%, dev {e.DevAccuracy:0.00}%, {e.Seconds:0.0} s"));
                    tick();
                    return true;
                }));
            if (result.Failure is { } failure) throw new ArithmeticException($"seed {s}: {failure}");
            results.Add((result.TestAccuracy, result.Seconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seed {s}: test {result.TestAccuracy:0.00}% at epoch {result.BestEpoch} (best development accuracy {result.DevAccuracy:0.00}%); {result.Seconds:0.0} s"));
        }
        var test = results.Select(r => r.TestAccuracy).ToArray();
        Console.WriteLine(seeds > 1
            ? string.Create(CultureInfo.InvariantCulture, $"test accuracy: {test.Average():0.00} ± {Statistics.Std(test):0.00}% (mean ± sample std over {seeds} seeds); mean time {results.Average(r => r.Seconds):0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $"test accuracy: {test[0]:0.00}%; time {results[0].Seconds:0.0} s"));
        if (kim && HarvardNlpRand.TryGetValue(task.Name, out var reference))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"harvardnlp's CNN-rand reports {reference:0.0}% on {task.Name}; difference {test.Average() - reference:+0.00;-0.00} points") +
                (task.Name == "sst2" ? " (harvardnlp trains SST-2 on its phrases as well; the data here has the sentences only)" : ""));
        return 0;
    }

    /// <summary>One epoch of one seed, a row of --out.</summary>
    private sealed record EpochRow
    {
        public int Seed { get; init; }
        public int Epoch { get; init; }
        public double TrainLoss { get; init; }
        public double TrainAcc { get; init; }
        public double DevAcc { get; init; }
        public double TestAcc { get; init; }
        public double Seconds { get; init; }
    }
}
