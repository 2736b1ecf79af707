using System.Text.Json;
using System.Text.RegularExpressions;
using Spectre.Console;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Tests.Sweeps;

/// <summary>
/// Every view of one sweep lists its trials in the one order (<see cref="TrialOrder"/>): the end-of-sweep summary, the
/// HTML report, <c>tune show</c>, <c>tune best</c> and both exports. The sweep is written by hand so that each rule
/// of the order decides somewhere, and the expected order is written out, not computed.
/// </summary>
public sealed partial class TrialOrderViewsTests : IAsyncLifetime
{
    private const string Name = "views";

    // Maximize. Completed 3 (0.9), then 0 and 4 tied at 0.8 by number; pruned 5 (0.95 at step 1) above pruned 2 (0.7 at
    // step 3), both below every completed trial, pruned 6 without steps after them; failed 1 and 8; interrupted 7 last.
    private static readonly int[] Expected = [3, 0, 4, 5, 2, 6, 1, 8, 7];

    private readonly string _directory = Directory.CreateTempSubdirectory("tune-views-").FullName;

    private string StorePath => Path.Combine(_directory, "tune.db");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var sweep = new SweepBuilder(Name)
            .Configure(o => o.Goal = Goal.Maximize)
            .UseEarlyStopping(new MedianStoppingPolicyOptions { EvaluationInterval = 1, DelayEvaluation = 2 })
            .Build(CsvTrapSearchSpace.Instance);
        await using var store = new SqliteSweepStore(StorePath);
        await store.OpenSweepAsync(sweep, Ct);
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        (TrialState State, double? Value, (long Step, double Value)[] Steps)[] trials =
        [
            (TrialState.Completed, 0.8, []),
            (TrialState.Failed, null, [(1, 0.99)]),
            (TrialState.Pruned, null, [(1, 0.5), (3, 0.7)]),
            (TrialState.Completed, 0.9, []),
            (TrialState.Completed, 0.8, []),
            (TrialState.Pruned, null, [(1, 0.95)]),
            (TrialState.Pruned, null, []),
            (TrialState.Pending, null, []),
            (TrialState.Failed, null, []),
        ];
        for (var number = 0; number < trials.Length; number++)
        {
            var (state, value, steps) = trials[number];
            var configuration = CsvTrapSearchSpace.Instance.CreateConfiguration([0.01 * (number + 1), (long)(number % 8) + 1, "plain"]);
            var trial = new Trial(number, configuration, TrialState.Running, null) { Attempts = 1, StartedAt = start.AddSeconds(number) };
            await store.SaveTrialAsync(Name, trial with { State = TrialState.Pending, Attempts = 0, StartedAt = null }, Ct);
            await store.SaveTrialAsync(Name, trial, Ct);
            foreach (var (step, stepValue) in steps)
            {
                await store.AppendStepAsync(Name, number, new StepValue(step, stepValue), Ct);
            }

            var outcome = state switch
            {
                TrialState.Completed => TrialOutcome.Classify(number, value!.Value, null),
                TrialState.Pruned => TrialOutcome.Classify(number, default, new TrialStoppedException(), stopRequested: true),
                TrialState.Failed => TrialOutcome.Classify(number, default, new IOException("disk full")),
                _ => TrialOutcome.Interrupted,
            };
            await store.SaveTrialAsync(Name, outcome.ApplyTo(trial, start.AddSeconds(number + 30)), Ct);
        }

        await store.CloseSweepAsync(Name, SweepStopReason.Cancelled, Ct);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Summary_ListsTrialsInTheOneOrder()
    {
        var result = await ResultAsync();
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

        SweepSummary.Write(console, result, "auc", Goal.Maximize);

        var numbers = text.ToString().Split('\n')
            .Select(line => line.Split('│', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length > 2 && int.TryParse(cells[1].TrimEnd('*', ' '), out _))
            .Select(cells => int.Parse(cells[1].TrimEnd('*', ' '), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Expected, numbers);
        Assert.Contains("0.95 @1", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HtmlReport_ListsTrialsInTheOneOrder()
    {
        var result = await ResultAsync();

        var html = HtmlReport.Render(result, new HtmlReportOptions { Goal = Goal.Maximize, ObjectiveMetric = "auc" }, DateTimeOffset.UnixEpoch);

        Assert.Equal(Expected, ReportRow().Matches(html).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Show_ListsTrialsInTheOneOrderWithTheEarlyStoppingSettingsAndThePrunedTrialsStopStep()
    {
        var (code, output, error) = await Tune.RunAsync("show", Name, "--store", StorePath);

        Assert.Equal((0, string.Empty), (code, error));
        Assert.Contains("  early stopping MedianStoppingPolicy(EvaluationInterval=1, DelayEvaluation=2)", output, StringComparison.Ordinal);
        var rows = output[output.IndexOf("Trials, best first", StringComparison.Ordinal)..].Split('\n').Skip(2).TakeWhile(l => l.Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(Expected, rows.Select(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["pruned", "0.7", "@3"], rows.Single(r => r[0] == "2")[1..4]);
        Assert.Equal(["pruned", "-"], rows.Single(r => r[0] == "6")[1..3]);
        Assert.Equal(["pending", "(interrupted)"], rows.Single(r => r[0] == "7")[1..3]);
        Assert.Contains($"Best trial {Expected[0]} of sweep '{Name}' (maximize): 0.9", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Best_IsTheFirstOfTheOneOrder()
    {
        var (code, output, _) = await Tune.RunAsync("best", Name, "--store", StorePath, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(Expected[0], json.RootElement.GetProperty("trial").GetInt32());
    }

    [Fact]
    public async Task ExportCsv_ListsTrialsInTheOneOrder()
    {
        var (code, output, _) = await Tune.RunAsync("export", Name, "--store", StorePath, "--format", "csv");

        Assert.Equal(0, code);
        var rows = output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(row => row.Split(',')).ToList();
        Assert.Equal(Expected, rows.Select(row => int.Parse(row[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["pending", "true"], new[] { rows[^1][1], rows[^1][^1] });
    }

    [Fact]
    public async Task ExportJson_ListsTrialsInTheOneOrder()
    {
        var (code, output, _) = await Tune.RunAsync("export", Name, "--store", StorePath, "--format", "json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(Expected, json.RootElement.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()));
        Assert.Equal([7], json.RootElement.GetProperty("trials").EnumerateArray().Where(t => t.GetProperty("interrupted").GetBoolean()).Select(t => t.GetProperty("number").GetInt32()));
    }

    [Fact]
    public async Task ExportStepsCsv_ListsEveryStepInLongFormatTrialsInTheOneOrder()
    {
        var (code, output, error) = await Tune.RunAsync("export", Name, "--store", StorePath, "--format", "csv", "--steps");

        Assert.Equal((0, string.Empty), (code, error));
        Assert.Equal("number,state,step,value\r\n5,pruned,1,0.95\r\n2,pruned,1,0.5\r\n2,pruned,3,0.7\r\n1,failed,1,0.99\r\n", output);
    }

    [Fact]
    public async Task ExportStepsJsonToFile_ListsEveryStepInTheOneOrder()
    {
        var file = Path.Combine(_directory, "steps.json");

        var (code, output, _) = await Tune.RunAsync("export", Name, "--store", StorePath, "--format", "json", "--steps", "--output", file);

        Assert.Equal(0, code);
        Assert.Contains($"Wrote 4 steps of sweep '{Name}' to {file}.", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file, Ct));
        Assert.Equal("maximize", json.RootElement.GetProperty("goal").GetString());
        Assert.Equal(
            [(5, "pruned", 1L, 0.95), (2, "pruned", 1L, 0.5), (2, "pruned", 3L, 0.7), (1, "failed", 1L, 0.99)],
            json.RootElement.GetProperty("steps").EnumerateArray().Select(s => (s.GetProperty("number").GetInt32(), s.GetProperty("state").GetString()!, s.GetProperty("step").GetInt64(), s.GetProperty("value").GetDouble())));
    }

    [GeneratedRegex("<tr[^>]*><td class=\"number\">(\\d+)</td>")]
    private static partial Regex ReportRow();

    private async Task<SweepResult> ResultAsync()
    {
        await using var store = new SqliteSweepStore(StorePath);
        var trials = await store.GetTrialsAsync(Name, CsvTrapSearchSpace.Instance, Ct);
        return new SweepResult(Name, [.. trials], trials.Best(Goal.Maximize), SweepStopReason.Cancelled);
    }
}
