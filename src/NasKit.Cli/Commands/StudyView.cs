using System.Globalization;
using NasKit.Execution;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NasKit.Cli.Commands;

/// <summary>
/// The live view of a study: counts by state, one row per worker, the best trial so far. On a terminal it redraws
/// in place (Spectre.Console); otherwise it prints one status line every few seconds, which logs read well.
/// </summary>
internal sealed class StudyView : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task? _task;

    private StudyView(string storage, string study)
    {
        _task = Task.Run(() =>
        {
            using var queue = TrialQueues.Open(storage);
            if (Cli.Err.Profile.Capabilities.Interactive)
                Cli.Err.Live(Render(queue, study)).AutoClear(false).Start(ctx =>
                {
                    while (!_stop.IsCancellationRequested) { ctx.UpdateTarget(Render(queue, study)); ctx.Refresh(); _stop.Token.WaitHandle.WaitOne(1000); }
                    ctx.UpdateTarget(Render(queue, study));
                });
            else
                while (!_stop.Token.WaitHandle.WaitOne(5000)) Console.Error.WriteLine(Line(queue, study));
        });
    }

    public static StudyView Start(string storage, string study) => new(storage, study);

    public static void Print(ITrialQueue queue, string study) => AnsiConsole.Write(Render(queue, study));

    public static void Follow(ITrialQueue queue, string study) =>
        AnsiConsole.Live(Render(queue, study)).Start(ctx =>
        {
            while (true)
            {
                ctx.UpdateTarget(Render(queue, study));
                ctx.Refresh();
                var p = queue.Progress(study);
                if (p is { Finished: true, Queued: 0, Running: 0 }) break;
                Thread.Sleep(1000);
            }
        });

    private static string Line(ITrialQueue queue, string study)
    {
        var p = queue.Progress(study);
        var best = StudyCommands.Best(queue.Ledger(study));
        var line = $"{study}: {p.Queued} queued, {p.Running} running, {p.Done} done, {p.Failed} failed";
        return best is null ? line : line + string.Create(CultureInfo.InvariantCulture, $"; best valid_acc {best.Evaluation!["valid_acc"]:0.00} (trial {best.Number})");
    }

    internal static IRenderable Render(ITrialQueue queue, string study)
    {
        var p = queue.Progress(study);
        var best = StudyCommands.Best(queue.Ledger(study));
        var workers = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(study)}[/] on {Markup.Escape(queue.Location)}")
            .AddColumns("worker", "state", "trial", "done", "failed", "discarded", "seen");
        foreach (var w in queue.Workers(study))
            workers.AddRow(Markup.Escape(w.Worker), Markup.Escape(w.State), w.Trial?.ToString() ?? "", w.Completed.ToString(), w.Failed.ToString(),
                           w.Rejected.ToString(), string.Create(CultureInfo.InvariantCulture, $"{w.SecondsSinceSeen:0}s ago"));
        var counts = new Markup(string.Create(CultureInfo.InvariantCulture,
            $"[grey]queued[/] {p.Queued}  [yellow]running[/] {p.Running}  [green]done[/] {p.Done}  [red]failed[/] {p.Failed}" +
            $"  coordinator: {Markup.Escape(p.Coordinator ?? (p.Finished ? "finished" : "none"))}"));
        var bestLine = new Markup(best is null ? "best: none yet" : string.Create(CultureInfo.InvariantCulture,
            $"best: trial {best.Number} [bold]{best.Evaluation!["valid_acc"]:0.00}[/] valid acc  {Markup.Escape(best.Architecture)}"));
        return new Rows(counts, workers, bestLine);
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _task?.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
