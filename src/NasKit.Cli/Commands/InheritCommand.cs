using System.CommandLine;
using System.Globalization;
using CsvHelper;
using NasKit.Analysis;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Networks;
using NasKit.Spaces;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit inherit</c>: parameter inheritance against training from scratch, ranked against a benchmark.</summary>
internal static class InheritCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var benchmark = new Option<string>("--benchmark") { Description = "Benchmark whose (inheritable) space is sampled and whose outcome is the truth.", DefaultValueFactory = _ => "nb201" };
        var parents = new Option<int>("--parents") { Description = "Parents trained from scratch per seed (drawn 3+ edits apart).", DefaultValueFactory = _ => 10 }.AtLeast(2);
        var children = new Option<int>("--children") { Description = "One-edit children per parent.", DefaultValueFactory = _ => 4 }.AtLeast(1);
        var parentEpochs = new Option<int>("--parent-epochs") { Description = "Epochs each parent trains.", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var epochs = new Option<int>("--epochs") { Description = "k: epochs each child trains, from inherited weights and from scratch.", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var seeds = new Option<int>("--seeds") { Description = "Independent repetitions (seed, seed+1, ...): parents, children, initialisation and data order.", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "First seed.", DefaultValueFactory = _ => 0 }.Seed();
        var data = new Option<string>("--data") { Description = "cifar10-subset or fashion-mnist.", DefaultValueFactory = _ => "cifar10-subset" };
        var channels = new Option<int>("--channels") { Description = "Base channels C.", DefaultValueFactory = _ => 8 }.AtLeast(1);
        var cells = new Option<int>("--cells") { Description = "Cells per stage N.", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 128 }.AtLeast(1);
        var output = new Option<string?>("--out") { Description = "CSV of every child; an existing file from the same settings is resumed seed by seed." };
        var cmd = new Command("inherit", "Weight inheritance: train parents, then train each one-edit child k epochs from the parent's unchanged weights and k epochs from " +
                                         "scratch; Kendall tau of both against the benchmark, and their wall time.\nExample:\n  naskit inherit --parents 10 --children 4 --epochs 1 --seeds 3 --seed 0")
        {
            benchmark, parents, children, parentEpochs, epochs, seeds, seed, data, channels, cells, batch, output,
        };
        cmd.SetAction(r => Cli.Run(() =>
        {
            OptionRanges.CheckRunSeeds(r.GetValue(seed), r.GetValue(seeds));
            var settings = new InheritanceSettings(r.GetValue(parents), r.GetValue(children), r.GetValue(parentEpochs), r.GetValue(epochs)).Validated();
            return Problems.WithBenchmark(r.GetValue(benchmark)!, new OnBenchmark(settings, r.GetValue(seeds), r.GetValue(seed), r.GetValue(data)!,
                new NetworkShape(r.GetValue(channels), r.GetValue(cells)), r.GetValue(batch), r.GetValue(output)));
        }));
        return cmd;
    }

    private sealed class OnBenchmark(InheritanceSettings settings, int seeds, int firstSeed, string dataName, NetworkShape shape, int batch, string? output)
        : IBenchmarkVisitor<int>
    {
        public int Visit<TArch>(TabularBenchmark<TArch> b) where TArch : class, IArchitecture
        {
            if (b.Space is not IInheritableSpace<TArch> space)
                throw new ArgumentException($"Space '{b.Space.Name}' of benchmark '{b.Name}' cannot say which weights a child shares with its parent; use --benchmark nb201.");
            var (train, test) = DatasetReaders.ByName(dataName);
            var rows = new List<InheritanceRow>();
            using var file = output is null ? null : new ResultJournal<InheritanceRow>(output, $"{b.Name}|{settings}|{dataName}|{shape}|batch={batch}", "inheritance rows");
            if (file is not null) rows.AddRange(file.Existing.Where(r => r.Seed >= firstSeed && r.Seed < firstSeed + seeds));
            var done = rows.Select(r => r.Seed).ToHashSet();
            if (done.Count > 0) Console.Error.WriteLine($"resuming {output}: seed(s) {string.Join(", ", done.Order())} already done");
            int perSeed = settings.Parents + settings.Parents * settings.ChildrenPerParent;
            var todo = Enumerable.Range(firstSeed, seeds).Where(s => !done.Contains(s)).ToArray();
            Console.Error.WriteLine($"{todo.Length} seed(s) x ({settings.Parents} parents x {settings.ParentEpochs} epochs + {settings.Parents * settings.ChildrenPerParent} children x 2 x {settings.FineTuneEpochs} epoch(s)) " +
                                    $"on {train.Name}, C={shape.Channels}, N={shape.CellsPerStage}; truth: {b.Name} {b.Outcome}");
            Cli.WithProgress("weight inheritance", todo.Length * perSeed, tick =>
            {
                foreach (var s in todo)
                {
                    var fresh = InheritanceStudy.Run(b.Space, inheritance => new TrainingEvaluator<TArch>(space, train, test, s, shape, new TrainingHyperparameters(BatchSize: batch))
                        { Inheritance = inheritance }, settings, s, a => b.Evaluator.Evaluate(a, b.Fidelity)[b.Outcome], _ => tick(), tick);
                    file?.Append(fresh); // a seed is written whole: a killed run redoes only the seed it was in
                    rows.AddRange(fresh);
                }
            });
            var summaries = InheritanceStudy.Summarise(rows);
            Console.WriteLine($"seed  children  tau(inherited)  tau(scratch)  tau(parent acc)  inherited params  s/child inherited  s/child scratch");
            foreach (var x in summaries)
                Console.WriteLine(string.Create(Inv, $"{x.Seed,4}  {x.Children,8}  {x.TauInherited,14:0.000}  {x.TauScratch,12:0.000}  {x.TauParent,15:0.000}  {x.MeanInheritedFraction,15:0.0%}  {x.InheritedSeconds,17:0.00}  {x.ScratchSeconds,15:0.00}"));
            string MeanStd(Func<InheritanceSummary, double> f) =>
                string.Create(Inv, $"{Statistics.Mean(summaries.Select(f).ToArray()):0.000} ± {Statistics.Std(summaries.Select(f).ToArray()):0.000}");
            Console.WriteLine($"mean ± std over {summaries.Count} seeds: tau inherited {MeanStd(x => x.TauInherited)}, scratch {MeanStd(x => x.TauScratch)}, parent accuracy {MeanStd(x => x.TauParent)}");
            return 0;
        }
    }
}
