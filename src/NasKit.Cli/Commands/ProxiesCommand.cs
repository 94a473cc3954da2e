using System.CommandLine;
using System.Globalization;
using CsvHelper;
using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.SearchSpaces.Nb201;

namespace NasKit.Cli.Commands;

internal static class ProxiesCommand
{
    public const string DefaultSettings =
        "e1-r16-quarter:epochs=1,res=16,data=0.25;e1-r16:epochs=1,res=16;e3-r16:epochs=3,res=16;e3:epochs=3";

    public static Command Create()
    {
        var sample = new Option<int>("--sample") { Description = "Number of random NB201 cells.", DefaultValueFactory = _ => 50 }.AtLeast(3);
        var seed = new Option<int>("--seed") { Description = "Seed of the cell sample, the initialisation and the data order.", DefaultValueFactory = _ => 0 }.Seed();
        var data = new Option<string>("--data") { Description = "cifar10-subset or fashion-mnist.", DefaultValueFactory = _ => "cifar10-subset" };
        var settings = new Option<string>("--proxies") { Description = $"Proxy settings 'name:knob=v,...;...' (knobs epochs, res, data, C, N). Default: {DefaultSettings}", DefaultValueFactory = _ => DefaultSettings };
        var channels = new Option<int>("--channels") { Description = "Base channels C of the trained network.", DefaultValueFactory = _ => 8 }.AtLeast(1);
        var cells = new Option<int>("--cells") { Description = "Base cells per stage N.", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 128 }.AtLeast(1);
        var output = new Option<string?>("--out") { Description = "CSV file for every measurement." };
        var tensorboard = new Option<string?>("--tensorboard") { Description = "Folder for TensorBoard logs of every training run." };
        var tables = new Option<bool>("--tables") { Description = "Instead of training: the free example from the tables, NB201 12-epoch vs 200-epoch accuracy." };
        var cmd = new Command("proxies", "Train sampled NB201 cells under cheap proxy settings and report each proxy's Kendall tau and Spearman rho against the NB201 200-epoch CIFAR-10 test accuracy and against the most expensive setting, with its cost.\nExample:\n  naskit proxies --sample 50 --seed 0 --data cifar10-subset")
        {
            sample, seed, data, settings, channels, cells, batch, output, tensorboard, tables,
        };
        cmd.SetAction(r => Cli.Run(() => r.GetValue(tables)
            ? Tables(r.GetValue(sample), r.GetValue(seed))
            : Run(r.GetValue(sample), r.GetValue(seed), r.GetValue(data)!, r.GetValue(settings)!, r.GetValue(channels), r.GetValue(cells),
                  r.GetValue(batch), r.GetValue(output), r.GetValue(tensorboard))));
        return cmd;
    }

    private static int Run(int sample, int seed, string dataName, string settingsText, int channels, int cellsPerStage, int batch,
                           string? output, string? tensorboard)
    {
        if (sample < 3) throw new ArgumentException("--sample must be at least 3 to rank anything.");
        var settings = settingsText.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(ProxySetting.Parse).ToArray();
        var repeated = settings.GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) throw new ArgumentException($"Proxy name(s) {string.Join(", ", repeated)} used twice in --proxies; give each setting its own name.");
        var bench = Nb201Benchmark.Load();
        var (train, test) = DatasetReaders.ByName(dataName);
        var rng = new Random(seed);
        var cells = bench.Cells.OrderBy(_ => rng.Next()).Take(sample).ToArray();
        var evaluator = new TrainingEvaluator<Nb201Cell>(bench.Space, train, test, seed, new NetworkShape(channels, cellsPerStage),
            new TrainingHyperparameters(BatchSize: batch)) { TensorBoardDirectory = tensorboard };
        Console.Error.WriteLine($"training {cells.Length} cells x {settings.Length} proxies on {train.Name} ({train.Count} train / {test.Count} held-out) on {evaluator.Device}");
        IReadOnlyList<ProxyMeasurement> measurements = [];
        Cli.WithProgress("training proxies", cells.Length * settings.Length, tick =>
            measurements = ProxyStudy.Measure(evaluator, cells, settings, c => bench.TestAccuracy(c), _ => tick()));
        Print(ProxyStudy.Correlate(measurements, seed), settings);
        if (output is not null)
        {
            using var writer = new StreamWriter(output);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteRecords(measurements);
            Console.Error.WriteLine($"wrote {measurements.Count} measurements to {output}");
        }
        return 0;
    }

    internal static void Print(IReadOnlyList<ProxyCorrelation> rows, IReadOnlyList<ProxySetting>? settings = null)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine("proxy            fidelity                      cells  tau(bench) [95% CI]     rho(bench)  tau(top)  rho(top)  s/cell   total s");
        foreach (var r in rows)
        {
            var f = settings?.FirstOrDefault(s => s.Name == r.Proxy)?.Fidelity.ToString() ?? "";
            Console.WriteLine(string.Create(inv,
                $"{r.Proxy,-16} {f,-29} {r.Cells,5}  {r.KendallVsBenchmark,6:0.000} [{r.KendallCi.Low:0.00}, {r.KendallCi.High:0.00}]  {r.SpearmanVsBenchmark,10:0.000}  {r.KendallVsMostExpensive,8:0.000}  {r.SpearmanVsMostExpensive,8:0.000}  {r.SecondsPerCell,6:0.00}  {r.TotalSeconds,8:0.0}"));
        }
    }

    private static int Tables(int sample, int seed)
    {
        var bench = Nb201Benchmark.Load();
        var rng = new Random(seed);
        var cells = sample >= bench.Cells.Count ? bench.Cells.ToArray() : bench.Cells.OrderBy(_ => rng.Next()).Take(sample).ToArray();
        var truth = cells.Select(c => bench.TestAccuracy(c)).ToArray();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"NB201 tables, {cells.Length} cells: signal vs 200-epoch CIFAR-10 test accuracy");
        foreach (var (name, signal) in new (string, Func<Nb201Cell, double>)[]
                 {
                     ("12-epoch valid", c => bench.ValidAccuracy(c, Nb201Dataset.Cifar10, 12)),
                     ("12-epoch test", c => bench.TestAccuracy(c, Nb201Dataset.Cifar10, 12)),
                     ("200-epoch valid", c => bench.ValidAccuracy(c)),
                 })
        {
            var s = cells.Select(signal).ToArray();
            Console.WriteLine(string.Create(inv, $"{name,-16} tau={RankCorrelation.KendallTauB(s, truth):0.000} rho={RankCorrelation.Spearman(s, truth):0.000} top-5% overlap={RankCorrelation.TopKOverlap(s, truth, Math.Max(1, cells.Length / 20)):0.00}"));
        }
        return 0;
    }
}
