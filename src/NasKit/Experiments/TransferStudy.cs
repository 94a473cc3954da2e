using NasKit.Analysis;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Experiments;

/// <summary>
/// The outcome of every architecture of a shared space on several tasks (NB201's three data sets, TransNAS-Bench-101's
/// seven tasks): the raw material of every transfer question. Only architectures every task scores are kept.
/// </summary>
public sealed record TransferTable(IReadOnlyList<string> Tasks, IReadOnlyList<string> Architectures, IReadOnlyList<double[]> Outcomes)
{
    /// <summary>Other metrics recorded per task (zero-cost scores, parameters), aligned with <see cref="Architectures"/>.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double[]>> Extra { get; init; } = [];

    /// <summary>Outcome of architecture <paramref name="arch"/> (its index) on task <paramref name="task"/>.</summary>
    public double this[int task, int arch] => Outcomes[task][arch];

    public int IndexOfTask(string name) =>
        Tasks.ToList().IndexOf(name) is var i and >= 0 ? i : throw new ArgumentException($"No task '{name}' in the transfer table; it has {string.Join(", ", Tasks)}.");
}

/// <summary>
/// How rankings and search results carry from one task to another (the seed's answer to NAS's cost: search once,
/// reuse elsewhere). <see cref="Correlations"/> gives task-by-task rank correlations over all architectures and among
/// the best ones; <see cref="SearchAcrossTasks"/> searches on each task and scores the architecture it picks on every
/// task, as regret against that task's optimum.
/// </summary>
public static class TransferStudy
{
    /// <summary>
    /// Looks every architecture of the first task's (enumerable) space up on every task. The tasks must share one
    /// architecture type; an architecture any task cannot score (missing from its table, failed) is left out.
    /// </summary>
    public static TransferTable Table<TArch>(IReadOnlyList<TabularBenchmark<TArch>> tasks, IReadOnlyList<string>? names = null,
                                            IReadOnlyList<string>? extraMetrics = null) where TArch : class, IArchitecture
    {
        extraMetrics ??= [];
        if (tasks.Count < 2) throw new ArgumentException($"Transfer needs at least two tasks, got {tasks.Count}.");
        names ??= tasks.Select(t => t.Name).ToArray();
        if (names.Count != tasks.Count || names.Distinct().Count() != names.Count)
            throw new ArgumentException($"Each task needs its own name; got {string.Join(", ", names)}.");
        if (tasks[0].Space is not IEnumerableSpace<TArch> enumerable)
            throw new ArgumentException($"Space '{tasks[0].Space.Name}' cannot list its architectures; a transfer table needs every one of them.");
        var archs = new List<string>();
        var outcomes = tasks.Select(_ => new List<double>()).ToArray();
        var extra = tasks.Select(_ => extraMetrics.ToDictionary(m => m, _ => new List<double>())).ToArray();
        var row = new double[tasks.Count];
        var rowExtra = new double[tasks.Count, extraMetrics.Count];
        foreach (var arch in enumerable.All())
        {
            bool ok = true;
            for (int t = 0; t < tasks.Count && ok; t++)
            {
                var e = tasks[t].Evaluator.Evaluate(arch, tasks[t].Fidelity);
                row[t] = e.Failed || !e.Metrics.TryGetValue(tasks[t].Outcome, out var v) ? double.NaN : v;
                ok = double.IsFinite(row[t]);
                for (int m = 0; m < extraMetrics.Count && ok; m++)
                    rowExtra[t, m] = e.Metrics.TryGetValue(extraMetrics[m], out var x) ? x
                        : throw new ArgumentException($"Task {names[t]} does not report metric '{extraMetrics[m]}' for {arch.ToText()}; it reports {string.Join(", ", e.Metrics.Keys)}.");
            }
            if (!ok) continue;
            archs.Add(arch.ToText());
            for (int t = 0; t < tasks.Count; t++)
            {
                outcomes[t].Add(row[t]);
                for (int m = 0; m < extraMetrics.Count; m++) extra[t][extraMetrics[m]].Add(rowExtra[t, m]);
            }
        }
        if (archs.Count < 3)
            throw new ArgumentException($"Only {archs.Count} architectures are scored by every task ({string.Join(", ", names)}); transfer needs at least 3.");
        return new TransferTable(names.ToArray(), archs, outcomes.Select(o => o.ToArray()).ToArray())
        {
            Extra = extra.Select(d => (IReadOnlyDictionary<string, double[]>)d.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray())).ToArray(),
        };
    }

    /// <summary>
    /// Task-by-task rank correlation. With <paramref name="topFraction"/> &lt; 1, row i's entries are computed over
    /// the architectures in the top fraction on task i (so the matrix is not symmetric): does the ranking among the
    /// good architectures of one task survive on another? The diagonal is 1.
    /// </summary>
    public static double[][] Correlations(TransferTable table, Func<IReadOnlyList<double>, IReadOnlyList<double>, double> correlation,
                                          double topFraction = 1.0)
    {
        if (!(topFraction > 0 && topFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(topFraction), $"The top fraction must be in (0, 1], got {topFraction}.");
        int n = table.Tasks.Count;
        var result = new double[n][];
        for (int i = 0; i < n; i++)
        {
            var subset = Top(table.Outcomes[i], topFraction);
            var x = subset.Select(a => table[i, a]).ToArray();
            result[i] = new double[n];
            for (int j = 0; j < n; j++)
                result[i][j] = i == j ? 1.0 : correlation(x, subset.Select(a => table[j, a]).ToArray());
        }
        return result;
    }

    /// <summary>
    /// How well each recorded extra metric (a zero-cost score, the parameter count) ranks the architectures on each
    /// task: [metric][task], over the architectures whose metric is finite.
    /// </summary>
    public static double[][] MetricCorrelations(TransferTable table, IReadOnlyList<string> metrics,
                                                Func<IReadOnlyList<double>, IReadOnlyList<double>, double> correlation) =>
        metrics.Select(m => table.Tasks.Select((_, t) =>
        {
            var values = table.Extra[t][m];
            var ok = Enumerable.Range(0, values.Length).Where(a => double.IsFinite(values[a])).ToArray();
            return ok.Length < 3 ? double.NaN : correlation(ok.Select(a => values[a]).ToArray(), ok.Select(a => table[t, a]).ToArray());
        }).ToArray()).ToArray();

    /// <summary>Indices of the best <paramref name="fraction"/> of architectures (at least 3), best first.</summary>
    public static int[] Top(IReadOnlyList<double> outcomes, double fraction)
    {
        int k = Math.Min(outcomes.Count, Math.Max(3, (int)Math.Ceiling(fraction * outcomes.Count)));
        return Enumerable.Range(0, outcomes.Count).OrderByDescending(a => outcomes[a]).Take(k).ToArray();
    }

    /// <summary>
    /// Runs <paramref name="factory"/> on every task (runs × its own signal and budget) and looks the architecture
    /// each run picks up on every task: regret = that task's best outcome minus the pick's outcome. Row = the task
    /// searched, column = the task the pick is scored on; the diagonal is ordinary in-task search.
    /// </summary>
    public static IReadOnlyList<TransferSearchRun> SearchAcrossTasks<TArch>(IReadOnlyList<TabularBenchmark<TArch>> tasks, TransferTable table,
        IStrategyFactory factory, int queries, int runs, int firstSeed, int parallelism = 0, Action<int>? onRunsDone = null,
        CancellationToken cancellationToken = default) where TArch : class, IArchitecture
    {
        if (tasks.Count != table.Tasks.Count) throw new ArgumentException("The tasks and the table's tasks differ.");
        var index = table.Architectures.Select((a, i) => (a, i)).ToDictionary(x => x.a, x => x.i);
        var best = table.Outcomes.Select(o => o.Max()).ToArray();
        var result = new List<TransferSearchRun>();
        for (int s = 0; s < tasks.Count; s++)
        {
            var b = tasks[s];
            var protocol = new QueryBudgetProtocol<TArch>
            {
                Space = b.Space, Evaluator = b.Evaluator, Fidelity = b.Fidelity, Signal = b.Signal, OutcomeMetric = b.Outcome,
                Queries = queries, Parallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount, IntraOpThreads = 1,
            };
            // Same seeds on every source task: the runs differ only in the task they search.
            foreach (var run in protocol.Run(factory, runs, firstSeed, r => onRunsDone?.Invoke(1), cancellationToken))
            {
                var pick = run.Best(b.Signal)?.Architecture.ToText();
                if (pick is null || !index.TryGetValue(pick, out var a))
                    throw new InvalidOperationException($"{factory.Name} run {run.Run} on {table.Tasks[s]} picked {pick ?? "nothing"}, which not every task scores; " +
                                                        "transfer needs a space whose architectures all tasks cover.");
                result.Add(new TransferSearchRun(factory.Name, table.Tasks[s], run.Run, run.Seed, pick,
                    table.Tasks.Select((_, t) => table[t, a]).ToArray(), table.Tasks.Select((_, t) => best[t] - table[t, a]).ToArray(),
                    table.Tasks.Select((_, t) => (double)table.Outcomes[t].Count(v => v > table[t, a]) / table.Architectures.Count).ToArray()));
            }
        }
        return result;
    }

    /// <summary>Mean regret matrix (row: searched task, column: scored task) of one strategy's runs; with <paramref name="inRank"/>, of the better share.</summary>
    public static (double[][] Mean, double[][] Std) RegretMatrix(TransferTable table, IReadOnlyList<TransferSearchRun> runs, string strategy, bool inRank = false)
    {
        int n = table.Tasks.Count;
        var mean = new double[n][];
        var std = new double[n][];
        for (int s = 0; s < n; s++)
        {
            var rows = runs.Where(r => r.Strategy == strategy && r.SearchedTask == table.Tasks[s]).ToArray();
            double Of(TransferSearchRun r, int t) => inRank ? r.BetterShare[t] : r.Regret[t];
            mean[s] = Enumerable.Range(0, n).Select(t => Statistics.Mean(rows.Select(r => Of(r, t)).ToArray())).ToArray();
            std[s] = Enumerable.Range(0, n).Select(t => Statistics.Std(rows.Select(r => Of(r, t)).ToArray())).ToArray();
        }
        return (mean, std);
    }
}

/// <summary>One search run on <see cref="SearchedTask"/>: its pick's outcome and regret on every task, in the table's task order.</summary>
/// <param name="BetterShare">The fraction of the table's architectures strictly better than the pick on each task: a regret in rank, comparable across tasks whose scores have different units.</param>
public sealed record TransferSearchRun(string Strategy, string SearchedTask, int Run, int Seed, string Architecture,
                                       IReadOnlyList<double> Outcome, IReadOnlyList<double> Regret, IReadOnlyList<double> BetterShare);
