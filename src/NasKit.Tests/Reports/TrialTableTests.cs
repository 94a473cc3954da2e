using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Reports;
using NasKit.SearchSpaces.Nb201;
using NasKit.Strategies;
using Parquet.Serialization;

namespace NasKit.Tests.Reports;

public class TrialTableTests
{
    [Fact]
    public async Task Trials_round_trip_through_csv_and_parquet()
    {
        var protocol = new QueryBudgetProtocol<Nb201Cell> { Space = TestData.Nb201.Space, Evaluator = new Nb201TabularEvaluator(TestData.Nb201), Queries = 20 };
        var runs = protocol.Run(Catalog<IStrategyFactory>.Get("rea"), 3, 0);
        var rows = TrialTable.Rows(runs, "valid_acc", "test_acc").ToList();
        Assert.Equal(60, rows.Count);
        var dir = Path.Combine(Path.GetTempPath(), "naskit-table-" + Guid.NewGuid().ToString("N"));
        var parquet = Path.Combine(dir, "t.parquet");
        TrialTable.Write(parquet, rows);
        using (var stream = File.OpenRead(parquet))
        {
            var back = await ParquetSerializer.DeserializeAsync<TrialRow>(stream);
            Assert.Equal(rows.Select(r => (r.Run, r.Trial, r.Architecture, r.Outcome)),
                         Enumerable.Select<TrialRow, (int, int, string, double)>(back.Data, r => (r.Run, r.Trial, r.Architecture, r.Outcome)));
        }
        var csv = Path.Combine(dir, "t.csv");
        TrialTable.Write(csv, rows);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(61, lines.Length);
        Assert.StartsWith("Strategy,Run,Seed,Trial,Architecture,Signal,Outcome,BestOutcomeSoFar", lines[0]);
        Assert.False(File.Exists(csv + ".partial"));
        Assert.Throws<ArgumentException>(() => TrialTable.Write(Path.Combine(dir, "t.xlsx"), rows));
    }
}
