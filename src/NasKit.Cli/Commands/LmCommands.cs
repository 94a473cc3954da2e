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
        lm.Subcommands.Add(Proxies());
        lm.Subcommands.Add(HatLatency());
        lm.Subcommands.Add(Latency());
        return lm;
    }

    private static Command Train()
    {
        var arch = new Option<string>("--arch") { Description = "Architecture of the transformer space (text form layers=4, width=128, ...), or nanogpt for nanoGPT's CPU baseline (4 layers, 4 heads, width 128).", DefaultValueFactory = _ => "nanogpt" };
        var iterations = new Option<int>("--iterations") { Description = "Training iterations (>= 1); nanoGPT's baseline trains 2,000.", DefaultValueFactory = _ => 2000 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "First seed: initialisation, batches and dropout.", DefaultValueFactory = _ => 0 }.Seed();
        var seeds = new Option<int>("--seeds") { Description = "Independent runs with seeds seed..seed+seeds-1 (>= 1); mean ± std when more than one.", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var sample = new Option<int>("--sample") { Description = "Characters of text to generate from the last model after training (>= 0).", DefaultValueFactory = _ => 200 }.AtLeast(0);
        var output = new Option<string?>("--out") { Description = "Write the learning curves (Seed, Iteration, TrainLoss, ValidLoss, Seconds; TrainSeconds on a seed's final estimate) to this .csv, a line per estimate as training goes; a rerun with the same architecture and iterations resumes, training only the seeds not finished." };
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
        // A seed is finished when its final estimate (the row with its training time) is in the file; the rows of a seed
        // cut off mid-run are dropped and that seed trains again.
        using var journal = output is null ? null : new ResultJournal<CurvePoint>(output, $"arch={arch.ToText()}; iterations={iterations}", "learning curves",
            rows => rows.Where(r => rows.Any(f => f.Seed == r.Seed && f.TrainSeconds > 0)).ToArray());
        var resumed = journal?.Existing.Where(r => r.TrainSeconds > 0 && r.Seed >= seed && r.Seed < seed + seeds).ToDictionary(r => r.Seed) ?? [];
        if (resumed.Count > 0) Console.Error.WriteLine($"resuming {output}: seed(s) {string.Join(", ", resumed.Keys.Order())} read back");
        TorchRuntime.EnsureLoaded();
        var device = TorchRuntime.DefaultDevice;
        Console.WriteLine($"architecture: {arch.ToText()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parameters: {config.TotalParameters:N0} total, {config.TotalParameters - (config.Position == PositionKind.Learned ? (long)config.Context * config.Width : 0):N0} without position embeddings (nanoGPT's count), {config.DecoderParameters:N0} in the decoder layers"));
        Console.WriteLine($"data: {corpus.Name}, vocabulary {corpus.VocabularySize}, {corpus.Train.Length:N0} training and {corpus.Valid.Length:N0} validation characters; {TorchRuntime.Describe()}");
        var finals = new List<(double ValidLoss, double TrainSeconds)>();
        DecoderTransformer? last = null;
        for (int s = seed; s < seed + seeds; s++)
        {
            if (resumed.TryGetValue(s, out var done))
            {
                finals.Add((done.ValidLoss, done.TrainSeconds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {s}: valid loss {done.ValidLoss:0.0000}, train loss {done.TrainLoss:0.0000} after {done.Iteration} iterations; {done.TrainSeconds:0.0} s training (read back)"));
                continue;
            }
            last?.Dispose();
            var model = new DecoderTransformer(config, s);
            LanguageModelResult result = null!;
            int estimates = (iterations - 1) / recipe.EvalInterval + 2;
            var points = new List<CurvePoint>();
            Cli.WithProgress($"training seed {s}", estimates, tick =>
                result = LanguageModelTraining.Train(model, corpus, recipe, s, device, p =>
                {
                    var point = new CurvePoint { Seed = s, Iteration = p.Iteration, TrainLoss = p.TrainLoss, ValidLoss = p.ValidLoss, Seconds = p.Seconds };
                    points.Add(point);
                    if (p.Iteration < iterations) journal?.Append(point); // the final estimate is written with the training time below
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seed {s} iteration {p.Iteration}: train {p.TrainLoss:0.0000}, valid {p.ValidLoss:0.0000}, {p.Seconds:0.0} s"));
                    tick();
                    return true;
                }));
            if (result.Failure is { } failure) throw new ArithmeticException($"seed {s}: {failure}");
            journal?.Append(points[^1] with { TrainSeconds = result.TrainSeconds });
            finals.Add((result.ValidLoss, result.TrainSeconds));
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

    private static Command Proxies()
    {
        var sample = new Option<int>("--sample") { Description = "Architectures sampled uniformly from the transformer space and trained (>= 3).", DefaultValueFactory = _ => 40 }.AtLeast(3);
        var iterations = new Option<int>("--iterations") { Description = "Training iterations of every model: the fixed budget (>= 1).", DefaultValueFactory = _ => 500 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seed of the sample, the initialisations, the batches and the proxies' batch.", DefaultValueFactory = _ => 0 }.Seed();
        var output = new Option<string>("--out") { Description = "CSV of every model (architecture, losses, scores), a line as each finishes; rerunning with the same options resumes.", DefaultValueFactory = _ => "runs/lm-proxies.csv" };
        var cmd = new Command("proxies", "Lightweight Transformer Search's question: train sampled Transformers at one budget on Tiny Shakespeare (nanoGPT's recipe) and rank-correlate " +
                                         "their validation loss with training-free scores: decoder parameters, total parameters (params), FLOPs and the gradient proxies that apply to " +
                                         "sequence models (grad_norm, snip, grasp, fisher).\nExample:\n  naskit lm proxies --sample 40 --iterations 500 --seed 0 --out runs/lm-proxies.csv")
        {
            sample, iterations, seed, output,
        };
        cmd.SetAction(r => Cli.Run(() => RunProxies(r.GetValue(sample), r.GetValue(iterations), r.GetValue(seed), r.GetValue(output)!)));
        return cmd;
    }

    private static int RunProxies(int count, int iterations, int seed, string output)
    {
        if (!output.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"--out {output}: give a path ending in .csv.");
        var space = new DecoderSpace();
        var corpus = CharCorpus.TinyShakespeare();
        var recipe = LanguageModelRecipe.NanoGptShakespeareCpu with { Iterations = iterations, EvalInterval = iterations };
        var rng = new Random(seed);
        var archs = new List<Choices>();
        while (archs.Count < count) { var a = space.Sample(rng); if (!archs.Contains(a)) archs.Add(a); }
        int Vocab = corpus.VocabularySize, ctx = recipe.Context;
        var study = new NasKit.Experiments.SequenceProxyStudy<Choices>(space, corpus, recipe, seed)
        {
            Counts = new Dictionary<string, Func<Choices, double>>
            {
                ["decoder_params"] = a => space.Configure(a, Vocab, ctx).DecoderParameters,
            },
        };
        var header = new[] { "architecture", "iterations", "valid_loss", "train_loss", "train_seconds" }.Concat(study.Counts.Keys).Concat(study.Proxies).ToArray();
        var rows = ReadProxyRows(output, header, iterations);
        var stale = rows.Where(r => !archs.Any(a => a.ToText() == r.Architecture)).Select(r => r.Architecture).FirstOrDefault();
        if (stale is not null) throw new ArgumentException($"{output} holds models of another sample ({stale}); give another --out or the options it was written with.");
        TorchRuntime.EnsureLoaded();
        Console.Error.WriteLine($"{rows.Count} of {count} models already in {output}; {TorchRuntime.Describe()}");
        var dir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (dir is not null) Directory.CreateDirectory(dir);
        bool fresh = !File.Exists(output) || new FileInfo(output).Length == 0;
        using (var writer = new StreamWriter(output, append: true))
        {
            using var csv = new CsvHelper.CsvWriter(writer, CultureInfo.InvariantCulture);
            if (fresh) { foreach (var h in header) csv.WriteField(h); csv.NextRecord(); writer.Flush(); }
            var todo = archs.Where(a => !rows.Any(r => r.Architecture == a.ToText())).ToArray();
            Cli.WithProgress("training sampled Transformers", todo.Length, tick =>
            {
                foreach (var arch in todo)
                {
                    var row = study.Measure(arch);
                    rows.Add(row);
                    csv.WriteField(row.Architecture);
                    csv.WriteField(iterations.ToString(CultureInfo.InvariantCulture));
                    foreach (var v in new[] { row.ValidLoss, row.TrainLoss, row.TrainSeconds }.Concat(header.Skip(5).Select(h => row.Predictors[h])))
                        csv.WriteField(v.ToString("R", CultureInfo.InvariantCulture));
                    csv.NextRecord();
                    writer.Flush();
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rows.Count}/{count}: valid loss {row.ValidLoss:0.0000}, {row.Predictors["params"]:0.00}M parameters, {row.TrainSeconds:0} s"));
                    tick();
                }
            });
        }
        var inv = CultureInfo.InvariantCulture;
        var losses = rows.Select(r => r.ValidLoss).Where(double.IsFinite).ToArray();
        Console.WriteLine(string.Create(inv, $"{losses.Length} of {rows.Count} models trained {iterations} iterations without diverging; validation loss {losses.Min():0.000}..{losses.Max():0.000}"));
        Console.WriteLine("predictor         Kendall tau  Spearman rho   (score against -validation loss)");
        foreach (var c in NasKit.Experiments.SequenceProxyStudy<Choices>.Correlate(rows))
            Console.WriteLine(string.Create(inv, $"{c.Predictor,-16} {c.KendallTau,12:0.000} {c.Spearman,13:0.000}"));
        return 0;
    }

    private static Command Latency()
    {
        var arch = new Option<string>("--arch") { Description = "Architecture of the transformer space, or nanogpt.", DefaultValueFactory = _ => "nanogpt" };
        var repeats = new Option<int>("--repeats") { Description = "Timed forward passes after 3 warm-up passes (>= 1).", DefaultValueFactory = _ => 20 }.AtLeast(1);
        var cmd = new Command("latency", "Measure a Transformer's latency on this machine: prefill (one forward pass over batch 12 x 64 tokens) and one generated token " +
                                         "(batch 1, the 64-token window recomputed: the models keep no key/value cache), median and 10th/90th percentiles.\nExample:\n  naskit lm latency --arch nanogpt")
        {
            arch, repeats,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            var space = new DecoderSpace();
            string text = r.GetValue(arch)!;
            var a = text.Trim().Equals("nanogpt", StringComparison.OrdinalIgnoreCase) ? space.NanoGptBaseline : (Choices)space.Parse(text);
            TorchRuntime.EnsureLoaded();
            using var net = space.Build(a, 65, 64, 0);
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"{a.ToText()}\n{TorchRuntime.Describe()}");
            foreach (var (label, batch) in new[] { ("prefill, batch 12 x 64 tokens", 12), ("one generated token, batch 1, 64-token window", 1) })
            {
                var m = NasKit.Hardware.LatencyMeter.MeasureTokens(net, batch, 64, 65, repeats: r.GetValue(repeats));
                Console.WriteLine(string.Create(inv, $"{label}: median {m.MedianMs:0.00} ms (p10 {m.P10Ms:0.00}, p90 {m.P90Ms:0.00})"));
            }
            return 0;
        }));
        return cmd;
    }

    private static Command HatLatency()
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the shuffle that splits each data set and of the predictors.", DefaultValueFactory = _ => 0 }.Seed();
        var steps = new Option<int>("--mlp-steps") { Description = "Training steps of HAT's MLP (>= 1; HAT's default 5,000).", DefaultValueFactory = _ => 5000 }.AtLeast(1);
        var cmd = new Command("hat-latency", "Latency predictors on HAT's data sets (2,000 measured encoder-decoder Transformers per task and device): HAT's own MLP on its 10 features, " +
                                             "ridge regression and gradient-boosted trees, each fitted on 80% of a seeded shuffle and scored on the last 10% (HAT's split): RMSE, " +
                                             "mean absolute percentage deviation and Kendall tau.\nExample:\n  naskit lm hat-latency --seed 0")
        {
            seed, steps,
        };
        cmd.SetAction(r => Cli.Run(() => RunHatLatency(r.GetValue(seed), r.GetValue(steps))));
        return cmd;
    }

    private static int RunHatLatency(int seed, int mlpSteps)
    {
        var names = NasKit.SearchSpaces.HatTransformer.HatLatencyData.Names();
        TorchRuntime.EnsureLoaded();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{"data set",-28} {"predictor",-26} {"mean latency",12} {"RMSE",10} {"MAPD",7} {"tau",6}");
        foreach (var name in names)
        {
            var samples = NasKit.SearchSpaces.HatTransformer.HatLatencyData.Load(name);
            var results = NasKit.SearchSpaces.HatTransformer.HatLatencyStudy.Run(name, samples, seed,
                NasKit.SearchSpaces.HatTransformer.HatLatencyStudy.DefaultPredictors(seed, mlpSteps));
            foreach (var r in results)
                Console.WriteLine(string.Create(inv, $"{r.DataSet,-28} {r.Predictor,-26} {r.MeanLatencyMs,9:0.0} ms {r.RmseMs,7:0.00} ms {100 * r.Mapd,6:0.0}% {r.KendallTau,6:0.000}"));
        }
        return 0;
    }

    private static List<NasKit.Experiments.SequenceProxyRow> ReadProxyRows(string path, string[] header, int iterations)
    {
        var rows = new List<NasKit.Experiments.SequenceProxyRow>();
        if (!File.Exists(path) || new FileInfo(path).Length == 0) return rows;
        using var reader = new StreamReader(path);
        using var csv = new CsvHelper.CsvReader(reader, CultureInfo.InvariantCulture);
        if (!csv.Read() || !csv.ReadHeader() || !csv.HeaderRecord!.SequenceEqual(header))
            throw new InvalidDataException($"{path} is not a proxy table of this command (expected columns {string.Join(",", header)}); give another --out.");
        while (csv.Read())
        {
            double Num(string c) => double.TryParse(csv.GetField(c), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                : throw new InvalidDataException($"{path} line {csv.Parser.Row}: {c} is '{csv.GetField(c)}', not a number; delete the line to recompute it.");
            if (Num("iterations") != iterations)
                throw new ArgumentException($"{path} line {csv.Parser.Row} was trained {csv.GetField("iterations")} iterations, not --iterations {iterations}; give another --out to train at another budget.");
            rows.Add(new(csv.GetField("architecture")!, Num("valid_loss"), Num("train_loss"), Num("train_seconds"),
                header.Skip(5).ToDictionary(h => h, Num)));
        }
        return rows;
    }

    /// <summary>One estimate of a training run, a row of --out; the final one of a seed carries its training time.</summary>
    private sealed record CurvePoint
    {
        public int Seed { get; init; }
        public int Iteration { get; init; }
        public double TrainLoss { get; init; }
        public double ValidLoss { get; init; }
        public double Seconds { get; init; }
        /// <summary>Training time without the estimates; 0 until the seed's final estimate.</summary>
        public double TrainSeconds { get; init; }
    }
}
