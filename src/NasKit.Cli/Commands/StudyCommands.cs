using System.CommandLine;
using System.Globalization;
using NasKit.Benchmarks;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces.Nb201;
using NasKit.Strategies;

namespace NasKit.Cli.Commands;

internal static class StudyCommands
{
    public static Command Create()
    {
        var study = new Command("study", "Run, resume and inspect persistent studies.");
        study.Subcommands.Add(RunCommand());
        study.Subcommands.Add(ShowCommand());
        return study;
    }

    private static Command RunCommand()
    {
        var storage = new Option<string>("--storage") { Description = "SQLite file that holds the study (created if missing).", Required = true };
        var name = new Option<string>("--study") { Description = "Study name; rerunning the same name resumes it.", Required = true };
        var strategy = new Option<string>("--strategy") { Description = "Search strategy: " + string.Join(", ", StrategyCatalog.All.Select(f => f.Name)) + ".", DefaultValueFactory = _ => "random" };
        var queries = new Option<int>("--queries") { Description = "Query budget.", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 0 };
        var epochs = new Option<int>("--epochs") { Description = "Benchmark table: 200 or 12 epochs.", DefaultValueFactory = _ => 200 };
        var delay = new Option<int>("--eval-delay-ms") { Description = "Wait this long per evaluation (simulates training; for tests).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("run", "Run (or resume) a study of NB201 on the tabular benchmark, recording every trial.")
        {
            storage, name, strategy, queries, seed, epochs, delay,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            int q = r.GetValue(queries), s = r.GetValue(seed), e = r.GetValue(epochs), d = r.GetValue(delay);
            if (q <= 0) throw new ArgumentException($"--queries must be positive, got {q}.");
            if (e is not (12 or 200)) throw new ArgumentException($"--epochs must be 12 or 200, got {e}.");
            string strategyName = r.GetValue(strategy)!;
            var bench = Nb201Benchmark.Load();
            var space = bench.Space;
            var searcher = StrategyCatalog.Get(strategyName).Create(space, Objective.Max("valid_acc"), s).WithStandardWrappers(space, s);
            IEvaluator<Nb201Cell> evaluator = new TabularEvaluator(bench);
            if (d > 0) evaluator = new DelayedEvaluator<Nb201Cell>(evaluator, TimeSpan.FromMilliseconds(d));
            using var store = new SqliteTrialStore(r.GetValue(storage)!);
            var spec = new StudySpec(r.GetValue(name)!, space.Name, strategyName, s, $"benchmark=nb201, epochs={e}, queries={q}");
            var studyRun = new Study<Nb201Cell>(spec, space, evaluator, Budget.OfQueries(q), store, new Fidelity(Epochs: e));
            var result = studyRun.Run(searcher, onTrial: t => Console.Error.WriteLine(
                string.Create(CultureInfo.InvariantCulture, $"trial {t.Number}: {t.Architecture} valid_acc={t.Evaluation.Metrics.GetValueOrDefault("valid_acc"):0.00}")));
            var best = result.Best("valid_acc");
            Console.WriteLine($"study {spec.Name}: {result.Trials.Count} trials ({result.Resumed} resumed), stopped: {result.StopReason}");
            if (best is not null)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"best: {best.Architecture} valid_acc={best.Evaluation["valid_acc"]:0.00} test_acc={best.Evaluation["test_acc"]:0.00}"));
            return 0;
        }));
        return cmd;
    }

    private static Command ShowCommand()
    {
        var storage = new Option<string>("--storage") { Description = "SQLite study file.", Required = true };
        var name = new Option<string>("--study") { Description = "Study name (all studies when omitted)." };
        var cmd = new Command("show", "List the studies in a store, or the trials of one.") { storage, name };
        cmd.SetAction(r => Cli.Run(() =>
        {
            var path = r.GetValue(storage)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"No study store at '{path}'.");
            using var store = new SqliteTrialStore(path);
            var studyName = r.GetValue(name);
            if (studyName is null)
            {
                foreach (var s in store.Studies()) Console.WriteLine($"{s.Name}: {s.Describe()}, {store.Trials(s.Name).Count} trials");
                return 0;
            }
            foreach (var t in store.Trials(studyName))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{t.Number}\t{t.Architecture}\t{(t.Evaluation.Failed ? "FAILED " + t.Evaluation.Reason : string.Join(" ", t.Evaluation.Metrics.Where(m => m.Key.EndsWith("_acc")).Select(m => $"{m.Key}={m.Value:0.00}")))}"));
            return 0;
        }));
        return cmd;
    }
}
