using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Experiments;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Tests.Experiments;

public class TransferStudyTests
{
    private static readonly string[] Nb201Tasks = ["nb201:dataset=cifar10", "nb201:dataset=cifar100", "nb201:dataset=imagenet16-120"];

    private sealed class Tables : IBenchmarkListVisitor<TransferTable>
    {
        public TransferTable Visit<TArch>(IReadOnlyList<TabularBenchmark<TArch>> tasks) where TArch : class, IArchitecture =>
            TransferStudy.Table(tasks, ["c10", "c100", "in16"]);
    }

    private static readonly Lazy<TransferTable> Nb201 = new(() => BenchmarkCatalog.WithAll(Nb201Tasks, new Tables()));

    [Fact]
    public void Nb201_dataset_correlations_match_scipy_over_all_cells_and_among_the_top()
    {
        var table = Nb201.Value;
        Assert.Equal(15625, table.Architectures.Count);
        // scipy.stats.kendalltau / spearmanr on nb201_acc_200ep.csv's cifar10_oritest, cifar100_xtest, imagenet16_120_xtest;
        // the top fraction is ceil(f * 15625) cells by the row's accuracy, ties in table order (numpy argsort, stable).
        var tau = TransferStudy.Correlations(table, RankCorrelation.KendallTauB);
        var rho = TransferStudy.Correlations(table, RankCorrelation.Spearman);
        Assert.Equal(0.878837, tau[0][1], 5);
        Assert.Equal(0.837345, tau[0][2], 5);
        Assert.Equal(0.843149, tau[2][1], 5);
        Assert.Equal(0.979179, rho[1][0], 5);
        Assert.Equal(0.962579, rho[1][2], 5);
        var top5 = TransferStudy.Correlations(table, RankCorrelation.KendallTauB, 0.05);
        Assert.Equal(0.467317, top5[0][1], 5);
        Assert.Equal(0.438703, top5[1][0], 5); // not symmetric: each row ranks its own task's best
        Assert.Equal(0.272071, top5[2][0], 5);
        var top1 = TransferStudy.Correlations(table, RankCorrelation.KendallTauB, 0.01);
        Assert.Equal(0.517132, top1[1][0], 5);
        Assert.Equal(0.287978, top1[2][1], 5);
        Assert.Equal(157, TransferStudy.Top(table.Outcomes[0], 0.01).Length);
    }

    [Fact]
    public void Top_takes_the_best_fraction_but_never_fewer_than_three()
    {
        double[] outcome = [5, 9, 1, 7, 3];
        Assert.Equal([1, 3, 0], TransferStudy.Top(outcome, 0.2));
        Assert.Equal([1, 3, 0, 4, 2], TransferStudy.Top(outcome, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TransferStudy.Correlations(Nb201.Value, RankCorrelation.Spearman, 0));
    }

    private sealed class Search(IStrategyFactory factory, int runs) : IBenchmarkListVisitor<IReadOnlyList<TransferSearchRun>>
    {
        public IReadOnlyList<TransferSearchRun> Visit<TArch>(IReadOnlyList<TabularBenchmark<TArch>> tasks) where TArch : class, IArchitecture =>
            TransferStudy.SearchAcrossTasks(tasks, Nb201.Value, factory, queries: 50, runs, firstSeed: 3);
    }

    [Fact]
    public void Search_on_each_task_scores_its_pick_on_every_task_as_regret_against_that_tasks_best()
    {
        var table = Nb201.Value;
        var runs = BenchmarkCatalog.WithAll(Nb201Tasks, new Search(Catalog<IStrategyFactory>.Get("rea"), 8));
        Assert.Equal(3 * 8, runs.Count);
        var index = table.Architectures.Select((a, i) => (a, i)).ToDictionary(x => x.a, x => x.i);
        foreach (var r in runs)
        {
            int a = index[r.Architecture];
            for (int t = 0; t < 3; t++)
            {
                Assert.Equal(table[t, a], r.Outcome[t]);
                Assert.Equal(table.Outcomes[t].Max() - table[t, a], r.Regret[t], 9);
                Assert.True(r.Regret[t] >= 0);
            }
        }
        // The same seeds on every task: the runs differ only by the task searched.
        Assert.Equal(Enumerable.Range(3, 8), runs.Where(r => r.SearchedTask == "c100").Select(r => r.Seed).Order());
        // 50 REA queries on a task reach better than random picks on it: regret under the median cell's.
        var (mean, _) = TransferStudy.RegretMatrix(table, runs, "rea");
        for (int t = 0; t < 3; t++)
        {
            var sorted = table.Outcomes[t].Order().ToArray();
            Assert.True(mean[t][t] < table.Outcomes[t].Max() - sorted[sorted.Length / 2], $"task {t}: regret {mean[t][t]}");
        }
    }

    [Fact]
    public void Benchmarks_of_different_spaces_are_refused_together()
    {
        var e = Assert.Throws<ArgumentException>(() => BenchmarkCatalog.WithAll(["nb201", "nasbench-macro"], new Tables()));
        Assert.Contains("covers another space than 'nb201'", e.Message);
    }
}
