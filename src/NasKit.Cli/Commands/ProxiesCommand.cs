using System.CommandLine;
using System.Globalization;
using CsvHelper;
using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Catalogs;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Estimation.ZeroCost;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.SearchSpaces.Nb201;
using NasKit.Spaces;

namespace NasKit.Cli.Commands;

internal static class ProxiesCommand
{
    public const string DefaultSettings =
        "e1-r16-quarter:epochs=1,res=16,data=0.25;e1-r16:epochs=1,res=16;e3-r16:epochs=3,res=16;e3:epochs=3";

    public static Command Create()
    {
        var sample = new Option<int>("--sample") { Description = "Number of random architectures of the benchmark's space.", DefaultValueFactory = _ => 50 }.AtLeast(3);
        var seed = new Option<int>("--seed") { Description = "Seed of the sample, the initialisation and the data order.", DefaultValueFactory = _ => 0 }.Seed();
        var benchmark = new Option<string>("--benchmark") { Description = "The tabular benchmark whose space is sampled and whose outcome is the truth: nb201 (200-epoch CIFAR-10 test accuracy) or nasbench-macro (50-epoch test accuracy, mean of 3 runs).", DefaultValueFactory = _ => "nb201" };
        var data = new Option<string>("--data") { Description = "cifar10-subset or fashion-mnist.", DefaultValueFactory = _ => "cifar10-subset" };
        var settings = new Option<string>("--proxies") { Description = $"Proxy settings 'name:knob=v,...;...' (knobs epochs, res, data, C, N). Default: {DefaultSettings}", DefaultValueFactory = _ => DefaultSettings };
        var channels = new Option<int?>("--channels") { Description = "Base channels C of the trained network (default: half the space's reference width, 8 for NB201, 16 for NAS-Bench-Macro)." }.AtLeast(1);
        var cells = new Option<int>("--cells") { Description = "Base cells per stage N (cell spaces).", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 128 }.AtLeast(1);
        var output = new Option<string?>("--out") { Description = "CSV file for every measurement, a line as each finishes; a rerun with the same options resumes, training only what is missing." };
        var tensorboard = new Option<string?>("--tensorboard") { Description = "Folder for TensorBoard logs of every training run." };
        var zeroCost = new Option<string?>("--zero-cost") { Description = "Also score the same architectures with zero-cost proxies (all, or comma-separated names of: " + Catalog<IZeroCostProxy>.Names() + ") at the space's reference width on one minibatch of 64, and rank them beside the trained proxies." };
        var tables = new Option<bool>("--tables") { Description = "Instead of training: the free example from the tables, NB201 12-epoch vs 200-epoch accuracy." };
        var cmd = new Command("proxies", "Train sampled architectures of a benchmark's space under cheap proxy settings and report each proxy's Kendall tau and Spearman rho against the benchmark's outcome (NB201: 200-epoch CIFAR-10 test accuracy) and against the most expensive setting, with its cost.\nExamples:\n  naskit proxies --sample 50 --seed 0 --data cifar10-subset\n  naskit proxies --benchmark nasbench-macro --sample 32 --proxies e2:epochs=2")
        {
            sample, seed, benchmark, data, settings, channels, cells, batch, output, tensorboard, zeroCost, tables,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            if (r.GetValue(tables))
            {
                if (r.GetValue(zeroCost) is not null)
                    throw new ArgumentException("--zero-cost scores the architectures a run trains; --tables trains none. Leave one of them out.");
                if (EvaluatorDescriptor.Parse(r.GetValue(benchmark)!).Name != "nb201")
                    throw new ArgumentException("--tables compares NB201's 12- and 200-epoch tables, which only NB201 has; leave --benchmark out.");
                return Tables(r.GetValue(sample), r.GetValue(seed));
            }
            var options = new ProxyOptions(r.GetValue(sample), r.GetValue(seed), r.GetValue(data)!, ParseSettings(r.GetValue(settings)!), r.GetValue(channels),
                                           r.GetValue(cells), r.GetValue(batch), r.GetValue(output), r.GetValue(tensorboard),
                                           r.GetValue(zeroCost) is { } names ? Catalog<IZeroCostProxy>.Parse(names) : []);
            return Problems.WithBenchmark(r.GetValue(benchmark)!, new OnBenchmark(options));
        }));
        return cmd;
    }

    private sealed record ProxyOptions(int Sample, int Seed, string Data, IReadOnlyList<ProxySetting> Settings, int? Channels, int Cells, int Batch,
                                       string? Output, string? TensorBoard, IReadOnlyList<IZeroCostProxy> ZeroCost);

    private static ProxySetting[] ParseSettings(string text)
    {
        var settings = text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(ProxySetting.Parse).ToArray();
        var repeated = settings.GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) throw new ArgumentException($"Proxy name(s) {string.Join(", ", repeated)} used twice in --proxies; give each setting its own name.");
        return settings;
    }

    private sealed class OnBenchmark(ProxyOptions o) : IBenchmarkVisitor<int>
    {
        public int Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            if (b.Space is not IBuildableSpace<TArch> buildable)
                throw new ArgumentException($"Benchmark '{b.Name}' covers space '{b.Space.Name}', whose architectures cannot be built as networks to train; use --benchmark nb201 or nasbench-macro.");
            var archs = Sample(b.Space, o.Sample, o.Seed);
            var (train, test) = DatasetReaders.ByName(o.Data);
            // A proxy network is narrower than the benchmark's: half its reference width unless asked otherwise.
            var shape = new NetworkShape(o.Channels ?? Math.Max(1, buildable.ReferenceShape.Channels / 2), o.Cells);
            var evaluator = new TrainingEvaluator<TArch>(buildable, train, test, o.Seed, shape, new TrainingHyperparameters(BatchSize: o.Batch))
            {
                TensorBoardDirectory = o.TensorBoard,
            };
            // Opened before any training (an unwritable --out fails now, not after hours) and written a line per
            // measurement, so an interrupted study resumes where it stopped.
            var settingsText = $"{b.Name}|{b.Fidelity}|sample={o.Sample}|seed={o.Seed}|data={train.Name}|{shape}|batch={o.Batch}|proxies={string.Join(";", o.Settings.Select(x => x.ToString()))}";
            using var journal = o.Output is null ? null : new ResultJournal<ProxyRow>(o.Output, settingsText, "proxy measurements");
            var done = journal?.Existing.Select(r => r.ToMeasurement()).ToArray() ?? [];
            if (done.Length > 0) Console.Error.WriteLine($"resuming {o.Output}: {done.Length} measurement(s) read back");
            Console.Error.WriteLine($"training {archs.Count} {b.Space.Name} architectures (C={shape.Channels}) x {o.Settings.Count} proxies on {train.Name} " +
                                    $"({train.Count} train / {test.Count} held-out) on {evaluator.Device}; truth: {b.Name} {b.Outcome} at {b.Fidelity}");
            // Each architecture looked up once: its outcome is the truth, its costs the free baselines below.
            var table = archs.ToDictionary(a => a.ToText(), a => b.Evaluator.Evaluate(a, b.Fidelity));
            IReadOnlyList<ProxyMeasurement> measurements = [];
            Cli.WithProgress("training proxies", archs.Count * o.Settings.Count - done.Length, tick =>
                measurements = ProxyStudy.Measure(evaluator, archs, o.Settings, a => table[a.ToText()][b.Outcome], m =>
                {
                    journal?.Append(ProxyRow.Of(m));
                    tick();
                }, done: done));
            Print(ProxyStudy.Correlate(measurements, o.Seed), o.Settings);
            // The costs the table reports need no training: a proxy that ranks worse than them buys nothing.
            var baselines = new[] { Metrics.Parameters, Metrics.Flops }.Where(m => table.Values.All(e => !e.Failed && e.Metrics.ContainsKey(m)))
                .Select(m => ProxyStudy.Baseline($"{m} (table)", a => table[a][m], measurements, o.Seed)).ToArray();
            if (baselines.Length > 0) Print(baselines, header: false);
            if (o.ZeroCost.Count > 0) Print(ZeroCostAlongside(buildable, archs, train, evaluator.Device, measurements), header: false, fidelity: "at initialisation");
            if (journal is not null) Console.Error.WriteLine($"{measurements.Count} measurements in {o.Output}");
            return 0;
        }

        /// <summary>The same architectures scored at initialisation: the full-width network the benchmark trained, one seeded minibatch.</summary>
        private IReadOnlyList<ProxyCorrelation> ZeroCostAlongside<TArch>(IBuildableSpace<TArch> space, IReadOnlyList<TArch> archs, ImageDataset train,
            TorchSharp.torch.Device device, IReadOnlyList<ProxyMeasurement> measurements) where TArch : class, IArchitecture
        {
            using var scorer = new ZeroCostScorer<TArch>(space, train, o.ZeroCost, o.Seed, batchSize: 64, space.ReferenceShape, device);
            var scores = new Dictionary<string, ZeroCostScores>();
            Cli.WithProgress("zero-cost proxies", archs.Count, tick =>
            {
                foreach (var a in archs)
                {
                    scores[a.ToText()] = scorer.Score(a);
                    tick();
                }
            });
            return o.ZeroCost.Select(p => ProxyStudy.Alongside($"{p.Name} (zero-cost)", a => (scores[a].Scores[p.Name], scores[a].Seconds[p.Name]), measurements, o.Seed)).ToArray();
        }
    }

    /// <summary>Distinct architectures: a seeded shuffle of the enumerated space, or distinct samples of one that cannot list itself.</summary>
    private static IReadOnlyList<TArch> Sample<TArch>(ISearchSpace<TArch> space, int count, int seed) where TArch : class, IArchitecture
    {
        var rng = new Random(seed);
        if (space is IEnumerableSpace<TArch> enumerable)
            return enumerable.All().OrderBy(_ => rng.Next()).Take(count).ToArray();
        var seen = new Dictionary<string, TArch>();
        for (int attempt = 0; seen.Count < count && attempt < 100 * count; attempt++)
        {
            var a = space.Sample(rng);
            seen.TryAdd(a.ToText(), a);
        }
        return seen.Values.ToArray();
    }

    internal static void Print(IReadOnlyList<ProxyCorrelation> rows, IReadOnlyList<ProxySetting>? settings = null, bool header = true, string? fidelity = null)
    {
        var inv = CultureInfo.InvariantCulture;
        if (header) Console.WriteLine("proxy                  fidelity                      cells  tau(bench) [95% CI]     rho(bench)  tau(top)  rho(top)  s/cell   total s");
        foreach (var r in rows)
        {
            var f = fidelity ?? settings?.FirstOrDefault(s => s.Name == r.Proxy)?.Fidelity.ToString() ?? (r.TotalSeconds == 0 ? "no training" : "");
            Console.WriteLine(string.Create(inv,
                $"{r.Proxy,-22} {f,-29} {r.Cells,5}  {r.KendallVsBenchmark,6:0.000} [{r.KendallCi.Low:0.00}, {r.KendallCi.High:0.00}]  {r.SpearmanVsBenchmark,10:0.000}  {r.KendallVsMostExpensive,8:0.000}  {r.SpearmanVsMostExpensive,8:0.000}  {r.SecondsPerCell,6:0.00}  {r.TotalSeconds,8:0.0}"));
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

    /// <summary>One measurement as a row of --out.</summary>
    private sealed class ProxyRow
    {
        public string Proxy { get; set; } = "";
        public string Architecture { get; set; } = "";
        public double Score { get; set; }
        public double Seconds { get; set; }
        public bool Failed { get; set; }
        public string Reason { get; set; } = "";
        public double Reference { get; set; }

        public static ProxyRow Of(ProxyMeasurement m) => new()
        {
            Proxy = m.Proxy, Architecture = m.Architecture, Score = m.Score, Seconds = m.Seconds, Failed = m.Failed, Reason = m.Reason ?? "", Reference = m.Reference,
        };

        public ProxyMeasurement ToMeasurement() => new(Proxy, Architecture, Score, Seconds, Failed, Reason.Length == 0 ? null : Reason, Reference);
    }
}
