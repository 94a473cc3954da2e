using System.CommandLine;
using System.Globalization;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.SearchSpaces.NasNet;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit nasnet params</c>: a NASNet genotype's CIFAR network and its parameter count.</summary>
internal static class NasNetCommand
{
    public const double PublishedNasNetAParamsM = 3.3; // Zoph et al. 2018, table 1: NASNet-A (6 @ 768)

    public static Command Create()
    {
        var genotype = new Argument<string>("genotype")
        {
            Description = "NASNET_A (the published cells) or a genotype text 'normal: op~i + op~j | ...; reduce: ...'.",
            DefaultValueFactory = _ => "NASNET_A",
        };
        var filters = new Option<int>("--channels") { Description = "F, the first stack's filters (NASNet-A on CIFAR-10: 32).", DefaultValueFactory = _ => 32 }.AtLeast(2);
        var cells = new Option<int>("--cells") { Description = "N, normal cells per stack (NASNet-A on CIFAR-10: 6).", DefaultValueFactory = _ => 6 }.AtLeast(1);
        var cmd = new Command("params", "Build a NASNet genotype as TF-slim's CIFAR network (no auxiliary head) and count its parameters, next to the paper's 3.3M for NASNet-A (6 @ 768).\nExample:\n  naskit nasnet params NASNET_A --channels 32 --cells 6")
        {
            genotype, filters, cells,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            var text = r.GetValue(genotype)!;
            bool published = string.Equals(text, "NASNET_A", StringComparison.OrdinalIgnoreCase);
            var g = published ? NasNetGenotype.NasNetA : NasNetGenotype.Parse(text);
            TorchRuntime.EnsureLoaded();
            var shape = new NetworkShape(r.GetValue(filters), r.GetValue(cells));
            using var net = new NasNetNetwork(g, shape);
            long count = net.parameters().Sum(p => p.numel());
            Console.WriteLine(g.ToText());
            var line = string.Create(CultureInfo.InvariantCulture, $"parameters at F={shape.Channels}, N={shape.CellsPerStage}: {count:N0} ({count / 1e6:0.000000}M)");
            if (published && shape.Channels == 32 && shape.CellsPerStage == 6)
                line += string.Create(CultureInfo.InvariantCulture, $"; the paper reports {PublishedNasNetAParamsM:0.0}M for NASNet-A (6 @ 768)");
            Console.WriteLine(line);
            return 0;
        }));
        var nasnet = new Command("nasnet", "The NASNet search space: its networks and the published NASNet-A.\nExample:\n  naskit nasnet params");
        nasnet.Subcommands.Add(cmd);
        return nasnet;
    }
}
