using System.CommandLine;
using System.Globalization;
using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Cli.Commands;

internal static class ParetoCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var benchmark = new Option<string>("--benchmark") { Description = "Tabular benchmark:\n" + Catalog<IBenchmarkEntry>.Listing(), DefaultValueFactory = _ => "nb201" };
        var objectives = new Option<string>("--objectives") { Description = "Two or three metrics, directions from the metric vocabulary (accuracies maximised; latency, energy, params_m minimised), or max:NAME / min:NAME.", DefaultValueFactory = _ => "test_acc,pixel3_latency" };
        var strategy = new Option<string>("--strategy") { Description = "A multi-objective strategy, a comma-separated list, or all:\n" + string.Join("\n", Catalog<IStrategyFactory>.All.Where(StrategyFactories.MultiObjective).Select(f => $"  {f.Name}: {f.Description}")), DefaultValueFactory = _ => "all" };
        var constraint = new Option<string?>("--constraint") { Description = "Constraint for constrained search, e.g. pixel3_latency<=5 (default: the second objective at its median over the space)." };
        var queries = new Option<int>("--queries") { DefaultValueFactory = _ => 300, Description = "Queries per run (>= 1)." }.AtLeast(1);
        var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 30, Description = "Runs, seeds seed..seed+runs-1 (>= 1)." }.AtLeast(1);
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the first run." }.Seed();
        var dataset = new Option<string?>("--dataset") { Description = "The benchmark's data set (nb201: cifar10, cifar100 or imagenet16-120; accuracies and HW-NAS-Bench costs)." };
        var cmd = new Command("pareto", "Multi-objective search on a tabular benchmark: hypervolume of each strategy's found front against the true front, at the same reference point.\n" +
                                        "Example:\n  naskit pareto --benchmark nb201 --objectives test_acc,pixel3_latency --strategy all --queries 300 --runs 30 --seed 0")
        {
            benchmark, objectives, strategy, constraint, queries, runs, seed, dataset,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            int q = r.GetValue(queries), n = r.GetValue(runs);
            if (q < 1 || n < 1) throw new ArgumentException("--queries and --runs must be at least 1.");
            OptionRanges.CheckRunSeeds(r.GetValue(seed), n);
            var objs = Objective.ParseList(r.GetValue(objectives)!);
            if (objs.Any(o => o.Bound is not null)) throw new ArgumentException("--objectives takes metrics; give a bound with --constraint.");
            if (objs.Count is < 2 or > 3) throw new ArgumentException($"--objectives takes two or three metrics, got {objs.Count}.");
            var capText = r.GetValue(constraint);
            var cap = capText is null ? null : Objective.ParseConstraint(capText);
            var factories = Catalog<IStrategyFactory>.Parse(r.GetValue(strategy)!, StrategyFactories.MultiObjective);
            var args = new Dictionary<string, string>();
            if (r.GetValue(dataset) is { } d) args["dataset"] = d;
            return Problems.WithBenchmark(new EvaluatorDescriptor(r.GetValue(benchmark)!, args).ToString(), new OnBenchmark(objs, cap, factories, q, n, r.GetValue(seed)));
        }));
        return cmd;
    }

    private sealed class OnBenchmark(IReadOnlyList<Objective> objectives, Objective? cap, IReadOnlyList<IStrategyFactory> factories, int queries, int runs, int seed)
        : IBenchmarkVisitor<int>
    {
        public int Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            // The constraint must be validated against the metrics before it is defaulted from the space.
            var probe = new ParetoProtocol<TArch>(b.Space, b.Evaluator, objectives, cap is null ? [] : [cap], b.Fidelity) { Queries = queries };
            var constraint = cap ?? probe.MedianConstraint(probe.Objectives[1]);
            var protocol = cap is null ? new ParetoProtocol<TArch>(b.Space, b.Evaluator, objectives, [constraint], b.Fidelity) { Queries = queries } : probe;
            var refText = string.Join(", ", protocol.Objectives.Select((o, k) => string.Create(Inv, $"{o.Metric}={(o.Maximize ? -protocol.Reference[k] : protocol.Reference[k]):0.####}")));
            Console.WriteLine($"reference point (the worst value of each objective over the whole space): {refText}");
            var (trueHv, trueSize) = protocol.TrueFront();
            var feasible = new List<string>();
            foreach (var factory in factories)
            {
                IReadOnlyList<ParetoRun<TArch>> results = [];
                Cli.WithProgress($"{factory.Name}: {runs} runs", runs, tick => results = protocol.Run(factory, runs, seed, tick));
                var hv = results.Select(x => x.Hypervolume).ToArray();
                var gap = hv.Select(h => trueHv - h).ToArray();
                Console.WriteLine(string.Create(Inv, $"{factory.Name}: hypervolume {Statistics.Mean(hv):0.###}±{Std(hv):0.###} (gap to true front {Statistics.Mean(gap):0.###}±{Std(gap):0.###}, {100 * Statistics.Mean(hv) / trueHv:0.00}% of it)"));
                var best = results.Select(x => x.BestFeasible).Where(v => !double.IsNaN(v)).ToArray();
                string what = $"{protocol.Objectives[0].Metric} under {constraint.Metric}{(constraint.Maximize ? ">=" : "<=")}{constraint.Bound!.Value.ToString(Inv)}";
                feasible.Add(best.Length == 0
                    ? $"  {factory.Name}: no feasible architecture found for {what} in any of {runs} runs"
                    : string.Create(Inv, $"  {factory.Name}: best {what}: {Statistics.Mean(best):0.00}±{Std(best):0.00} ({best.Length}/{runs} runs found a feasible architecture)"));
            }
            Console.WriteLine(string.Create(Inv, $"true front: hypervolume {trueHv:0.###} ({trueSize} architectures)"));
            double trueBest = protocol.TrueBestFeasible();
            Console.WriteLine(double.IsNaN(trueBest) ? $"constrained search, {queries} queries; no architecture of the space meets the constraint"
                                                     : string.Create(Inv, $"constrained search, {queries} queries; true best under the cap: {trueBest:0.00}"));
            foreach (var line in feasible) Console.WriteLine(line);
            return 0;
        }
    }

    private static double Std(double[] v) => v.Length > 1 ? Statistics.Std(v) : 0;
}
