using NasKit.Catalogs;
using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Data;
using NasKit.Estimation.ZeroCost;
using NasKit.Networks;
using NasKit.Spaces;
using NasKit.SearchSpaces.Nb201;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Tests.Estimation;

public class ZeroCostProxyTests
{
    private sealed class Named(string text) : IArchitecture
    {
        public string ToText() => text;
        public bool Equals(IArchitecture? other) => other?.ToText() == text;
    }

    private static ProxyInput Input(Func<NetworkShape, nn.Module<Tensor, Tensor>> build, Tensor images, int seed = 0) =>
        new(new Named("test"), new NetworkShape(), images, zeros(images.shape[0], ScalarType.Int64), CPU, build, seed);

    /// <summary>x → ReLU → flatten: the ReLU sees the images themselves.</summary>
    private sealed class OneRelu : nn.Module<Tensor, Tensor>
    {
        private readonly ReLU relu = nn.ReLU();
        public OneRelu() : base(nameof(OneRelu)) => RegisterComponents();
        public override Tensor forward(Tensor x) => relu.call(x).flatten(1);
    }

    /// <summary>1×1 conv (3→4) → global average → linear (4→2), no biases: positively homogeneous in each layer.</summary>
    private sealed class TwoLayers : nn.Module<Tensor, Tensor>
    {
        public readonly Conv2d conv = nn.Conv2d(3, 4, 1, bias: false);
        public readonly Linear fc = nn.Linear(4, 2, hasBias: false);
        public TwoLayers() : base(nameof(TwoLayers)) => RegisterComponents();
        public override Tensor forward(Tensor x) => fc.call(nn.functional.adaptive_avg_pool2d(conv.call(x), 1).flatten(1));
    }

    [Fact]
    public void Jacob_cov_matches_numpy_on_a_fixed_jacobian()
    {
        // /usr/bin/python3: J = [[1,2,0,-1,3,.5],[0,1,1,2,-1,0],[2,-1,.5,0,1,1],[1,1,1,0,0,-2]];
        // v = np.linalg.eig(np.corrcoef(J))[0]; -np.sum(np.log(v+1e-5) + 1/(v+1e-5)) = -100.07347877940266
        var j = tensor(new double[] { 1, 2, 0, -1, 3, .5, 0, 1, 1, 2, -1, 0, 2, -1, .5, 0, 1, 1, 1, 1, 1, 0, 0, -2 }, new long[] { 4, 6 });
        Assert.Equal(-100.07347877940266, JacobCov.Score(j), 8);
    }

    [Fact]
    public void Naswot_builds_the_hamming_kernel_of_relu_codes_as_numpy_does()
    {
        // Codes of X > 0 per row; K = c cᵀ + (1-c)(1-c)ᵀ = [[5,2,1],[2,5,2],[1,2,5]]; np.linalg.slogdet(K)[1] = 4.477336814478207
        var x = tensor(new float[] { 0.5f, -1, 2, 0, -0.1f, 1, 1, -1, -2, 3, -1, -1, -1, 0.2f, 0.3f }, new long[] { 3, 1, 1, 5 });
        Assert.Equal(4.477336814478207, new Naswot().Score(Input(_ => new OneRelu(), x)), 9);
    }

    [Fact]
    public void Synflow_of_a_two_layer_linear_network_is_twice_its_output()
    {
        // With |weights| and an all-ones input, R = Σ_k Σ_c |W2[k,c]| Σ_i |W1[c,i]| is linear in each layer's weights,
        // so Σ θ ∂R/∂θ = R per layer and synflow = 2R.
        var reference = new TwoLayers();
        SeededInitialization.Apply(reference, 7);
        var w1 = reference.conv.weight!.abs().reshape(4, 3).to_type(ScalarType.Float64);
        var w2 = reference.fc.weight!.abs().to_type(ScalarType.Float64);
        double r = w2.matmul(w1.sum(1)).sum().item<double>();
        double score = new Synflow().Score(Input(_ => new TwoLayers(), randn(5, 3, 4, 4), seed: 7));
        Assert.Equal(2 * r, score, 10);
    }

    [Fact]
    public void Fisher_gives_each_channel_value_to_every_weight_of_the_channel()
    {
        // Independently of the hooks: run the two layers by hand, take ∂L/∂(layer output) with autograd, and form
        // Σ_layers fan-in · Σ_k ½·mean_n (Σ_spatial a·g)² (fan-in 3 for the 1×1 conv over 3 channels, 4 for the linear).
        var x = randn(new long[] { 6, 3, 4, 4 }, generator: new Generator(3));
        var labels = tensor(new long[] { 0, 1, 1, 0, 1, 0 });
        var input = new ProxyInput(new Named("test"), new NetworkShape(), x, labels, CPU, _ => new TwoLayers(), 7);
        double score = new Fisher().Score(input);

        using var net = (TwoLayers)input.Network();
        var a1 = net.conv.call(x);
        var a2 = net.fc.call(nn.functional.adaptive_avg_pool2d(a1, 1).flatten(1));
        var loss = nn.functional.cross_entropy(a2, labels);
        var g = autograd.grad([loss], [a1, a2]);
        double F(Tensor a, Tensor grad) => (a.dim() > 2 ? (a * grad).sum(new long[] { 2, 3 }) : a * grad).pow(2).mean(new long[] { 0 }).mul(0.5).sum().item<float>();
        double expected = 3 * F(a1.detach(), g[0]) + 4 * F(a2.detach(), g[1]);
        Assert.Equal(expected, score, expected * 1e-5);
    }

    [Fact]
    public void Fisher_holds_the_layer_outputs_a_sequential_network_frees()
    {
        // TorchSharp's Sequential disposes each layer's output once the next layer has run (NAS-Bench-Macro's blocks
        // are Sequentials); Fisher reads the outputs after backward, so it must keep its own.
        var x = randn(new long[] { 6, 3, 4, 4 }, generator: new Generator(3));
        var labels = tensor(new long[] { 0, 1, 1, 0, 1, 0 });
        var input = new ProxyInput(new Named("test"), new NetworkShape(), x, labels, CPU,
            _ => nn.Sequential(nn.Conv2d(3, 4, 1, bias: false), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2, hasBias: false)), 7);
        double score = new Fisher().Score(input);

        using var net = (Sequential)input.Network();
        var (conv, fc) = ((Conv2d)net.children().First(), (Linear)net.children().Last());
        var a1 = conv.call(x);
        var a2 = fc.call(nn.functional.adaptive_avg_pool2d(a1, 1).flatten(1));
        var g = autograd.grad([nn.functional.cross_entropy(a2, labels)], [a1, a2]);
        double F(Tensor a, Tensor grad) => (a.dim() > 2 ? (a * grad).sum(new long[] { 2, 3 }) : a * grad).pow(2).mean(new long[] { 0 }).mul(0.5).sum().item<float>();
        double expected = 3 * F(a1.detach(), g[0]) + 4 * F(a2.detach(), g[1]);
        Assert.True(expected > 0);
        Assert.Equal(expected, score, expected * 1e-5);
    }

    [Fact]
    public void Every_proxy_scores_real_and_dead_cells_deterministically()
    {
        var data = DatasetReaders.Cifar10SubsetTrain();
        var cells = new[]
        {
            Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"),
            Nb201Cell.FromCode(0), // every edge none: the output ignores the input
        };
        ZeroCostScores[] Run()
        {
            using var scorer = new ZeroCostScorer<Nb201Cell>(new Nb201Space(), data, Catalog<IZeroCostProxy>.All, seed: 1, batchSize: 16, new NetworkShape(8, 1));
            return cells.Select(scorer.Score).ToArray();
        }
        var first = Run();
        var second = Run();
        Assert.Equal(Catalog<IZeroCostProxy>.All.Select(p => p.Name), first[0].Scores.Keys);
        Assert.All(first[0].Scores, kv => Assert.True(double.IsFinite(kv.Value), $"{kv.Key} = {kv.Value}"));
        Assert.True(double.IsNaN(first[1].Scores["jacob_cov"])); // no Jacobian correlation to speak of
        Assert.Equal(0, first[1].Scores["synflow"]);
        Assert.True(first[0].Scores["synflow"] > 0 && first[0].Scores["grad_norm"] > first[1].Scores["grad_norm"]);
        for (int i = 0; i < cells.Length; i++)
            foreach (var (name, v) in first[i].Scores)
                Assert.True(v.Equals(second[i].Scores[name]), $"{name} of cell {i}: {v} then {second[i].Scores[name]}");
    }

    [Fact]
    public void Lent_networks_score_exactly_as_freshly_built_ones()
    {
        // The scorer lends networks from a pool of layers built once; a lent network must be indistinguishable from a
        // new one: same weights after seeding, same forward, no gradients or BN statistics or float64 left over from
        // the previous proxy or architecture. Cells in a row, dead edges and all, with every proxy. C=8: at C=4 libtorch's
        // multithreaded CPU kernels gave grasp a NaN now and then on the built side too (see environment.md).
        var data = DatasetReaders.Cifar10SubsetTrain();
        var rng = new Random(5);
        var cells = new[] { Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"),
                            Nb201Cell.FromCode(0), Nb201Cell.Parse("|none~0|+|nor_conv_1x1~0|none~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|") }
            .Concat(Enumerable.Range(0, 4).Select(_ => new Nb201Space().Sample(rng))).ToArray();
        ZeroCostScores[] Run(bool pooled)
        {
            using var scorer = new ZeroCostScorer<Nb201Cell>(new Nb201Space(), data, Catalog<IZeroCostProxy>.All, seed: 2, batchSize: 16, new NetworkShape(8, 1), poolNetworks: pooled);
            return cells.Select(scorer.Score).ToArray();
        }
        var lent = Run(pooled: true);
        var built = Run(pooled: false);
        for (int i = 0; i < cells.Length; i++)
            foreach (var (name, v) in built[i].Scores)
                Assert.True(v.Equals(lent[i].Scores[name]), $"{name} of {cells[i]}: built {v:R}, lent {lent[i].Scores[name]:R}");
    }

    [Fact]
    public void Synflow_and_jacob_cov_rank_cells_as_the_published_scores_do()
    {
        // synflow barely depends on the initialisation, so NasKit must rank cells as NAS-Bench-Suite-Zero did;
        // jacob_cov is the NASWOT v1 score, published for every cell.
        var bench = TestData.Nb201;
        var suite = PrecomputedZeroCost.LoadSuiteZero(bench);
        var naswotV1 = PrecomputedZeroCost.LoadNaswotV1(bench);
        var rng = new Random(11);
        var cells = suite.Indices.OrderBy(i => i).OrderBy(_ => rng.Next()).Take(12).Select(bench.CellAt).ToArray();
        using var scorer = new ZeroCostScorer<Nb201Cell>(bench.Space, DatasetReaders.Cifar10SubsetTrain(), [new Synflow(), new JacobCov()], seed: 0);
        var scores = cells.Select(scorer.Score).ToArray();
        double synflow = RankCorrelation.Spearman(scores.Select(s => s.Scores["synflow"]).ToArray(),
                                                  cells.Select(c => suite.Score(bench.IndexOf(c), "synflow")!.Value).ToArray());
        double jacob = RankCorrelation.Spearman(scores.Select(s => s.Scores["jacob_cov"]).ToArray(), cells.Select(c => naswotV1[bench.IndexOf(c)]).ToArray());
        Assert.True(synflow >= 0.95, $"synflow rho {synflow:0.000}");
        Assert.True(jacob >= 0.8, $"jacob_cov rho {jacob:0.000}");
    }

    [Fact]
    public void The_vote_follows_the_pairwise_majority()
    {
        // Three voters over architectures a, b, c: b beats a (2 of 3), b beats c and a beats c (3 of 3 each).
        double[][] scores = [[3, 2, 1], [1, 2, 0], [5, 6, 4]];
        Assert.Equal(new double[] { 1, 2, 0 }, ProxyVote.Score(scores));
        Assert.Equal(new double[] { 0.5, 0.5 }, ProxyVote.Score([[1, double.NaN], [double.NaN, 1]])); // NaN loses each vote: a tie
    }

    [Fact]
    public void The_catalog_finds_every_proxy_in_paper_order_and_names_unknown_ones()
    {
        Assert.Equal(["grad_norm", "snip", "grasp", "fisher", "jacob_cov", "synflow", "naswot", "params", "flops"], Catalog<IZeroCostProxy>.All.Select(p => p.Name));
        Assert.Equal(["synflow", "naswot"], Catalog<IZeroCostProxy>.Parse("synflow, NASWOT,synflow").Select(p => p.Name));
        var e = Assert.Throws<ArgumentException>(() => Catalog<IZeroCostProxy>.Parse("synflow,zen"));
        Assert.Contains("Unknown zero-cost proxy 'zen'", e.Message);
    }

    [Fact]
    public void A_strategy_can_search_on_a_zero_cost_score_deterministically()
    {
        // The evaluator turns proxies into metrics zc_NAME, so any strategy can optimise synflow directly.
        string[] Run()
        {
            using var scorer = new ZeroCostScorer<Nb201Cell>(new Nb201Space(), DatasetReaders.Cifar10SubsetTrain(), [new Synflow(), new ParameterCount()],
                                                             seed: 0, batchSize: 8, new NetworkShape(8, 1));
            var evaluator = new ZeroCostEvaluator<Nb201Cell>(scorer);
            var strategy = new NasKit.Strategies.RegularizedEvolution<Nb201Cell>(new Nb201Space(), new NasKit.Estimation.Objective("zc_synflow"), seed: 0);
            var asked = new List<string>();
            for (int q = 0; q < 25; q++)
            {
                var proposal = strategy.Ask()!;
                var cell = proposal.Architecture;
                var e = evaluator.Evaluate(cell, new NasKit.Estimation.Fidelity());
                Assert.Equal(["zc_synflow", "zc_params"], e.Metrics.Keys);
                Assert.True(e["zc_params"] > 0 && e["zc_synflow"] >= 0 && e.CostSeconds > 0);
                asked.Add($"{cell} {e["zc_synflow"]:R}");
                strategy.Tell(proposal, e);
            }
            return asked.ToArray();
        }
        Assert.Equal(Run(), Run()); // the same seeds ask the same cells and score them the same
    }
}
