using System.Text.Json.Nodes;
using NasKit.Benchmarks;
using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.SearchSpaces.NasBenchMacro;
using NasKit.Spaces;
using NasKit.Strategies;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.NasBenchMacro;

public class MacroTests
{
    private static MacroBenchmark Bench => MacroBenchmarkEntry.Tables();

    [Theory]
    [InlineData("0201210", "7 layers instead of 8")]
    [InlineData("02012103", "layer 8 is '3'")]
    [InlineData("0201x100", "layer 5 is 'x'")]
    public void Malformed_keys_say_what_is_wrong(string text, string expected)
    {
        var e = Assert.Throws<ArchitectureFormatException>(() => new MacroSpace().Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.Contains("e.g. 02012100", e.Message);
    }

    [Fact]
    public void The_space_lists_every_network_of_the_table_once()
    {
        var space = new MacroSpace();
        Assert.Equal(6561, space.Count);
        var all = space.All().ToArray();
        Assert.Equal(6561, all.Select(a => a.ToText()).Distinct().Count());
        Assert.All(all, a => Assert.Equal(a, space.Parse(a.ToText())));
        Assert.Equal(6561, Bench.Architectures.Count);
    }

    [Fact]
    public void The_all_identity_network_costs_what_its_layers_add_up_to()
    {
        // By hand from train/model.py: stem 3·32·9 + BN 64; three stride-2 1×1 convolutions with BN (32→64, 64→128,
        // 128→256); head 256·1280 + BN 2,560; classifier 1,280·10 + 10. FLOPs: the same convolutions at 32², 16², 8²,
        // 4², 4² and the classifier's weights.
        long parameters = 3 * 32 * 9 + 64 + (32 * 64 + 128) + (64 * 128 + 256) + (128 * 256 + 512) + (256 * 1280 + 2560) + (1280 * 10 + 10);
        long flops = 32L * 32 * 3 * 32 * 9 + 16 * 16 * 32 * 64 + 8 * 8 * 64 * 128 + 4 * 4 * 128 * 256 + 4 * 4 * 256 * 1280 + 1280 * 10;
        var arch = MacroArchitecture.Parse("00000000");
        Assert.Equal(387_882, parameters);
        Assert.Equal(parameters, MacroCostModel.Parameters(arch, MacroSpace.BenchmarkShape));
        Assert.Equal(flops, MacroCostModel.Flops(arch, MacroSpace.BenchmarkShape));
        Assert.Equal(parameters, Bench[arch].Parameters);
        Assert.Equal(flops, Bench[arch].Flops);
    }

    [Fact]
    public void The_cost_model_gives_the_tables_parameters_and_flops_for_every_network()
    {
        var wrong = Bench.Architectures.Where(a => MacroCostModel.Parameters(a, MacroSpace.BenchmarkShape) != Bench[a].Parameters
                                                   || MacroCostModel.Flops(a, MacroSpace.BenchmarkShape) != Bench[a].Flops).ToArray();
        Assert.Empty(wrong);
    }

    [Fact]
    public void Built_networks_have_the_tables_parameter_count_and_classify()
    {
        var rng = new Random(3);
        var sample = Bench.Architectures.OrderBy(_ => rng.Next()).Take(40).Append(MacroArchitecture.Parse("22222222")).ToArray();
        foreach (var arch in sample)
        {
            using var scope = NewDisposeScope();
            using var net = new MacroSpace().Build(arch, MacroSpace.BenchmarkShape);
            Assert.Equal(Bench[arch].Parameters, net.ParameterCount());
            net.eval();
            using var logits = net.call(randn(2, 3, 32, 32));
            Assert.Equal([2L, 10L], logits.shape);
        }
    }

    [Fact]
    public void The_evaluator_answers_the_one_fidelity_the_benchmark_trained()
    {
        var evaluator = new MacroTabularEvaluator(Bench);
        var arch = MacroArchitecture.Parse("02012100");
        var e = evaluator.Evaluate(arch, new Fidelity(Epochs: 50));
        Assert.Equal(Bench[arch].TestAccuracies.Average(), e[Metrics.TestAccuracy], 9);
        Assert.Equal(Bench[arch].Parameters / 1e6, e[Metrics.Parameters], 12);
        var other = evaluator.Evaluate(arch, new Fidelity(Epochs: 12));
        Assert.True(other.Failed);
        Assert.Contains("50 epochs only", other.Reason);
    }

    [Fact]
    public void Every_single_objective_strategy_searches_the_benchmark_from_the_catalog()
    {
        var best = Bench.Architectures.Max(a => Bench[a].MeanAccuracy);
        var runs = BenchmarkCatalog.With("nasbench-macro", new Searches());
        Assert.NotEmpty(runs);
        foreach (var (strategy, outcomes) in runs)
            Assert.All(outcomes, o => Assert.InRange(o, 10, best));
    }

    private sealed class Searches : IBenchmarkVisitor<IReadOnlyList<(string, double[])>>
    {
        public IReadOnlyList<(string, double[])> Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            var protocol = new QueryBudgetProtocol<TArch> { Space = b.Space, Evaluator = b.Evaluator, Fidelity = b.Fidelity, Signal = b.Signal, OutcomeMetric = b.Outcome, Queries = 30 };
            return Catalog<IStrategyFactory>.All.Where(f => StrategyFactories.SingleObjective(f) && StrategyFactories.SingleFidelity(f))
                .Select(f => (f.Name, protocol.Run(f, 2, firstSeed: 0).Select(r => r.Outcome).ToArray())).ToArray();
        }
    }

    [Fact]
    public void A_corrupt_table_fails_the_load_naming_the_network()
    {
        using var temp = new TempFolder("naskit-macro-");
        var dir = temp.Path;
        var json = JsonNode.Parse(File.ReadAllText(DataLocator.Default.Find(MacroBenchmark.File)))!.AsObject();
        json["02012100"]!["test_acc"]![1] = 120.0;
        Directory.CreateDirectory(Path.Combine(dir, "nasbench-macro"));
        File.WriteAllText(Path.Combine(dir, MacroBenchmark.File), json.ToJsonString());
        var e = Assert.Throws<BenchmarkDataException>(() => MacroBenchmark.Load(new DataLocator(dir)));
        Assert.Contains("network '02012100': test_acc must be 3 accuracies in 0-100", e.Message);

        json.Remove("02012100");
        File.WriteAllText(Path.Combine(dir, MacroBenchmark.File), json.ToJsonString());
        Assert.Contains("the table holds 6560", Assert.Throws<BenchmarkDataException>(() => MacroBenchmark.Load(new DataLocator(dir))).Message);
    }
}
