using System.CommandLine;
using System.Globalization;
using CsvHelper;
using NasKit.Catalogs;
using NasKit.Estimation.Predictors;
using NasKit.Experiments;
using NasKit.SearchSpaces.Nb201;

namespace NasKit.Cli.Commands;

internal static class PredictorsCommand
{
    public static Command Create()
    {
        var space = new Option<string>("--space") { Description = "Search space (nb201: the one with published zero-cost scores).", DefaultValueFactory = _ => "nb201" };
        var predictors = new Option<string>("--predictors") { Description = "all, or comma-separated:\n" + Catalog<IPredictorFactory>.Listing(), DefaultValueFactory = _ => "all" };
        var sizes = new Option<string>("--train-sizes") { Description = "Training-set sizes.", DefaultValueFactory = _ => string.Join(",", PredictorStudy.DefaultTrainSizes) };
        var seeds = new Option<int>("--seeds") { Description = "Seeds (independent splits), seed..seed+seeds-1.", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "First seed.", DefaultValueFactory = _ => 0 }.Seed();
        var test = new Option<int>("--test") { Description = "Held-out test architectures per seed.", DefaultValueFactory = _ => 200 }.AtLeast(3);
        var zc = new Option<string>("--zc") { Description = "Zero-cost features: suite-zero (NAS-Bench-Suite-Zero's scores; the pool becomes its 9,445 cells), a NasKit score file from 'naskit zerocost --out' (the pool becomes its cells), or none.", DefaultValueFactory = _ => "suite-zero" };
        var output = new Option<string?>("--out") { Description = "CSV with every fit (predictor, train size, seed, tau, rho, seconds)." };
        var cmd = new Command("predictors", "Fit performance predictors on NB201 cells (the NB201 study of White et al.) and report Kendall tau on held-out cells against training-set size, over seeds (White et al. 2021), with and without zero-cost features. Truth: NB201 200-epoch CIFAR-10 test accuracy.\nExample:\n  naskit predictors --seeds 5 --zc suite-zero --out runs/predictors.csv")
        {
            space, predictors, sizes, seeds, seed, test, zc, output,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            Nb201Only.Check(r.GetValue(space)!, "predictors", "fits predictors to NB201's tables with published zero-cost features");
            return Run(r.GetValue(predictors)!, r.GetValue(sizes)!, r.GetValue(seeds), r.GetValue(seed),
            r.GetValue(test), r.GetValue(zc)!, r.GetValue(output));
        }));
        return cmd;
    }

    private static int Run(string names, string sizesText, int seeds, int seed, int test, string zc, string? output)
    {
        if (test < 3) throw new ArgumentException($"--test must be at least 3, got {test}.");
        if (seeds < 1) throw new ArgumentException("--seeds must be at least 1.");
        var sizes = sizesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var n) && n >= 2 ? n : throw new ArgumentException($"--train-sizes: '{s}' is not a whole number of at least 2.")).ToArray();
        var bench = Nb201Benchmark.Load();
        ZeroCostFeaturizer<Nb201Cell>? features = null;
        IReadOnlyList<Nb201Cell> pool = bench.Cells;
        string poolName = "all 15,625 cells";
        if (string.Equals(zc, "suite-zero", StringComparison.OrdinalIgnoreCase))
        {
            var suite = PrecomputedZeroCost.LoadSuiteZero(bench);
            features = Nb201ZeroCostFeatures.SuiteZero(bench, suite);
            pool = suite.Indices.OrderBy(i => i).Select(bench.CellAt).ToArray();
            poolName = $"the {pool.Count} cells NAS-Bench-Suite-Zero scored";
        }
        else if (!string.Equals(zc, "none", StringComparison.OrdinalIgnoreCase))
        {
            var rows = ZeroCostScoreFile.Read(zc, bench);
            features = Nb201ZeroCostFeatures.ScoreFile(rows);
            pool = rows.Select(r => r.Cell).ToArray();
            poolName = $"the {pool.Count} cells scored in {zc}";
        }
        var makers = PredictorStudy.Makers(bench.Space, Catalog<IPredictorFactory>.Parse(names), features);
        Console.Error.WriteLine($"pool: {poolName}; test {test} per seed; {makers.Count} predictors x {sizes.Length} sizes x {seeds} seeds");
        IReadOnlyList<PredictorFit> fits = [];
        Cli.WithProgress("fitting predictors", makers.Count * sizes.Length * seeds, tick =>
            fits = PredictorStudy.Run(pool, c => bench.TestAccuracy(c), makers, sizes, seeds, test, _ => tick(), seed));
        var curve = PredictorStudy.Curve(fits);
        Console.WriteLine($"Kendall tau on {test} held-out cells, mean±std over {seeds} seeds (fit seconds at the largest size)");
        Console.WriteLine("predictor".PadRight(20) + string.Concat(sizes.Select(n => $"n={n}".PadLeft(14))) + "   fit s");
        foreach (var g in curve.GroupBy(p => p.Predictor))
        {
            var line = g.Key.PadRight(20) + string.Concat(sizes.Select(n => g.First(p => p.TrainSize == n) is var p
                ? string.Create(CultureInfo.InvariantCulture, $"{p.KendallMean:0.000}±{p.KendallStd:0.000}").PadLeft(14) : ""));
            Console.WriteLine(line + string.Create(CultureInfo.InvariantCulture, $"   {g.First(p => p.TrainSize == sizes.Max()).FitSeconds:0.00}"));
        }
        if (output is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            using var writer = new StreamWriter(output);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteRecords(fits);
            Console.Error.WriteLine($"wrote {fits.Count} fits to {output}");
        }
        return 0;
    }
}
