using NasKit.Cli.Commands;

return Cli.Execute(NasKitCommand.Create(), args);
