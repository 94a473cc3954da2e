using NasKit.Analysis;
using NasKit.Catalogs;
using NasKit.Experiments;
using NasKit.SearchSpaces.TransNasBench101;
using NasKit.Spaces;
using NasKit.Strategies;

namespace NasKit.Tests.SearchSpaces.TransNasBench101;

public class TnbTests
{
    [Theory]
    [InlineData("64-41414-3_13_123", TnbFamily.Micro)]
    [InlineData("64-41414-0_00_000", TnbFamily.Micro)]
    [InlineData("64-1412-basic", TnbFamily.Macro)]
    [InlineData("64-121344-basic", TnbFamily.Macro)]
    public void The_benchmark_strings_round_trip(string text, TnbFamily family)
    {
        var arch = TnbArchitecture.Parse(text);
        Assert.Equal(family, arch.Family);
        Assert.Equal(text, arch.ToText());
    }

    [Theory]
    [InlineData("64-41414-3_13_124", "edge codes are 0 (none)")]
    [InlineData("64-41414-3_13", "a_bc_def")]
    [InlineData("64-111-basic", "4 to 6 modules, got 3")]
    [InlineData("64-1111-basic", "down-samples 1-4 times and doubles channels 1-3 times, this one 0 and 0")]
    [InlineData("64-444433-basic", "this one 6 and 4")]
    [InlineData("64-1412-fancy", "not a TransNAS-Bench-101 string")]
    public void Malformed_strings_say_what_is_wrong(string text, string expected)
    {
        var e = Assert.Throws<ArchitectureFormatException>(() => TnbArchitecture.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.Contains("64-41414-3_13_123", e.Message);
    }

    [Fact]
    public void NasLib_keys_map_to_the_benchmark_strings()
    {
        Assert.Equal("64-41414-1_00_210", TnbArchitecture.FromNasLibKey(TnbFamily.Micro, "(1, 0, 0, 2, 1, 0)").ToText());
        Assert.Equal("64-1242-basic", TnbArchitecture.FromNasLibKey(TnbFamily.Macro, "(1, 2, 4, 2, 0, 0)").ToText());
        Assert.Throws<FormatException>(() => TnbArchitecture.FromNasLibKey(TnbFamily.Macro, "(1, 2, 0, 2, 1, 0)"));
        Assert.Throws<FormatException>(() => TnbArchitecture.FromNasLibKey(TnbFamily.Micro, "(1, 2, 3)"));
    }

    [Fact]
    public void The_decision_spaces_have_the_papers_sizes()
    {
        Assert.Equal(4096, new TnbMicroSpace().Count);
        var macro = new TnbMacroSpace();
        Assert.Equal(4 * 4 * 4 * 4 + 4 * 4 * 4 * 4 * 4 + 4 * 4 * 4 * 4 * 4 * 4, macro.Count);
        // Duan et al.: 3,256 skeletons satisfy the counting rule (1-4 down-samplings, 1-3 doublings).
        int valid = macro.All().Count(a => a.DownSamplings is >= 1 and <= 4 && a.Doublings is >= 1 and <= 3);
        Assert.Equal(3256, valid);
        Assert.All(macro.All().Take(50), a => Assert.Equal(a, macro.Create(macro.ToDecisions(a))));
    }

    [Fact]
    public void The_samples_load_with_the_architectures_every_task_scores()
    {
        var micro = TnbTables.Micro();
        var macro = TnbTables.Macro();
        Assert.Equal(711, micro.Space.Count);
        Assert.Equal(662, macro.Space.Count); // classification has 662 skeletons, the other five tasks 725
        Assert.Equal(725, macro.Count("jigsaw"));
        // json['room_layout']['(1, 0, 0, 2, 1, 0)']['val_accuracy']
        Assert.Equal(-0.7911797165870667, micro.Find("room_layout", TnbArchitecture.Parse("64-41414-1_00_210"))!.Score, 12);
        Assert.All(macro.Space.All(), a => Assert.Equal(a, TnbArchitecture.Parse(a.ToText()))); // every sampled skeleton obeys the counting rule
        Assert.Contains("jacov", micro.ZeroCostNames);
        Assert.Throws<ArgumentException>(() => micro.Find("depth", micro.Space.All().First()));
    }

    [Fact]
    public void The_subset_space_samples_mutates_and_parses_only_covered_architectures()
    {
        var space = TnbTables.Micro().Space;
        var rng = new Random(1);
        for (int i = 0; i < 300; i++)
        {
            var a = space.Sample(rng);
            var m = space.Mutate(a, rng);
            Assert.True(space.Contains(m));
            Assert.NotEqual(a, m);
            Assert.True(space.Contains(space.Crossover(a, m, rng)));
            Assert.All(space.Neighbours(a), n => Assert.True(space.Contains(n)));
        }
        var outside = new TnbMicroSpace().All().First(a => !space.Contains(a));
        var e = Assert.Throws<ArchitectureFormatException>(() => space.Parse(outside.ToText()));
        Assert.Contains("not one of the 711 the benchmark covers", e.Message);
        Assert.Equal(space.Full.EncodingLength(ArchitectureEncoding.OneHot), space.Encode(outside, ArchitectureEncoding.OneHot).Length);
    }

    private sealed class Tables(string[] metrics) : IBenchmarkListVisitor<TransferTable>
    {
        public TransferTable Visit<TArch>(IReadOnlyList<TabularBenchmark<TArch>> tasks) where TArch : class, IArchitecture =>
            TransferStudy.Table(tasks, tasks.Select((_, i) => $"task{i}").ToArray(), metrics);
    }

    [Fact]
    public void Task_to_task_and_zero_cost_correlations_match_scipy()
    {
        // scipy.stats on the architectures every task scores, from the json files directly.
        string[] tasks = ["class_scene", "class_object", "room_layout", "autoencoder"];
        string[] Tasks(string family) => tasks.Select(t => $"{family}:task={t}").ToArray();
        var micro = BenchmarkCatalog.WithAll(Tasks("transnas-micro"), new Tables(["zc_jacov", "zc_nwot"]));
        var tau = TransferStudy.Correlations(micro, RankCorrelation.KendallTauB);
        Assert.Equal(0.668232, tau[0][1], 5);
        Assert.Equal(0.464408, tau[2][0], 5);
        Assert.Equal(0.250073, TransferStudy.Correlations(micro, RankCorrelation.Spearman)[0][3], 5);
        var zc = TransferStudy.MetricCorrelations(micro, ["zc_jacov", "zc_nwot"], RankCorrelation.Spearman);
        Assert.Equal(0.745224, zc[0][0], 5);
        Assert.Equal(-0.042263, zc[1][3], 5);
        var macro = BenchmarkCatalog.WithAll(Tasks("transnas-macro"), new Tables(["zc_jacov", "zc_nwot"]));
        Assert.Equal(662, macro.Architectures.Count);
        Assert.Equal(0.544331, TransferStudy.Correlations(macro, RankCorrelation.KendallTauB)[0][1], 5);
        Assert.Equal(0.730013, TransferStudy.MetricCorrelations(macro, ["zc_jacov", "zc_nwot"], RankCorrelation.Spearman)[1][3], 5);
    }

    [Fact]
    public void Every_discrete_strategy_that_needs_no_decisions_searches_a_task()
    {
        var rows = new List<(string, double)>();
        foreach (var name in new[] { "random", "rea", "local-search" })
            rows.Add((name, BenchmarkCatalog.With("transnas-micro:task=jigsaw", new Best(Catalog<IStrategyFactory>.Get(name)))));
        var best = TnbTables.Micro().Space.All().Max(a => TnbTables.Micro().Find("jigsaw", a)!.Score);
        Assert.All(rows, r => Assert.InRange(r.Item2, best - 3, best));
    }

    private sealed class Best(IStrategyFactory factory) : IBenchmarkVisitor<double>
    {
        public double Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture =>
            new QueryBudgetProtocol<TArch> { Space = b.Space, Evaluator = b.Evaluator, Fidelity = b.Fidelity, Signal = b.Signal, OutcomeMetric = b.Outcome, Queries = 100 }
                .Run(factory, 10, 0).Average(r => r.Outcome);
    }
}
