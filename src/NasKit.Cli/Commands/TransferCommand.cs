using System.CommandLine;
using System.Globalization;
using CsvHelper;
using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit transfer</c>: rank correlation between the tasks of one space, and search on one task scored on the others.</summary>
internal static class TransferCommand
{
    public const string Nb201Datasets = "nb201:dataset=cifar10;nb201:dataset=cifar100;nb201:dataset=imagenet16-120";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var tasks = new Option<string>("--tasks") { Description = $"Benchmarks over one space, ';'-separated. Default: {Nb201Datasets}", DefaultValueFactory = _ => Nb201Datasets };
        var strategy = new Option<string>("--strategy") { Description = "Strategies searching each task (comma-separated, or all):\n" + Catalog<IStrategyFactory>.Listing(), DefaultValueFactory = _ => "random,rea" };
        var queries = new Option<int>("--queries") { Description = "Queries per search run.", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var runs = new Option<int>("--runs") { Description = "Search runs per strategy and task (0: correlations only).", DefaultValueFactory = _ => 100 }.AtLeast(0);
        var seed = new Option<int>("--seed") { Description = "Seed of the first run; run r uses seed+r on every task.", DefaultValueFactory = _ => 0 }.Seed();
        var top = new Option<string>("--top") { Description = "Top fractions for the correlations among the best architectures.", DefaultValueFactory = _ => "0.05,0.01" };
        var metrics = new Option<string?>("--metrics") { Description = "Other metrics to rank-correlate with each task's outcome, per task (comma-separated; a trailing * matches a prefix, e.g. zc_* for every zero-cost score)." };
        var output = new Option<string?>("--out") { Description = "CSV of every search run: the task searched, the pick, its outcome and regret on every task." };
        var cmd = new Command("transfer", "Transfer across tasks of one space: Kendall tau and Spearman rho between tasks over every architecture and among each task's top " +
                                          "fraction, then search on each task and score the pick on every task (regret against that task's best).\nExamples:\n" +
                                          "  naskit transfer --queries 100 --runs 100 --seed 0\n" +
                                          "  naskit transfer --tasks \"nb201:dataset=cifar10;nb201:dataset=cifar100\" --runs 0\n" +
                                          "  naskit transfer --tasks \"transnas-micro:task=class_scene;transnas-micro:task=jigsaw\" --metrics zc_* --runs 0")
        {
            tasks, strategy, queries, runs, seed, top, metrics, output,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            var descriptors = r.GetValue(tasks)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (descriptors.Length < 2) throw new ArgumentException($"--tasks names {descriptors.Length} benchmark(s); transfer needs at least two, ';'-separated.");
            if (descriptors.Distinct().Count() != descriptors.Length) throw new ArgumentException("--tasks names a benchmark twice; name each task once.");
            var fractions = r.GetValue(top)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t =>
                double.TryParse(t, NumberStyles.Float, Inv, out var f) && f > 0 && f < 1 ? f
                    : throw new ArgumentException($"--top '{t}' is not a fraction in (0, 1); give e.g. 0.05,0.01.")).ToArray();
            int n = r.GetValue(runs), s = r.GetValue(seed);
            if (n > 0) OptionRanges.CheckRunSeeds(s, n);
            var factories = n > 0 ? StrategySettings.ParseList(r.GetValue(strategy)!, StrategyFactories.SingleObjective) : [];
            return BenchmarkCatalog.WithAll(descriptors, new OnTasks(BenchmarkCatalog.TaskNames(descriptors), factories, r.GetValue(queries), n, s, fractions, Patterns(r.GetValue(metrics)), r.GetValue(output))
            {
                AllStrategies = r.GetValue(strategy)!.Trim().Equals("all", StringComparison.OrdinalIgnoreCase),
            });
        }));
        return cmd;
    }

    private static string[] Patterns(string? text) =>
        text is null ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The metric names the patterns select among those the first task reports for its first architecture.</summary>
    private static string[] ResolveMetrics<TArch>(TabularBenchmark<TArch> task, string[] patterns) where TArch : class, IArchitecture
    {
        if (patterns.Length == 0) return [];
        var first = task.Space is IEnumerableSpace<TArch> e ? e.All().First() : task.Space.Sample(new Random(0));
        var reported = task.Evaluator.Evaluate(first, task.Fidelity).Metrics.Keys.Where(k => k != task.Outcome).Order(StringComparer.Ordinal).ToArray();
        var chosen = new List<string>();
        foreach (var p in patterns)
        {
            var hits = p.EndsWith('*') ? reported.Where(k => k.StartsWith(p[..^1], StringComparison.Ordinal)).ToArray() : reported.Where(k => k == p).ToArray();
            if (hits.Length == 0) throw new ArgumentException($"--metrics '{p}' matches no metric of {task.Name}; it reports {string.Join(", ", reported)}.");
            chosen.AddRange(hits.Except(chosen));
        }
        return chosen.ToArray();
    }

    private sealed class OnTasks(string[] names, IReadOnlyList<IStrategyFactory> factories, int queries, int runs, int seed, double[] fractions,
                                 string[] metricPatterns, string? output) : IBenchmarkListVisitor<int>
    {
        public bool AllStrategies { get; init; }

        public int Visit<TArch>(IReadOnlyList<TabularBenchmark<TArch>> tasks) where TArch : class, IArchitecture
        {
            // Opened first: an unwritable path fails before the searches.
            using var writer = output is null ? null : new StreamWriter(output);
            var metrics = ResolveMetrics(tasks[0], metricPatterns);
            var table = TransferStudy.Table(tasks, names, metrics);
            Console.WriteLine($"space {tasks[0].Space.Name}: {table.Architectures.Count} architectures scored on every task; outcome {string.Join(", ", tasks.Select((t, i) => $"{names[i]}: {t.Outcome}"))}");
            PrintMatrix("Kendall tau over all architectures", table.Tasks, TransferStudy.Correlations(table, RankCorrelation.KendallTauB));
            PrintMatrix("Spearman rho over all architectures", table.Tasks, TransferStudy.Correlations(table, RankCorrelation.Spearman));
            foreach (var f in fractions)
                PrintMatrix(string.Create(Inv, $"Kendall tau among the top {f:0.##%} of the row's task ({TransferStudy.Top(table.Outcomes[0], f).Length} architectures)"),
                            table.Tasks, TransferStudy.Correlations(table, RankCorrelation.KendallTauB, f));
            if (metrics.Length > 0)
                PrintRows("Spearman rho of each metric with each task's outcome (row: metric, column: task)", table.Tasks, metrics,
                          TransferStudy.MetricCorrelations(table, metrics, RankCorrelation.Spearman));
            if (runs == 0) return 0;

            var all = new List<TransferSearchRun>();
            foreach (var factory in AllStrategies ? Cli.Runnable(factories, tasks[0].Space, tasks[0].Signal) : factories)
            {
                IReadOnlyList<TransferSearchRun> done = [];
                Cli.WithProgress($"{factory.Name}: {runs} runs on each of {tasks.Count} tasks", runs * tasks.Count, tick =>
                    done = TransferStudy.SearchAcrossTasks(tasks, table, factory, queries, runs, seed, onRunsDone: _ => tick()));
                all.AddRange(done);
                var (mean, std) = TransferStudy.RegretMatrix(table, done, factory.Name);
                PrintMatrix($"{factory.Name}, {queries} queries, {runs} runs (seeds {seed}..{seed + runs - 1}): regret (row: task searched, column: task scored), mean ± std",
                            table.Tasks, mean, std);
                var (share, shareStd) = TransferStudy.RegretMatrix(table, done, factory.Name, inRank: true);
                PrintMatrix($"{factory.Name}: % of the {table.Architectures.Count} architectures better than the pick, mean ± std",
                            table.Tasks, Percent(share), Percent(shareStd));
            }
            if (writer is not null)
            {
                using var csv = new CsvWriter(writer, Inv);
                foreach (var h in new[] { "strategy", "searched", "run", "seed", "architecture" }) csv.WriteField(h);
                foreach (var t in table.Tasks) { csv.WriteField($"outcome_{t}"); csv.WriteField($"regret_{t}"); csv.WriteField($"better_share_{t}"); }
                csv.NextRecord();
                foreach (var r in all)
                {
                    csv.WriteField(r.Strategy); csv.WriteField(r.SearchedTask); csv.WriteField(r.Run); csv.WriteField(r.Seed); csv.WriteField(r.Architecture);
                    for (int t = 0; t < table.Tasks.Count; t++) { csv.WriteField(r.Outcome[t]); csv.WriteField(r.Regret[t]); csv.WriteField(r.BetterShare[t]); }
                    csv.NextRecord();
                }
                Console.Error.WriteLine($"wrote {all.Count} runs to {output}");
            }
            return 0;
        }
    }

    private static double[][] Percent(double[][] m) => m.Select(r => r.Select(v => 100 * v).ToArray()).ToArray();

    private static void PrintRows(string title, IReadOnlyList<string> columns, IReadOnlyList<string> rows, double[][] m)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        int w = Math.Max(8, columns.Max(t => t.Length) + 1), first = rows.Max(r => r.Length) + 1;
        Console.WriteLine(new string(' ', first) + string.Concat(columns.Select(t => t.PadLeft(w))));
        for (int i = 0; i < rows.Count; i++)
            Console.WriteLine(rows[i].PadRight(first) + string.Concat(m[i].Select(v => v.ToString("0.000", Inv).PadLeft(w))));
    }

    private static void PrintMatrix(string title, IReadOnlyList<string> tasks, double[][] m, double[][]? std = null)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        int w = Math.Max(std is null ? 8 : 15, tasks.Max(t => t.Length) + 1);
        Console.WriteLine(new string(' ', w) + string.Concat(tasks.Select(t => t.PadLeft(w))));
        for (int i = 0; i < tasks.Count; i++)
            Console.WriteLine(tasks[i].PadRight(w) + string.Concat(Enumerable.Range(0, tasks.Count).Select(j =>
                (std is null ? m[i][j].ToString("0.000", Inv) : string.Create(Inv, $"{m[i][j]:0.00} ± {std[i][j]:0.00}")).PadLeft(w))));
    }
}
