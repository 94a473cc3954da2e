using System.CommandLine;
using System.Globalization;
using NasKit.Analysis;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Runtime;
using NasKit.SearchSpaces.Transformer;
using NasKit.Spaces;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit lm</c>: character-level language models of the Transformer space, trained on Tiny Shakespeare.</summary>
internal static class LmCommands
{
    /// <summary>nanoGPT's README: the CPU run of shakespeare_char with this configuration reaches a validation loss of about 1.88.</summary>
    public const double NanoGptReportedValidLoss = 1.88;

    public static Command Create()
    {
        var lm = new Command("lm", "Character-level language modelling with the Transformer space (Tiny Shakespeare, nanoGPT's split and recipe).\nExample:\n  naskit lm train --seeds 3");
        lm.Subcommands.Add(Train());
        return lm;
    }

    private static Command Train()
    {
        var arch = new Option<string>("--arch") { Description = "Architecture of the transformer space (text form layers=4, width=128, ...), or nanogpt for nanoGPT's CPU baseline (4 layers, 4 heads, width 128).", DefaultValueFactory = _ => "nanogpt" };
        var iterations = new Option<int>("--iterations") { Description = "Training iterations (>= 1); nanoGPT's baseline trains 2,000.", DefaultValueFactory = _ => 2000 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "First seed: initialisation, batches and dropout.", DefaultValueFactory = _ => 0 }.Seed();
        var seeds = new Option<int>("--seeds") { Description = "Independent runs with seeds seed..seed+seeds-1 (>= 1); mean ± std when more than one.", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var sample = new Option<int>("--sample") { Description = "Characters of text to generate from the last model after training (>= 0).", DefaultValueFactory = _ => 200 }.AtLeast(0);
        var output = new Option<string?>("--out") { Description = "Write the learning curves (seed, iteration, train_loss, valid_loss, seconds) to this .csv, a line per estimate as training goes." };
        var cmd = new Command("train", "Train a decoder-only Transformer on Tiny Shakespeare with nanoGPT's shakespeare_char CPU recipe (batch 12, context 64, AdamW, " +
                                       "lr 1e-3 cosine to 1e-4, warm-up 100, clip 1) and report the validation loss in nats per character, estimated on 200 batches " +
                                       "after the last iteration, next to nanoGPT's reported 1.88.\nExample:\n  naskit lm train --arch nanogpt --iterations 2000 --seeds 3 --out reports/lm-baseline.csv")
        {
            arch, iterations, seed, seeds, sample, output,
        };
        cmd.SetAction(r => Cli.Run(() => RunTrain(r.GetValue(arch)!, r.GetValue(iterations), r.GetValue(seed), r.GetValue(seeds), r.GetValue(sample), r.GetValue(output))));
        return cmd;
    }

    private static int RunTrain(string archText, int iterations, int seed, int seeds, int sampleLength, string? output)
    {
        OptionRanges.CheckRunSeeds(seed, seeds);
        var space = new DecoderSpace();
        var arch = archText.Trim().Equals("nanogpt", StringComparison.OrdinalIgnoreCase) ? space.NanoGptBaseline : (Choices)space.Parse(archText);
        var corpus = CharCorpus.TinyShakespeare();
        var recipe = LanguageModelRecipe.NanoGptShakespeareCpu with { Iterations = iterations };
        var config = space.Configure(arch, corpus.VocabularySize, recipe.Context);
        using var writer = output is null ? null : OpenCurveFile(output);
        TorchRuntime.EnsureLoaded();
        var device = TorchRuntime.DefaultDevice;
        Console.WriteLine($"architecture: {arch.ToText()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parameters: {config.TotalParameters:N0} total, {config.TotalParameters - (config.Position == PositionKind.Learned ? (long)config.Context * config.Width : 0):N0} without position embeddings (nanoGPT's count), {config.DecoderParameters:N0} in the decoder layers"));
        Console.WriteLine($"data: {corpus.Name}, vocabulary {corpus.VocabularySize}, {corpus.Train.Length:N0} training and {corpus.Valid.Length:N0} validation characters; {TorchRuntime.Describe()}");
        var finals = new List<LanguageModelResult>();
        DecoderTransformer? last = null;
        for (int s = seed; s < seed + seeds; s++)
        {
            last?.Dispose();
            var model = new DecoderTransformer(config, s);
            LanguageModelResult result = null!;
            int estimates = (iterations - 1) / recipe.EvalInterval + 2;
            Cli.WithProgress($"training seed {s}", estimates, tick =>
                result = LanguageModelTraining.Train(model, corpus, recipe, s, device, p =>
                {
                    writer?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s},{p.Iteration},{p.TrainLoss:0.#####},{p.ValidLoss:0.#####},{p.Seconds:0.###}"));
                    writer?.Flush();
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seed {s} iteration {p.Iteration}: train {p.TrainLoss:0.0000}, valid {p.ValidLoss:0.0000}, {p.Seconds:0.0} s"));
                    tick();
                    return true;
                }));
            if (result.Failure is { } failure) throw new ArithmeticException($"seed {s}: {failure}");
            finals.Add(result);
            last = model;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seed {s}: valid loss {result.ValidLoss:0.0000}, train loss {result.TrainLoss:0.0000} after {result.Iterations} iterations; " +
                $"{result.TrainSeconds:0.0} s training ({result.TrainSeconds * 1000 / result.Iterations:0.0} ms/iteration), {result.Seconds:0.0} s with estimates"));
        }
        var valid = finals.Select(r => r.ValidLoss).ToArray();
        var (mean, std) = (valid.Average(), Statistics.Std(valid));
        Console.WriteLine(seeds > 1
            ? string.Create(CultureInfo.InvariantCulture, $"valid loss: {mean:0.0000} ± {std:0.0000} (mean ± sample std over {seeds} seeds); mean training time {finals.Average(r => r.TrainSeconds):0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $"valid loss: {mean:0.0000}; training time {finals[0].TrainSeconds:0.0} s"));
        if (arch.Equals(space.NanoGptBaseline) && iterations == LanguageModelRecipe.NanoGptShakespeareCpu.Iterations)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nanoGPT reports about {NanoGptReportedValidLoss:0.00} for this configuration (README, CPU run); difference {mean - NanoGptReportedValidLoss:+0.0000;-0.0000}"));
        if (sampleLength > 0 && last is not null)
        {
            var text = corpus.Decode(last.Generate(corpus.Encode("\n"), sampleLength, seed));
            Console.WriteLine($"sample (seed {seed + seeds - 1}, temperature 1):\n{text}");
        }
        last?.Dispose();
        return 0;
    }

    private static StreamWriter OpenCurveFile(string path)
    {
        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"--out {path}: learning curves are written as .csv; give a path ending in .csv.");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        var writer = new StreamWriter(path, append: false);
        writer.WriteLine("seed,iteration,train_loss,valid_loss,seconds");
        return writer;
    }
}
