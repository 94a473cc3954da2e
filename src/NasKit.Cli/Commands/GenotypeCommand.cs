using System.CommandLine;
using System.Globalization;
using NasKit.SearchSpaces.Darts;
using NasKit.Runtime;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit genotype</c>: a DARTS genotype in the reference text form and the parameter count of its network.</summary>
internal static class GenotypeCommand
{
    public static Command Create()
    {
        var genotype = new Argument<string>("genotype")
        {
            Description = $"A published name ({string.Join(", ", PublishedGenotypes.All.Select(g => g.Name))}) or a genotype text, Genotype(normal=[...], ...).",
        };
        var channels = new Option<int>("--channels") { Description = "Initial channels C (the papers' CIFAR-10 network: 36).", DefaultValueFactory = _ => 36 }.AtLeast(1);
        var layers = new Option<int>("--layers") { Description = "Cells (the papers' CIFAR-10 network: 20).", DefaultValueFactory = _ => 20 }.AtLeast(3);
        var cmd = new Command("genotype", "Parse a DARTS genotype, print it in the reference text form and count the parameters of its CIFAR-10 evaluation network (no auxiliary head), next to the paper's count for a published one.\nExample:\n  naskit genotype DARTS_V2")
        {
            genotype, channels, layers,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            string text = r.GetValue(genotype)!;
            var published = PublishedGenotypes.All.FirstOrDefault(g => string.Equals(g.Name, text, StringComparison.OrdinalIgnoreCase));
            var g = published.Genotype ?? DartsGenotype.Parse(text);
            TorchRuntime.EnsureLoaded();
            using var net = new DartsNetwork(g, r.GetValue(channels), r.GetValue(layers));
            long count = net.parameters().Sum(p => p.numel());
            Console.WriteLine(g.ToText());
            var line = string.Create(CultureInfo.InvariantCulture, $"parameters at C={r.GetValue(channels)}, {r.GetValue(layers)} cells: {count:N0} ({count / 1e6:0.000000}M)");
            if (published.PublishedParamsM is { } paper) line += string.Create(CultureInfo.InvariantCulture, $"; the paper reports {paper:0.0}M");
            Console.WriteLine(line);
            return 0;
        }));
        return cmd;
    }
}
