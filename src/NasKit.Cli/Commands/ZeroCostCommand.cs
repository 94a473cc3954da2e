using System.CommandLine;
using System.Globalization;
using NasKit.Benchmarks;
using NasKit.Catalogs;
using NasKit.Data;
using NasKit.Estimation.ZeroCost;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.SearchSpaces.Nb201;

namespace NasKit.Cli.Commands;

internal static class ZeroCostCommand
{
    public static Command Create()
    {
        var space = new Option<string>("--space") { Description = "Search space (nb201: the one with published zero-cost scores).", DefaultValueFactory = _ => "nb201" };
        var proxy = new Option<string>("--proxy") { Description = "all, or comma-separated names:\n" + Catalog<IZeroCostProxy>.Listing(), DefaultValueFactory = _ => "all" };
        var sample = new Option<int>("--sample") { Description = "Number of random NB201 cells.", DefaultValueFactory = _ => 1000 }.Within(3, 15625);
        var seed = new Option<int>("--seed") { Description = "Seed of the cell sample, the minibatch and the initialisation.", DefaultValueFactory = _ => 0 }.Seed();
        var data = new Option<string>("--data") { Description = "cifar10-subset or fashion-mnist (the minibatch's source).", DefaultValueFactory = _ => "cifar10-subset" };
        var batch = new Option<int>("--batch") { Description = "Minibatch size.", DefaultValueFactory = _ => 64 }.AtLeast(2);
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "auto", Description = "cpu, cuda, cuda:N or auto (CUDA when present)." };
        var output = new Option<string?>("--out") { Description = "CSV of every score; an existing file from the same settings is resumed." };
        var cmd = new Command("zerocost", "Score random NB201 cells with zero-cost proxies (C=16, N=5, one minibatch) and report each proxy's Spearman rho and Kendall tau against NB201's 200-epoch CIFAR-10 test accuracy, its speed, the published |rho| and the agreement with NAS-Bench-Suite-Zero's scores of the same cells.\nExample:\n  naskit zerocost --proxy all --sample 1000 --seed 0 --out runs/zc.csv")
        {
            proxy, space, sample, seed, data, batch, device, output,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            Nb201Only.Check(r.GetValue(space)!, "zerocost", "validates proxies against published NB201 scores");
            return Run(r.GetValue(proxy)!, r.GetValue(sample), r.GetValue(seed), r.GetValue(data)!,
            r.GetValue(batch), r.GetValue(device)!, r.GetValue(output));
        }));
        return cmd;
    }

    private static int Run(string proxyNames, int sample, int seed, string dataName, int batch, string deviceName, string? output)
    {
        var proxies = Catalog<IZeroCostProxy>.Parse(proxyNames);
        var bench = Nb201Benchmark.Load();
        var cells = ZeroCostStudy.Sample(bench, sample, seed);
        var (train, _) = DatasetReaders.ByName(dataName);
        var dev = deviceName == "auto" ? TorchRuntime.DefaultDevice : TorchRuntime.ParseDevice(deviceName);
        using var scorer = new ZeroCostScorer<Nb201Cell>(bench.Space, train, proxies, seed, batch, Nb201Network.Cifar10Shape, dev);
        var settings = new Dictionary<string, string>
        {
            ["seed"] = $"{seed}", ["batch"] = $"{batch}", ["data"] = dataName, ["shape"] = $"{scorer.Shape}",
            ["proxies"] = string.Join(",", proxies.Select(p => p.Name)),
        };
        using var file = output is null ? null : new ZeroCostScoreFile(output, proxies.Select(p => p.Name).ToArray(), settings, bench);
        int resumed = file?.Existing.Count(kv => cells.Any(c => bench.IndexOf(c) == kv.Key)) ?? 0;
        Console.Error.WriteLine($"scoring {cells.Length} NB201 cells (C={scorer.Shape.Channels}, N={scorer.Shape.CellsPerStage}) with {proxies.Count} proxies, " +
                                $"minibatch {batch} of {train.Name}, on {dev}{(resumed > 0 ? $"; {resumed} already in {output}" : "")}");
        IReadOnlyList<ZeroCostRow> rows = [];
        Cli.WithProgress("zero-cost proxies", cells.Length, tick =>
            rows = ZeroCostStudy.Score(scorer, bench, cells, file?.Existing, row => { file?.Append(row); tick(); }));

        PrecomputedZeroCost? suite = null;
        try { suite = PrecomputedZeroCost.LoadSuiteZero(bench); }
        catch (DataNotFoundException e) { Console.Error.WriteLine($"note: no Suite-Zero scores to compare with ({e.Message.Split('\n')[0]})"); }
        Print(ZeroCostStudy.Correlate(rows, suite));
        try
        {
            var (n, rho) = ZeroCostStudy.AgreementWithNaswotV1(rows, PrecomputedZeroCost.LoadNaswotV1(bench));
            if (n > 0) Console.WriteLine($"jacob_cov vs NASWOT v1 published scores (same formula): spearman={F(rho)} on {n} cells");
        }
        catch (DataNotFoundException) { }
        return 0;
    }

    private static void Print(IReadOnlyList<ZeroCostCorrelation> correlations)
    {
        foreach (var c in correlations)
        {
            var line = $"{c.Proxy}: spearman={F(c.Spearman)} kendall={F(c.Kendall)} arch/s={c.ArchitecturesPerSecond.ToString("0.00", CultureInfo.InvariantCulture)}";
            if (c.PublishedAbsSpearman is { } p) line += $" published|rho|={F(p)}";
            if (c.AgreementSpearman is { } a) line += $" {c.AgreementWith} rho={F(a)} (n={c.AgreementCells})";
            if (c.SpearmanOnCommonCells is { } common) line += $" [on those cells vs accuracy: naskit {F(common.Ours)}, {c.AgreementWith} {F(common.Theirs)}]";
            if (c.NaNScores > 0) line += $" nan={c.NaNScores} (ranked last)";
            Console.WriteLine(line);
        }
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
