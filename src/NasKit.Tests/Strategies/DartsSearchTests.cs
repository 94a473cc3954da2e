using NasKit.Data;
using NasKit.Networks;
using NasKit.SearchSpaces.Darts;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies.OneShot;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasKit.Tests.Strategies;

public class DartsSearchTests
{
    private static readonly Nb201Space Space = new();

    private static ImageDataset Noise(int count, int seed) => TestData.NoiseImages(count, seed);

    [Fact]
    public void The_second_order_gradient_matches_finite_differences_of_the_unrolled_objective()
    {
        // f(α) = L_val(w − ξ(∇w L_train(w, α) + λw), α). DARTS' gradient replaces one Hessian-vector product by a
        // finite difference; in float64 and with a small radius it must agree with a central difference of f along a
        // random direction, which the first-order gradient (without that product) does not.
        using var scope = NewDisposeScope();
        var net = new Nb201SuperNetwork(new NetworkShape(2, 1, Classes: 3), affine: false);
        SeededInitialization.Apply(net, 4);
        net.to(ScalarType.Float64);
        net.train();
        var g = new Generator(9);
        var alphas = new Parameter(randn(new long[] { 6, 5 }, ScalarType.Float64, generator: g) * 0.5);
        var train = (randn(new long[] { 4, 3, 8, 8 }, ScalarType.Float64, generator: g), tensor(new long[] { 0, 1, 2, 1 }));
        var valid = (randn(new long[] { 4, 3, 8, 8 }, ScalarType.Float64, generator: g), tensor(new long[] { 2, 0, 1, 1 }));
        const double xi = 0.1, wd = 3e-4;
        // A small radius: this tiny network is far from linear over the reference's 0.01 (see the method's remarks).
        var gradient = DartsSearch<Nb201Cell>.UnrolledArchitectureGradient(net, [alphas], train, valid, xi, 0.9, wd, [], out _, radius: 1e-6);

        var weights = net.parameters().ToArray();
        var saved = weights.Select(w => w.detach().clone()).ToArray();
        double F(Tensor a)
        {
            var loss = nn.functional.cross_entropy(net.Forward(train.Item1, nn.functional.softmax(a, -1)), train.Item2);
            var grads = autograd.grad([loss], weights, allow_unused: true);
            using (no_grad())
                for (int i = 0; i < weights.Length; i++)
                    weights[i].sub_(((grads[i] is { IsInvalid: false } gi ? gi : zeros_like(weights[i])) + weights[i] * wd) * xi);
            double value;
            using (no_grad()) value = nn.functional.cross_entropy(net.Forward(valid.Item1, nn.functional.softmax(a, -1)), valid.Item2).item<double>();
            using (no_grad()) for (int i = 0; i < weights.Length; i++) weights[i].copy_(saved[i]);
            return value;
        }
        var direction = randn(new long[] { 6, 5 }, ScalarType.Float64, generator: g);
        const double h = 1e-5;
        double numeric = (F(alphas.detach() + direction * h) - F(alphas.detach() - direction * h)) / (2 * h);
        double analytic = (gradient[0] * direction).sum().item<double>();
        Assert.True(Math.Abs(numeric - analytic) <= 1e-3 * Math.Max(1e-3, Math.Abs(numeric)), $"finite differences {numeric:G8}, DARTS {analytic:G8}");
        var firstOrder = DartsSearch<Nb201Cell>.UnrolledArchitectureGradient(net, [alphas], train, valid, 0, 0.9, wd, [], out _, radius: 1e-6);
        Assert.True(Math.Abs(numeric - (firstOrder[0] * direction).sum().item<double>()) > 1e-2 * Math.Abs(numeric), "the unrolled step should matter here");
        // and the weights are back where they were
        for (int i = 0; i < weights.Length; i++) Assert.True(weights[i].allclose(saved[i], rtol: 0, atol: 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_search_epoch_moves_the_architecture_and_is_deterministic(int order)
    {
        (double[] Start, DartsEpoch<Nb201Cell> End) Run()
        {
            using var search = new DartsSearch<Nb201Cell>(Space, Noise(32, 1), new NetworkShape(8, 1), epochs: 2, seed: 3, new DartsSettings(Order: order, BatchSize: 8), CPU);
            var start = search.Probabilities()[0].SelectMany(p => p).ToArray();
            search.RunEpoch();
            return (start, search.RunEpoch());
        }
        var (start, a) = Run();
        var (_, b) = Run();
        Assert.Equal(2, a.Epoch);
        Assert.All(a.EdgeProbabilities[0], p => Assert.Equal(1.0, p.Sum(), 6));
        Assert.Equal(a.EdgeProbabilities[0].SelectMany(p => p), b.EdgeProbabilities[0].SelectMany(p => p));
        Assert.Equal(a.Derived, b.Derived);
        Assert.True(double.IsFinite(a.TrainLoss) && a.ValidAccuracy >= 0);
        // six Adam steps of 3e-4 move the logits by about 1e-3, the probabilities by about 2e-4
        double moved = a.EdgeProbabilities[0].SelectMany(p => p).Zip(start, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(moved > 5e-5, $"the architecture weights moved by at most {moved:G3}");
    }

    [Fact]
    public void Gdas_samples_one_path_per_step_anneals_tau_and_is_deterministic()
    {
        (double[] Start, DartsEpoch<Nb201Cell> End, double Tau) Run()
        {
            using var search = new DartsSearch<Nb201Cell>(Space, Noise(32, 2), new NetworkShape(8, 1), epochs: 3, seed: 5, DartsSettings.Gdas with { BatchSize = 8 }, CPU);
            var start = search.Probabilities()[0].SelectMany(p => p).ToArray();
            search.RunEpoch();
            search.RunEpoch();
            return (start, search.RunEpoch(), search.Temperature);
        }
        var (start, a, tau) = Run();
        var (_, b, _) = Run();
        Assert.Equal(0.1, tau, 12); // 10 → 0.1 linearly over the 3 epochs
        Assert.Equal(a.EdgeProbabilities[0].SelectMany(p => p), b.EdgeProbabilities[0].SelectMany(p => p));
        Assert.True(a.EdgeProbabilities[0].SelectMany(p => p).Zip(start, (x, y) => Math.Abs(x - y)).Max() > 5e-5);
        Assert.Throws<ArgumentException>(() => new DartsSearch<Nb201Cell>(Space, Noise(8, 0), new NetworkShape(2, 1), 1, 0, DartsSettings.Gdas with { Order = 2 }, CPU));
    }

    [Fact]
    public void Single_path_training_updates_only_the_sampled_paths_and_scores_cells_by_inherited_weights()
    {
        using var training = new SinglePathTraining<Nb201Cell>(Space, Noise(32, 3), new NetworkShape(8, 1), epochs: 1, seed: 1, batchSize: 16, device: CPU);
        var before = training.Network.Module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var epoch = training.RunEpoch();
        Assert.True(double.IsFinite(epoch.TrainLoss));
        var changed = training.Network.Module.state_dict().Count(kv => !kv.Value.allclose(before[kv.Key], rtol: 0, atol: 0));
        Assert.InRange(changed, 1, before.Count - 1); // two steps touch two paths, not every op of every edge
        var loader = new BatchLoader(Noise(16, 4), new BatchOptions(8), CPU);
        var cell = Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        double acc = training.InheritedAccuracy(cell, loader);
        Assert.InRange(acc, 0, 100);
        Assert.Equal(acc, training.InheritedAccuracy(cell, loader));
    }

    [Fact]
    public void Only_first_and_second_order_exist()
    {
        var e = Assert.Throws<ArgumentException>(() => new DartsSearch<Nb201Cell>(Space, Noise(8, 0), new NetworkShape(2, 1), 1, 0, new DartsSettings(Order: 3), CPU));
        Assert.Contains("order 3", e.Message);
    }

    [Fact]
    public void A_resumed_search_continues_exactly_as_an_uninterrupted_one()
    {
        var dir = Directory.CreateTempSubdirectory("naskit-darts-").FullName;
        var settings = DartsSettings.Gdas with { BatchSize = 8 }; // Gumbel noise: the generator state must survive too
        DartsEpoch<Nb201Cell> Uninterrupted()
        {
            using var s = new DartsSearch<Nb201Cell>(Space, Noise(32, 6), new NetworkShape(8, 1), 3, 2, settings, CPU);
            s.RunEpoch(); s.RunEpoch();
            return s.RunEpoch();
        }
        var path = Path.Combine(dir, "search.ckpt");
        using (var first = new DartsSearch<Nb201Cell>(Space, Noise(32, 6), new NetworkShape(8, 1), 3, 2, settings, CPU))
        {
            first.RunEpoch();
            first.Save(path);
        }
        using var resumed = new DartsSearch<Nb201Cell>(Space, Noise(32, 6), new NetworkShape(8, 1), 3, 2, settings, CPU);
        resumed.Load(path);
        Assert.Single(resumed.History);
        resumed.RunEpoch();
        var end = resumed.RunEpoch();
        var expected = Uninterrupted();
        Assert.Equal(expected.EdgeProbabilities[0].SelectMany(p => p), end.EdgeProbabilities[0].SelectMany(p => p));
        Assert.Equal(expected.TrainLoss, end.TrainLoss);
        Assert.True(resumed.Finished);

        // a different configuration or a damaged file is refused with what to do
        using var other = new DartsSearch<Nb201Cell>(Space, Noise(32, 6), new NetworkShape(8, 1), 4, 2, settings, CPU);
        Assert.Contains("different search", Assert.Throws<InvalidDataException>(() => other.Load(path)).Message);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        using var again = new DartsSearch<Nb201Cell>(Space, Noise(32, 6), new NetworkShape(8, 1), 3, 2, settings, CPU);
        Assert.Contains("corrupt", Assert.Throws<InvalidDataException>(() => again.Load(path)).Message);
    }

    [Fact]
    public void Darts_space_search_runs_first_order_with_partial_channels_and_derives_a_genotype()
    {
        using var search = new DartsSearch<DartsGenotype>(new DartsSpace(), Noise(16, 7), new NetworkShape(8, 1), 1, 1,
                                                          DartsSettings.PcDarts with { PartialChannels = 2, BatchSize = 8 }, CPU);
        Assert.Equal(2, search.Alphas.Count);
        Assert.Equal(new long[] { 14, 8 }, search.Alphas[1].shape);
        var epoch = search.RunEpoch();
        Assert.True(double.IsFinite(epoch.TrainLoss));
        Assert.Equal(8, epoch.Derived.Normal.Count);
        Assert.DoesNotContain(epoch.Derived.Normal, e => e.Op == DartsOp.None);
        Assert.Equal(epoch.Derived, DartsGenotype.Parse(epoch.Derived.ToText()));
        using var evalNet = new NasKit.SearchSpaces.Darts.DartsNetwork(epoch.Derived, channels: 4, layers: 5); // the derived genotype trains as a network
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 2, 10 }, evalNet.call(randn(2, 3, 16, 16)).shape);
    }

    [Fact]
    public void Enas_trains_shared_weights_on_controller_paths_and_is_deterministic()
    {
        (EnasEpoch<Nb201Cell> Epoch, Nb201Cell Derived) Run()
        {
            using var enas = new EnasSearch<Nb201Cell>(Space, Noise(48, 8), new NetworkShape(8, 1), epochs: 1, seed: 2, controllerSteps: 4, batchSize: 8, device: CPU);
            var e = enas.RunEpoch();
            Assert.True(enas.Finished);
            return (e, enas.Derive(candidates: 4).Cell);
        }
        var a = Run();
        var b = Run();
        Assert.True(double.IsFinite(a.Epoch.TrainLoss));
        Assert.InRange(a.Epoch.MeanReward, 0, 100);
        Assert.Equal(a.Epoch.TrainLoss, b.Epoch.TrainLoss);
        Assert.Equal(a.Derived, b.Derived);
    }

    [Fact]
    public void Oneshot_search_evolves_on_inherited_weights_and_ranks_cells_against_the_benchmark()
    {
        var bench = TestData.Nb201;
        var result = NasKit.Experiments.OneShotSearch.Run(Space, Noise(64, 9), new NetworkShape(8, 1), epochs: 1, seed: 1, evaluations: 12, population: 6,
                                                          rankCells: 8, truth: c => bench.TestAccuracy(c), batchSize: 16, device: CPU);
        Assert.Equal(8, result.Ranking.Count);
        Assert.Equal(8, result.Ranking.Select(r => r.Architecture.Code).Distinct().Count());
        Assert.All(result.Ranking, r => Assert.Equal(bench.TestAccuracy(r.Architecture), r.Truth));
        Assert.InRange(result.KendallTau, -1, 1);
        Assert.InRange(result.Evaluated, 1, 12);
        Assert.Equal(bench.TestAccuracy(result.Best), result.BestTruth);
        Assert.Single(result.Epochs);
    }
}
