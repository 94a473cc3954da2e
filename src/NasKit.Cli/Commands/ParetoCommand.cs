using System.CommandLine;
using System.Globalization;
using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Experiments;

namespace NasKit.Cli.Commands;

internal static class ParetoCommand
{
    public static Command Create()
    {
        var benchmark = new Option<string>("--benchmark") { Description = "Tabular benchmark.", DefaultValueFactory = _ => "nb201" };
        var objectives = new Option<string>("--objectives") { Description = "Two or three metrics; *_acc are maximised, the rest minimised (e.g. test_acc,pixel3_latency or test_acc,edgegpu_energy).", DefaultValueFactory = _ => "test_acc,pixel3_latency" };
        var strategy = new Option<string>("--strategy") { Description = $"One of {string.Join(", ", ParetoProtocol.StrategyNames)}, or all.", DefaultValueFactory = _ => "all" };
        var constraint = new Option<string?>("--constraint") { Description = "Constraint for constrained search, e.g. pixel3_latency<=5 (default: the second objective at its median over the space)." };
        var queries = new Option<int>("--queries") { DefaultValueFactory = _ => 300, Description = "Queries per run." };
        var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 30, Description = "Runs (seeds seed..seed+runs-1)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the first run." };
        var dataset = new Option<string>("--dataset") { DefaultValueFactory = _ => "cifar10", Description = "cifar10, cifar100 or imagenet16-120 (accuracies and HW-NAS-Bench costs)." };
        var cmd = new Command("pareto", "Multi-objective search on NB201 with HW-NAS-Bench costs: hypervolume of each strategy's found front against the true front, at the same reference point.")
        {
            benchmark, objectives, strategy, constraint, queries, runs, seed, dataset,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            if (r.GetValue(benchmark) != "nb201") throw new ArgumentException($"Unknown benchmark '{r.GetValue(benchmark)}'. Available: nb201.");
            int q = r.GetValue(queries), n = r.GetValue(runs), s = r.GetValue(seed);
            if (q <= 0 || n <= 0) throw new ArgumentException("--queries and --runs must be positive.");
            var bench = Nb201Benchmark.Load();
            var objs = ParetoProtocol.ParseObjectives(r.GetValue(objectives)!);
            var protocol = new ParetoProtocol(bench, objs, Nb201Benchmark.ParseDataset(r.GetValue(dataset)!)) { Queries = q };
            Objective cap = r.GetValue(constraint) is { } text ? ParetoProtocol.ParseConstraint(text) : MedianConstraint(protocol, objs[1]);
            protocol.Constraints = [cap];
            var inv = CultureInfo.InvariantCulture;
            var refText = string.Join(", ", objs.Select((o, k) => $"{o.Metric}={(o.Maximize ? -protocol.Reference[k] : protocol.Reference[k]):0.####}"));
            Console.WriteLine($"reference point (the worst value of each objective over all 15,625 cells): {refText}");
            var (trueHv, trueSize) = protocol.TrueFront();
            var names = r.GetValue(strategy) == "all" ? ParetoProtocol.StrategyNames : [r.GetValue(strategy)!];
            var feasible = new List<string>();
            foreach (var name in names)
            {
                IReadOnlyList<ParetoRun> results = [];
                Cli.WithProgress($"{name}: {n} runs", n, tick => results = protocol.Run(name, n, s, tick));
                var hv = results.Select(x => x.Hypervolume).ToArray();
                var gap = hv.Select(h => trueHv - h).ToArray();
                Console.WriteLine(string.Create(inv, $"{name}: hypervolume {Statistics.Mean(hv):0.###}±{Statistics.Std(hv):0.###} (gap to true front {Statistics.Mean(gap):0.###}±{Statistics.Std(gap):0.###}, {100 * Statistics.Mean(hv) / trueHv:0.00}% of it)"));
                var best = results.Select(x => x.BestFeasible).Where(v => !double.IsNaN(v)).ToArray();
                feasible.Add(string.Create(inv, $"  {name}: best {objs[0].Metric} under {cap.Metric}{(cap.Maximize ? ">=" : "<=")}{cap.Bound}: {Statistics.Mean(best):0.00}±{Statistics.Std(best):0.00} ({best.Length}/{n} runs found a feasible cell)"));
            }
            Console.WriteLine(string.Create(inv, $"true front: hypervolume {trueHv:0.###} ({trueSize} cells)"));
            Console.WriteLine(string.Create(inv, $"constrained search, {q} queries; true best under the cap: {protocol.TrueBestFeasible():0.00}"));
            foreach (var line in feasible) Console.WriteLine(line);
            return 0;
        }));
        return cmd;
    }

    private static Objective MedianConstraint(ParetoProtocol protocol, Objective second)
    {
        var values = protocol.AllEvaluations.Select(e => e.Metrics.GetValueOrDefault(second.Metric, double.NaN))
            .Where(v => !double.IsNaN(v)).Order().ToArray();
        return second with { Bound = Math.Round(values[values.Length / 2], 3) };
    }
}
