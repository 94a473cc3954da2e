using System.CommandLine;
using System.Globalization;
using NasKit.Analysis;
using NasKit.Benchmarks;
using NasKit.Experiments;
using NasKit.Hardware;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.SearchSpaces.Nb201;
using TorchSharp;

namespace NasKit.Cli.Commands;

internal static class LatencyCommand
{
    public static Command Create()
    {
        var space = new Option<string>("--space") { DefaultValueFactory = _ => "nb201", Description = "Search space (nb201: the one with HW-NAS-Bench latencies)." };
        var sample = new Option<int>("--sample") { DefaultValueFactory = _ => 100, Description = "Random cells to measure." }.AtLeast(10);
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "auto", Description = "cpu, cuda, cuda:N or auto (CUDA when present)." };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 1, Description = "Batch size of the measured latency." }.AtLeast(1);
        var repeats = new Option<int>("--repeats") { DefaultValueFactory = _ => 10, Description = "Timed repeats per cell (after 3 warm-ups)." }.AtLeast(1);
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the cell sample and the train/test split." }.Seed();
        var cmd = new Command("latency", "Measure NB201 networks' latency on this machine; rank-correlate FLOPs and params with it and with every HW-NAS-Bench/HELP device; fit and test latency predictors.\nExample:\n  naskit latency --space nb201 --sample 100 --device cpu")
        {
            space, sample, device, batch, repeats, seed,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            Nb201Only.Check(r.GetValue(space)!, "latency", "compares with HW-NAS-Bench's measured latencies of NB201 cells");
            int n = r.GetValue(sample), b = r.GetValue(batch), s = r.GetValue(seed);
            if (n < 10) throw new ArgumentException("--sample must be at least 10.");
            var bench = Nb201Benchmark.Load();
            TorchRuntime.EnsureLoaded();
            var dev = r.GetValue(device) == "auto" ? TorchRuntime.DefaultDevice : TorchRuntime.ParseDevice(r.GetValue(device)!);
            var rng = new Random(s);
            var cells = bench.Cells.OrderBy(_ => rng.Next()).Take(n).ToArray();
            var inv = CultureInfo.InvariantCulture;

            // Batch sizes 1, 32, 256 for three reference cells: latency spread, throughput, activation memory.
            Console.WriteLine($"direct measurement on {dev} ({Environment.ProcessorCount} cores, {torch.get_num_threads()} threads), NB201 C=16 N=5, 32x32:");
            foreach (var cell in new[] { bench.CellAt(6111), bench.Cells.MaxBy(c => Nb201CostModel.Flops(c, Nb201Network.Cifar10Shape))!, bench.CellAt(0) })
                foreach (var bs in new[] { 1, 32, 256 })
                {
                    using var net = new Nb201Network(cell, Nb201Network.Cifar10Shape);
                    var m = LatencyMeter.Measure(net, bs, repeats: bs == 256 ? 3 : 10, device: dev);
                    Console.WriteLine(string.Create(inv, $"  index {bench.IndexOf(cell),5} batch {bs,3}: median {m.MedianMs,8:0.00} ms (p10 {m.P10Ms:0.00}, p90 {m.P90Ms:0.00}), {m.ImagesPerSecond,7:0} img/s, peak activations {Nb201CostModel.PeakActivationBytes(cell, Nb201Network.Cifar10Shape, 32, bs) / 1048576.0:0.0} MiB"));
                }

            double[] measured = [];
            Cli.WithProgress($"measuring {n} networks", n, tick => measured = LatencyStudy.Measure(cells, b, dev, r.GetValue(repeats), tick));
            var flops = cells.Select(c => (double)Nb201CostModel.Flops(c, Nb201Network.Cifar10Shape)).ToArray();
            var parameters = cells.Select(c => (double)Nb201CostModel.Parameters(c, Nb201Network.Cifar10Shape)).ToArray();
            Console.WriteLine(string.Create(inv, $"measured latency on {dev}, batch {b}, {n} cells: FLOPs tau={RankCorrelation.KendallTauB(flops, measured):0.000} rho={RankCorrelation.Spearman(flops, measured):0.000}; params tau={RankCorrelation.KendallTauB(parameters, measured):0.000} rho={RankCorrelation.Spearman(parameters, measured):0.000}"));

            // Every device of the tables on the same cells, next to this machine.
            var tables = LatencyStudy.TableLatencies(bench);
            var perDevice = tables.ToDictionary(kv => kv.Key, kv => cells.Select(c => kv.Value[bench.IndexOf(c)]).ToArray());
            perDevice[$"this {dev} (measured)"] = measured;
            Console.WriteLine($"rank correlation of theoretical cost with latency, {n} cells:");
            Console.WriteLine("  device                      tau(FLOPs) rho(FLOPs)  tau(params) rho(params)");
            foreach (var g in LatencyStudy.TheoreticalVsMeasured(cells, perDevice).GroupBy(a => a.Device))
            {
                var f = g.Single(a => a.Predictor == "flops");
                var p = g.Single(a => a.Predictor == "params");
                Console.WriteLine(string.Create(inv, $"  {g.Key,-26} {f.Kendall,10:0.000} {f.Spearman,10:0.000} {p.Kendall,12:0.000} {p.Spearman,11:0.000}"));
            }

            // Learned latency predictors: fit on 70% of the sample, test on the rest.
            int cut = (int)(n * 0.7);
            Console.WriteLine($"latency predictors, trained on {cut} cells, tested on {n - cut} held-out cells:");
            Console.WriteLine("  device                      predictor            tau       MAPE  median APE");
            foreach (var (name, lat) in perDevice)
            {
                var ok = Enumerable.Range(0, n).Where(i => !double.IsNaN(lat[i]) && lat[i] > 0).ToArray();
                var train = ok.Where(i => i < cut).ToArray();
                var test = ok.Where(i => i >= cut).ToArray();
                foreach (var a in LatencyStudy.Predictors(name, train.Select(i => cells[i]).ToArray(), train.Select(i => lat[i]).ToArray(),
                             test.Select(i => cells[i]).ToArray(), test.Select(i => lat[i]).ToArray(), bench.Space))
                    Console.WriteLine(string.Create(inv, $"  {name,-26} {a.Predictor,-18} {a.Kendall,6:0.000} {a.MapePercent,9:0.0}% {a.MedianApePercent,9:0.0}%"));
            }
            return 0;
        }));
        return cmd;
    }
}
