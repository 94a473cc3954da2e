using System.CommandLine;

namespace NasKit.Cli.Commands;

/// <summary>The whole command tree of <c>naskit</c>.</summary>
internal static class NasKitCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("naskit: neural architecture search from the terminal (NasKit on TorchSharp).");
        root.Subcommands.Add(Nb201Commands.Create());
        root.Subcommands.Add(MacroCommands.Create());
        root.Subcommands.Add(NasNetCommand.Create());
        root.Subcommands.Add(StudyCommands.Create());
        root.Subcommands.Add(StudyCommands.WorkerCommand());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(ProxiesCommand.Create());
        root.Subcommands.Add(BenchCommands.Create());
        root.Subcommands.Add(ParetoCommand.Create());
        root.Subcommands.Add(LatencyCommand.Create());
        root.Subcommands.Add(ZeroCostCommand.Create());
        root.Subcommands.Add(PredictorsCommand.Create());
        root.Subcommands.Add(TransferCommand.Create());
        root.Subcommands.Add(InheritCommand.Create());
        foreach (var c in OneShotCommands.Create()) root.Subcommands.Add(c);
        root.Subcommands.Add(LmCommands.Create());
        root.Subcommands.Add(TextClsCommands.Create());
        root.Subcommands.Add(KwsCommands.Create());
        root.Subcommands.Add(FusionCommands.Create());
        root.Subcommands.Add(MovieLensCommands.Create());
        root.Subcommands.Add(FederatedCommands.Create());
        root.Subcommands.Add(GenotypeCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        return root;
    }
}
