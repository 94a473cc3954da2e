using NasKit.Data;
using NasKit.Estimation;
using NasKit.Federated;
using NasKit.Networks;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies.OneShot;
using static TorchSharp.torch;

namespace NasKit.Tests.Federated;

public class FederatedTests
{
    private static readonly Nb201Space Space = new();

    private static ImageDataset Noise(int count, int seed) => TestData.NoiseImages(count, seed);

    private static ImageDataset Balanced(int perClass)
    {
        var labels = Enumerable.Range(0, 10 * perClass).Select(i => (byte)(i % 10)).ToArray();
        return new ImageDataset("balanced", new byte[labels.Length * 3 * 2 * 2], labels, 3, 2, 2, 10);
    }

    [Fact]
    public void Dirichlet_shards_are_seeded_disjoint_complete_and_skewed_by_alpha()
    {
        var data = Balanced(200);
        double Skew(double? alpha, int seed)
        {
            var shards = ClientShards.Split(data, 5, alpha, seed);
            Assert.Equal(data.Count, shards.Sum(s => s.Count));
            // Every image lands on exactly one client: the label multiset is preserved.
            var counts = ClientShards.LabelCounts(shards);
            Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(200, counts.Sum(k => k[c])));
            // Skew: the mean over clients of the largest class's share of the client's images.
            return counts.Average(k => k.Max() / (double)k.Sum());
        }
        Assert.Equal(ClientShards.LabelCounts(ClientShards.Split(data, 5, 0.1, 3)), ClientShards.LabelCounts(ClientShards.Split(data, 5, 0.1, 3)));
        Assert.NotEqual(ClientShards.LabelCounts(ClientShards.Split(data, 5, 0.1, 3)), ClientShards.LabelCounts(ClientShards.Split(data, 5, 0.1, 4)));
        double skewed = Enumerable.Range(0, 5).Average(s => Skew(0.1, s)), mild = Enumerable.Range(0, 5).Average(s => Skew(100, s)), iid = Skew(null, 0);
        Assert.True(skewed > 0.4, $"α=0.1 should give each client a few dominant classes; largest share {skewed:0.00}");
        Assert.InRange(mild, 0.1, 0.2);
        Assert.InRange(iid, 0.1, 0.2);
        Assert.All(ClientShards.Split(data, 3, null, 0), s => Assert.InRange(s.Count, 666, 667));
        Assert.Throws<ArgumentException>(() => ClientShards.Split(data, 5, 0, 0));
        Assert.Contains("cannot give 300 clients", Assert.Throws<ArgumentException>(() => ClientShards.Split(data, 300, 0.5, 0)).Message);
    }

    [Fact]
    public void Averaging_weights_by_shard_and_dp_clips_each_update_and_adds_noise_of_the_stated_scale()
    {
        using var scope = NewDisposeScope();
        var global = new[] { zeros(3), zeros(2) };
        Tensor[] Client(params float[] v) => [tensor(v[..3]), tensor(v[3..])];
        var a = Client(1, 2, 3, 4, 5);
        var b = Client(-1, 0, 1, 0, 2);
        var norms = FederatedAveraging.Aggregate(global, [a, b], [3, 1]);
        Assert.Equal([0.5f, 1.5f, 2.5f], global[0].data<float>().ToArray());
        Assert.Equal([3f, 4.25f], global[1].data<float>().ToArray());
        Assert.Equal(Math.Sqrt(55), norms[0], 5);
        Assert.Equal(4 * 5, FederatedAveraging.Bytes(global));

        // DP without noise: updates clipped to norm 1, then averaged with equal weights.
        var g2 = new[] { zeros(3), zeros(2) };
        FederatedAveraging.Aggregate(g2, [Client(3, 0, 0, 0, 4), Client(0, 0.5f, 0, 0, 0)], [100, 1], new PrivacySettings(1, 0));
        Assert.Equal(new[] { 0.3, 0.25, 0 }, g2[0].data<float>().Select(v => (double)v), new ToleranceComparer(1e-6));
        Assert.Equal(new[] { 0, 0.4 }, g2[1].data<float>().Select(v => (double)v), new ToleranceComparer(1e-6));

        // With noise multiplier z and clip S, the average moves by N(0, (zS/K)²) per coordinate.
        var g3 = new[] { zeros(20_000) };
        using var gen = new Generator(7);
        FederatedAveraging.Aggregate(g3, [[zeros(20_000)], [zeros(20_000)]], [1, 1], new PrivacySettings(2, 0.5), gen);
        Assert.Equal(0.5 * 2 / 2, g3[0].std().item<float>(), 0.02);
        Assert.Throws<ArgumentException>(() => new PrivacySettings(0, 1).Validated());
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }

    [Fact]
    public void Fednas_with_one_client_is_centralised_darts_and_every_client_receives_the_average()
    {
        var data = Noise(64, 1);
        var settings = new DartsSettings(BatchSize: 8, ArchLearningRate: 3e-3);
        double[] Flat(IReadOnlyList<double[][]> p) => p.SelectMany(m => m.SelectMany(r => r)).ToArray();
        using (var central = new DartsSearch<Nb201Cell>(Space, data, new NetworkShape(8, 1), 2, seed: 4 * 1009, settings, CPU))
        using (var federated = new FederatedDarts<Nb201Cell>(Space, [data], new NetworkShape(8, 1), 2, seed: 4, settings, device: CPU))
        {
            central.RunEpoch(); central.RunEpoch();
            federated.Run();
            Assert.Equal(Flat(central.Probabilities()), Flat(federated.Probabilities()));
            Assert.Equal(central.Derive(), federated.History[^1].Derived);
        }

        // Three clients: one message is the supernet's parameters, its float buffers and α, 4 bytes a value.
        var shards = ClientShards.Split(Noise(96, 2), 3, null, 0);
        using var fed = new FederatedDarts<Nb201Cell>(Space, shards, new NetworkShape(8, 1), 1, seed: 0, settings, device: CPU);
        using var probe = new DartsSearch<Nb201Cell>(Space, shards[0], new NetworkShape(8, 1), 1, 0, settings, CPU);
        long values = probe.Network.Module.parameters().Sum(p => p.numel()) + probe.Network.Module.buffers().Where(b => b.is_floating_point()).Sum(b => b.numel()) + probe.Alphas.Sum(a => a.numel());
        var round = fed.RunRound();
        Assert.Equal(4 * values, round.UploadBytesPerClient);
        Assert.True(round.MeanUpdateNorm > 0 && double.IsFinite(round.TrainLoss));
        Assert.True(fed.Finished);
    }

    [Fact]
    public void A_resumed_fednas_continues_exactly_as_an_uninterrupted_one()
    {
        using var temp = new TempFolder("naskit-fednas-");
        var dir = temp.Path;
        var shards = ClientShards.Split(Noise(64, 3), 2, null, 0);
        var settings = DartsSettings.Gdas with { BatchSize = 8 }; // Gumbel noise: every client's generator state must survive
        var privacy = new PrivacySettings(5, 0.01); // and the server's noise generator
        double[] Flat(IReadOnlyList<double[][]> p) => p.SelectMany(m => m.SelectMany(r => r)).ToArray();
        double[] straight;
        using (var a = new FederatedDarts<Nb201Cell>(Space, shards, new NetworkShape(8, 1), 3, 1, settings, privacy, CPU))
        {
            a.Run();
            straight = Flat(a.Probabilities());
        }
        using (var b = new FederatedDarts<Nb201Cell>(Space, shards, new NetworkShape(8, 1), 3, 1, settings, privacy, CPU))
        {
            b.RunRound();
            b.Save(dir);
        }
        using (var c = new FederatedDarts<Nb201Cell>(Space, shards, new NetworkShape(8, 1), 3, 1, settings, privacy, CPU))
        {
            c.Run(checkpoint: dir);
            Assert.Equal(3, c.History.Count);
            Assert.Equal(straight, Flat(c.Probabilities()));
        }
        using var other = new FederatedDarts<Nb201Cell>(Space, shards, new NetworkShape(8, 1), 4, 1, settings, privacy, CPU);
        Assert.Contains("different federation", Assert.Throws<InvalidDataException>(() => other.Load(dir)).Message);
    }

    [Fact]
    public void A_resumed_fedavg_continues_exactly_as_an_uninterrupted_one_and_refuses_a_fednas_checkpoint()
    {
        using var temp = new TempFolder("naskit-fedavg-");
        var dir = temp.Path;
        var shards = ClientShards.Split(Noise(64, 5), 2, null, 0);
        var test = Noise(32, 6);
        var cell = Space.Parse("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|");
        var hp = new TrainingHyperparameters(BatchSize: 16, LearningRate: 0.05, Augment: false);
        var privacy = new PrivacySettings(5, 0.01); // the server's noise and each client's own batch-norm statistics must survive
        FederatedTraining<Nb201Cell> Make(int rounds = 3) => new(Space, cell, shards, test, new NetworkShape(8, 1), rounds, 1, 2, hp, privacy, CPU);
        (double, double)[] Curve(FederatedTraining<Nb201Cell> f) => f.History.Select(h => (h.TrainLoss, h.TestAccuracy)).ToArray();
        (double, double)[] straight;
        using (var a = Make())
        {
            a.Run();
            straight = Curve(a);
        }
        using (var b = Make())
        {
            b.RunRound();
            b.Save(dir);
        }
        using (var c = Make())
        {
            c.Run(checkpoint: dir);
            Assert.Equal(straight, Curve(c));
        }
        using var longer = Make(4);
        Assert.Contains("different federation", Assert.Throws<InvalidDataException>(() => longer.Load(dir)).Message);
        using var search = new FederatedDarts<Nb201Cell>(Space, shards, new NetworkShape(8, 1), 3, 2, DartsSettings.Gdas with { BatchSize = 8 }, privacy, CPU);
        Assert.Contains("not 'naskit-fednas-checkpoint-v1'", Assert.Throws<InvalidDataException>(() => search.Load(dir)).Message);
    }

    [Fact]
    public void Fedavg_trains_a_fixed_cell_and_heavy_dp_noise_costs_accuracy()
    {
        var train = DatasetReaders.FashionMnist(true);
        var test = DatasetReaders.FashionMnist(false);
        train = train.Subset(Enumerable.Range(0, 1000).ToArray());
        test = test.Subset(Enumerable.Range(0, 300).ToArray());
        var shards = ClientShards.Split(train, 2, null, 0);
        var cell = Space.Parse("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|");
        var hp = new TrainingHyperparameters(BatchSize: 32, LearningRate: 0.1, Augment: false);
        double Final(PrivacySettings? privacy)
        {
            using var fed = new FederatedTraining<Nb201Cell>(Space, cell, shards, test, new NetworkShape(8, 1), 3, 2, 0, hp, privacy, CPU);
            return fed.Run()[^1].TestAccuracy;
        }
        double clean = Final(null), noisy = Final(new PrivacySettings(1, 5));
        Assert.True(clean > 35, $"three FedAvg rounds on Fashion-MNIST should be far above chance (10%), got {clean:0.0}%");
        Assert.True(noisy < clean - 15, $"noise of std 5x the clip norm should cost accuracy: {noisy:0.0}% vs {clean:0.0}%");
    }
}
