using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Estimation.Predictors;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.Spaces.Nb201;
using NasKit.Strategies;

namespace NasKit.Cli.Commands;

internal static class SearchCommand
{
    public static Command Create()
    {
        var space = new Option<string>("--space") { Description = "Search space.", DefaultValueFactory = _ => "nb201" };
        var benchmark = new Option<string>("--benchmark") { Description = "Tabular benchmark that evaluates.", DefaultValueFactory = _ => "nb201" };
        var strategy = new Option<string>("--strategy") { Description = "Strategy name, or 'all'. " + string.Join("; ", StrategyCatalog.All.Select(f => $"{f.Name}: {f.Description}")), DefaultValueFactory = _ => "all" };
        var queries = new Option<int>("--queries") { Description = "Queries per run.", DefaultValueFactory = _ => 100 };
        var runs = new Option<int>("--runs") { Description = "Independent runs (seeds seed..seed+runs-1).", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "Seed of the first run.", DefaultValueFactory = _ => 0 };
        var dataset = new Option<string>("--dataset") { Description = "cifar10, cifar100 or imagenet16-120.", DefaultValueFactory = _ => "cifar10" };
        var epochs = new Option<int>("--epochs") { Description = "Signal from the 200- or 12-epoch table (the outcome is always 200-epoch test accuracy).", DefaultValueFactory = _ => 200 };
        var output = new Option<string?>("--out") { Description = "Write every trial of every run to this .csv or .parquet file." };
        var parallel = new Option<int>("--parallel") { Description = "Runs executed at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var predictor = new Option<string?>("--predictor") { Description = "The predictor BANANAS uses (default: its MLP ensemble). " + string.Join("; ", PredictorCatalog.All.Select(f => $"{f.Name}: {f.Description}")) };
        var cmd = new Command("search", "Compare search strategies on a tabular benchmark (NASLib-style query-budget protocol). Prints NAME: mean±std of the outcome (test accuracy, %).")
        {
            space, benchmark, strategy, queries, runs, seed, dataset, epochs, output, parallel, predictor,
        };
        cmd.SetAction(r => Cli.Run(() => Run(r.GetValue(space)!, r.GetValue(benchmark)!, r.GetValue(strategy)!, r.GetValue(queries),
            r.GetValue(runs), r.GetValue(seed), r.GetValue(dataset)!, r.GetValue(epochs), r.GetValue(output), r.GetValue(parallel), r.GetValue(predictor))));
        return cmd;
    }

    private static int Run(string space, string benchmark, string strategy, int queries, int runs, int seed, string dataset,
                           int epochs, string? output, int parallel, string? predictor = null)
    {
        if (space != "nb201") throw new ArgumentException($"Unknown space '{space}'. Available: nb201.");
        if (benchmark != "nb201") throw new ArgumentException($"Unknown benchmark '{benchmark}'. Available: nb201.");
        if (queries <= 0 || runs <= 0) throw new ArgumentException("--queries and --runs must be positive.");
        if (epochs is not (12 or 200)) throw new ArgumentException($"--epochs must be 12 or 200, got {epochs}.");
        if (parallel <= 0) throw new ArgumentException("--parallel must be positive.");
        if (output is not null && Path.GetExtension(output).ToLowerInvariant() is not (".csv" or ".parquet"))
            throw new ArgumentException($"--out '{output}': use a .csv or .parquet file name.");
        var factories = strategy == "all" ? StrategyCatalog.All : [StrategyCatalog.Get(strategy)];
        if (predictor is not null)
        {
            PredictorCatalog.Get(predictor); // unknown names fail here, with the list
            factories = factories.Select(f => f is BananasFactory ? new BananasFactory { Predictor = predictor } : f).ToArray();
        }
        var data = Nb201Benchmark.ParseDataset(dataset);
        var bench = Nb201Benchmark.Load();
        TorchSharp.torch.set_num_threads(1); // runs are parallel; tiny models gain nothing from intra-op threads
        var protocol = new QueryBudgetProtocol<Nb201Cell>
        {
            Space = bench.Space, Evaluator = new TabularEvaluator(bench, data) { OutcomeEpochs = 200 },
            Fidelity = new Fidelity(Epochs: epochs), Queries = queries, Parallelism = parallel,
        };
        var allRuns = new List<SearchRun<Nb201Cell>>();
        foreach (var factory in factories)
        {
            var sw = Stopwatch.StartNew();
            IReadOnlyList<SearchRun<Nb201Cell>> results = [];
            Cli.WithProgress($"{factory.Name}: {runs} runs", runs, tick => results = protocol.Run(factory, runs, seed, tick));
            var outcomes = results.Select(x => x.Outcome).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{factory.Name}: {Statistics.Mean(outcomes):0.00}±{Statistics.Std(outcomes):0.00}"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {factory.Name}: {runs} runs x {queries} queries in {sw.Elapsed.TotalSeconds:0.0} s"));
            allRuns.AddRange(results);
        }
        if (output is not null)
        {
            TrialTable.Write(output, TrialTable.Rows(allRuns, "valid_acc", "test_acc"));
            Console.Error.WriteLine($"  wrote {allRuns.Sum(x => x.Trials.Count)} trials to {output}");
        }
        return 0;
    }
}
