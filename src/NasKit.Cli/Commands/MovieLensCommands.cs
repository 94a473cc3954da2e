using System.CommandLine;
using System.Globalization;
using NasKit.Analysis;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Runtime;
using NasKit.SearchSpaces.Recommendation;
using NasKit.Spaces;

namespace NasKit.Cli.Commands;

/// <summary>One model on one seed of a MovieLens comparison.</summary>
public sealed record RatingComparisonRow(int Seed, string Model, double DevRmse, double TestRmse, long EmbeddingParameters, long Parameters, int BestEpoch, double Seconds, string Architecture = "");

/// <summary><c>naskit movielens</c>: rating prediction on MovieLens ml-latest-small and the recommendation space.</summary>
internal static class MovieLensCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var cmd = new Command("movielens", "Rating prediction on MovieLens ml-latest-small (Debian's r-cran-dslabs, exported by setup) with the recommendation space. Search it with " +
                                           "naskit search --space recommendation --evaluator movielens --epochs 20.\nExample:\n  naskit movielens baselines --seeds 3 --factors 8,32");
        cmd.Subcommands.Add(Train("baselines", "The baselines on every seed: the global mean, the movie and user effects (shrinkage chosen on the development ratings), and biased " +
                                               "matrix factorisation with each --factors, trained like every model of the space; test RMSE mean ± std over seeds.\n" +
                                               "Example:\n  naskit movielens baselines --seeds 3 --factors 8,32,64 --out reports/movielens-baselines.csv", baselines: true));
        cmd.Subcommands.Add(Train("train", "Train architectures of the recommendation space on every seed (each seed its own 80/20 split and initialisation); test RMSE mean ± std over seeds.\n" +
                                           "Example:\n  naskit movielens train --arch \"user=16, movie=64, genres=8, interaction=dot\" --seeds 3", baselines: false));
        cmd.Subcommands.Add(Front());
        return cmd;
    }

    private static Command Train(string name, string description, bool baselines)
    {
        var arch = new Option<string>("--arch") { Description = "Architectures separated by ';', in the space's text form (user=32, movie=32, genres=none, interaction=dot) or mf:K for biased matrix factorisation.", Required = !baselines };
        var factors = new Option<string>("--factors") { Description = "Factors of the matrix-factorisation baselines, comma-separated, each one of 2, 4, 8, 16, 32, 64.", DefaultValueFactory = _ => "8,32" };
        var seed = new Option<int>("--seed") { Description = "First seed: of the split and of the initialisation.", DefaultValueFactory = _ => 0 }.Seed();
        var seeds = new Option<int>("--seeds") { Description = "Seeds seed..seed+seeds-1 (>= 1).", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (>= 1); the epoch with the lowest development RMSE is kept.", DefaultValueFactory = _ => 20 }.AtLeast(1);
        var lr = new Option<double>("--lr") { Description = "Adam's learning rate (> 0).", DefaultValueFactory = _ => 1e-2 }.AtLeast(0, exclusive: true);
        var l2 = new Option<double>("--l2") { Description = "Weight of the squared norm of each rating's embeddings and biases (>= 0).", DefaultValueFactory = _ => 0.15 }.AtLeast(0);
        var batch = new Option<int>("--batch") { Description = "Ratings per mini-batch (>= 1).", DefaultValueFactory = _ => 1024 }.AtLeast(1);
        var output = new Option<string?>("--out") { Description = "Write every model of every seed to this .csv as it finishes; rerun with the same options to resume." };
        var cmd = new Command(name, description) { seed, seeds, epochs, lr, l2, batch, output };
        cmd.Options.Add(baselines ? factors : arch);
        cmd.SetAction(r => Cli.Run(() =>
        {
            int first = r.GetValue(seed), n = r.GetValue(seeds);
            OptionRanges.CheckRunSeeds(first, n);
            var space = new RecommendationSpace();
            var models = new List<(string Model, Choices? Arch)>();
            if (baselines)
            {
                models.Add(("global mean", null));
                models.Add(("movie+user effects", null));
                foreach (var k in r.GetValue(factors)!.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (!int.TryParse(k, NumberStyles.Integer, Inv, out var f)) throw new ArgumentException($"--factors: '{k}' is not a number; give a list such as 8,32.");
                    models.Add(($"biased MF k={f}", space.MatrixFactorization(f)));
                }
            }
            else
                foreach (var text in r.GetValue(arch)!.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var a = text.StartsWith("mf:", StringComparison.Ordinal) && int.TryParse(text[3..], NumberStyles.Integer, Inv, out var f)
                        ? space.MatrixFactorization(f) : (Choices)space.Parse(text);
                    models.Add((a.ToText(), a));
                }
            var recipe = new RatingRecipe(r.GetValue(epochs), r.GetValue(batch), r.GetValue(lr), r.GetValue(l2)).Validated();
            using var journal = r.GetValue(output) is { } path ? new ResultJournal<RatingComparisonRow>(path, $"{recipe}", "rating models") : null;
            TorchRuntime.EnsureLoaded();
            var data = RatingData.MovieLens();
            Console.WriteLine(string.Create(Inv, $"MovieLens: {data.Count:N0} ratings of {data.Movies:N0} movies by {data.Users:N0} users, {data.Genres.Count} genres; {recipe}; {TorchRuntime.Describe()}"));
            var rows = new List<RatingComparisonRow>(journal?.Existing ?? []);
            if (rows.Count > 0) Console.Error.WriteLine($"resuming {r.GetValue(output)}: {rows.Count} model run(s) read back");
            for (int s = first; s < first + n; s++)
            {
                var todo = models.Where(m => !rows.Any(x => x.Seed == s && x.Model == m.Model)).ToArray();
                if (todo.Length == 0) continue;
                using var evaluator = new RatingEvaluator(space, data, s, recipe);
                Console.Error.WriteLine($"  {evaluator.Split}");
                var fields = evaluator.Fields;
                foreach (var (model, a) in todo)
                {
                    RatingComparisonRow row;
                    if (a is null && model == "global mean")
                    {
                        var g = RatingBaselines.GlobalMean(data, evaluator.Split);
                        row = new(s, model, g.DevRmse, g.TestRmse, 0, 1, 0, 0);
                    }
                    else if (a is null)
                    {
                        var (lambda, e) = RatingBaselines.TunedEffects(data, evaluator.Split);
                        row = new(s, model, e.DevRmse, e.TestRmse, 0, data.Users + data.Movies + 1, 0, 0, string.Create(Inv, $"lambda={lambda:0.##}"));
                    }
                    else
                    {
                        var ev = evaluator.Evaluate(a, new Fidelity(recipe.Epochs));
                        if (ev.Failed) throw new ArithmeticException($"{model} on seed {s}: {ev.Reason}");
                        var config = space.Configure(a);
                        int bestEpoch = ev.Curves![Metrics.ValidRmse].Select((v, i) => (v, i)).MinBy(p => p.v).i + 1;
                        row = new(s, model, ev[Metrics.ValidRmse], ev[Metrics.TestRmse], config.EmbeddingParameters(fields), config.TotalParameters(fields), bestEpoch, ev.CostSeconds, a.ToText());
                    }
                    var trainedFor = row.BestEpoch > 0 ? string.Create(Inv, $" (best epoch {row.BestEpoch}, {row.Seconds:0.0} s)") : "";
                    Console.Error.WriteLine(string.Create(Inv, $"  seed {s} {model}: dev RMSE {row.DevRmse:0.0000}, test RMSE {row.TestRmse:0.0000}") + trainedFor);
                    journal?.Append(row);
                    rows.Add(row);
                }
            }
            var mine = rows.Where(x => x.Seed >= first && x.Seed < first + n).ToArray();
            Console.WriteLine($"model                                                          test RMSE           dev RMSE            embedding params   parameters   (mean ± sample std over {n} seed(s))");
            foreach (var (model, _) in models)
            {
                var g = mine.Where(x => x.Model == model).ToArray();
                Console.WriteLine(string.Create(Inv, $"{Shorten(model),-62} {MeanStd(g.Select(x => x.TestRmse)),-19} {MeanStd(g.Select(x => x.DevRmse)),-19} {g[0].EmbeddingParameters,16:N0} {g[0].Parameters,12:N0}") +
                                  (g[0].Architecture.StartsWith("lambda", StringComparison.Ordinal) ? "   " + string.Join(" ", g.Select(x => x.Architecture)) : ""));
            }
            return 0;
        }));
        return cmd;
    }

    private static string Shorten(string model) => model.Length <= 62 ? model : model[..59] + "...";

    private static string MeanStd(IEnumerable<double> values)
    {
        var a = values.ToArray();
        return a.Length > 1 ? string.Create(Inv, $"{a.Average():0.0000} ± {Statistics.Std(a):0.0000}") : string.Create(Inv, $"{a[0]:0.0000}");
    }

    private static Command Front()
    {
        var input = new Option<string>("--in") { Description = "A search's trials (.csv or .parquet from naskit search --space recommendation --evaluator movielens --out).", Required = true };
        var by = new Option<string>("--by") { Description = "The error of the front: outcome (test RMSE at the best development epoch) or signal (development RMSE).", DefaultValueFactory = _ => "outcome" };
        var output = new Option<string?>("--out") { Description = "Write every distinct architecture with its RMSE, parameters and whether it is on the front to this .csv." };
        var cmd = new Command("front", "The Pareto front of RMSE against embedding parameters over the architectures of a recommendation search (an architecture met in several runs counts once, with its mean RMSE).\n" +
                                       "Example:\n  naskit movielens front --in reports/movielens-search.csv --out reports/movielens-front.csv")
        {
            input, by, output,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            var metric = r.GetValue(by)!.Trim().ToLowerInvariant();
            if (metric is not ("outcome" or "signal")) throw new ArgumentException($"--by {metric}: use outcome or signal.");
            var rows = NasKit.Reports.TrialTable.Read(r.GetValue(input)!);
            var space = new RecommendationSpace();
            var trained = rows.Where(t => !t.Failed && double.IsFinite(metric == "outcome" ? t.Outcome : t.Signal)).ToArray();
            if (trained.Length == 0) throw new ArgumentException($"{r.GetValue(input)} has no successful trial with a finite {metric}; is it a recommendation search?");
            var data = RatingData.MovieLens();
            var fields = new RatingFields(data.Users, data.Movies, data.Genres.Count);
            Choices ParseArch(string text)
            {
                try { return (Choices)space.Parse(text); }
                catch (ArchitectureFormatException e) { throw new ArgumentException($"{r.GetValue(input)}: '{text}' is not an architecture of the recommendation space ({e.Message})."); }
            }
            var distinct = trained.GroupBy(t => t.Architecture)
                .Select(g => (Arch: ParseArch(g.Key), Rmse: g.Average(t => metric == "outcome" ? t.Outcome : t.Signal)))
                .Select(x => (x.Arch, x.Rmse, Embedding: space.Configure(x.Arch).EmbeddingParameters(fields), Total: space.Configure(x.Arch).TotalParameters(fields)))
                .OrderBy(x => x.Embedding).ThenBy(x => x.Rmse).ToArray();
            var front = Pareto.Front(distinct.Select(x => (IReadOnlyList<double>)[x.Rmse, x.Embedding]).ToArray()).ToHashSet();
            Console.WriteLine($"{distinct.Length} distinct architectures from {trained.Length} successful trials; {front.Count} on the front of {(metric == "outcome" ? "test" : "development")} RMSE vs embedding parameters");
            Console.WriteLine("RMSE      embedding params   parameters   architecture");
            foreach (var i in front.OrderBy(i => distinct[i].Embedding))
                Console.WriteLine(string.Create(Inv, $"{distinct[i].Rmse:0.0000}  {distinct[i].Embedding,16:N0} {distinct[i].Total,12:N0}   {distinct[i].Arch.ToText()}"));
            if (r.GetValue(output) is { } path)
            {
                using var writer = Cli.OpenCsv(path, "rmse,embedding_parameters,parameters,on_front,architecture", "architectures");
                for (int i = 0; i < distinct.Length; i++)
                    writer.WriteLine(string.Create(Inv, $"{distinct[i].Rmse:0.######},{distinct[i].Embedding},{distinct[i].Total},{front.Contains(i)},\"{distinct[i].Arch.ToText()}\""));
                Console.WriteLine($"wrote {path}");
            }
            return 0;
        }));
        return cmd;
    }
}
