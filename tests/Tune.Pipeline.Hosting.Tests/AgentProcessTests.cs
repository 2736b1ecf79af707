using System.Diagnostics;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.PostgreSql;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Stores.Tests;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>The Done-when tests of issue 6: real experiment processes, killed with SIGKILL, against real stores.</summary>
public sealed class AgentProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-hosting-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string StorePath => Path.Combine(_directory, ".tune", "tune.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sweep_AgentKilledMidTrial_TrialIsReclaimedAndSweepCompletes()
    {
        await using var store = new SqliteSweepStore(StorePath);
        using var controller = ExperimentProcess.Start(_directory, new Dictionary<string, string> { ["TUNE_TEST_TRIAL_MS"] = "400" },
            "sweep", "--sweep", "kill-agent", "--agents", "2", "--max-trials", "6", "--lease-timeout", "2s", "--max-retries", "2");

        var leased = (await StoreProbe.WaitForAsync(
            () => StoreProbe.TrialsAsync(store, "kill-agent", Ct), rows => rows.Any(r => r.Queue == 2 && r.Owner is not null), TimeSpan.FromSeconds(60), Ct))
            .First(r => r.Queue == 2 && r.Owner is not null);
        Process.GetProcessById(int.Parse(leased.Owner!.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture)).Kill();
        var exitCode = await controller.WaitAsync(TimeSpan.FromSeconds(90));
        var rows = await StoreProbe.TrialsAsync(store, "kill-agent", Ct);

        Assert.True(exitCode == 0, controller.Error);
        Assert.Equal(6, rows.Count(r => r.State == "Completed"));
        Assert.DoesNotContain(rows, r => r.State is "Running" or "Pending");
        Assert.True(rows[leased.Number].Attempts >= 2, $"Trial {leased.Number} was not run again: {rows[leased.Number]}");
        Assert.Contains("restarting it", controller.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_ControllerKilledThenResumedWithNoOptions_KeepsTheRecordedBudgetAndAgentsAndReproducesAnUninterruptedRun()
    {
        await using var store = new SqliteSweepStore(StorePath);
        var environment = new Dictionary<string, string> { ["TUNE_TEST_TRIAL_MS"] = "100" };
        string[] settings = ["--agents", "2", "--max-trials", "20", "--lease-timeout", "2s", "--seed", "5", "--no-publish"];
        using (var controller = ExperimentProcess.Start(_directory, environment, ["sweep", "--sweep", "kill-controller", .. settings]))
        {
            await StoreProbe.WaitForAsync(() => StoreProbe.TrialsAsync(store, "kill-controller", Ct), rows => rows.Count(r => r.State == "Completed") >= 5, TimeSpan.FromSeconds(60), Ct);
            controller.Kill();
            await controller.WaitAsync(TimeSpan.FromSeconds(10));
        }

        // The agents see their standard input close and leave; what they finished meanwhile counts too.
        await Task.Delay(1000, Ct);
        var before = (await StoreProbe.TrialsAsync(store, "kill-controller", Ct)).Where(r => r.State == "Completed").ToList();
        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, environment, "sweep", "--sweep", "kill-controller", "--resume", "--no-publish");
        var after = await StoreProbe.TrialsAsync(store, "kill-controller", Ct);
        var events = await StoreProbe.CompletedEventsAsync(store, "kill-controller", Ct);

        Assert.True(exitCode == 0, error);
        Assert.Contains("Resuming sweep 'kill-controller' as recorded: max-trials 20, agents 2,", output, StringComparison.Ordinal);
        Assert.True(before.Count < 20, "The controller was killed after the sweep ended; nothing was resumed.");
        Assert.Equal(Enumerable.Range(0, 20), after.Select(r => r.Number));
        Assert.All(after, r => Assert.Equal("Completed", r.State));
        Assert.All(before, b => Assert.Equal(b, after[b.Number] with { Queue = b.Queue, Owner = b.Owner }));
        Assert.All(Enumerable.Range(0, 20), n => Assert.Equal(1, events.GetValueOrDefault(n)));

        // The same settings run without a kill draw the same configuration for every trial number.
        var uninterrupted = await ExperimentProcess.RunAsync(_directory, environment, ["sweep", "--sweep", "uninterrupted", .. settings]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Error);
        var space = new Tune.Pipeline.SearchSpaces.SearchSpace([Tune.Pipeline.SearchSpaces.Parameter.Uniform("X", 0, 1)]);
        var resumedConfigurations = (await store.GetTrialsAsync("kill-controller", space, Ct)).Select(t => t.Configuration.GetDouble("X"));
        var uninterruptedConfigurations = (await store.GetTrialsAsync("uninterrupted", space, Ct)).Select(t => t.Configuration.GetDouble("X"));
        Assert.Equal(uninterruptedConfigurations, resumedConfigurations);
    }

    [Fact]
    public async Task Sweep_ResumedWhileItsControllerRuns_IsRefusedAndTheSweepRunsEveryTrialOnce()
    {
        await using var store = new SqliteSweepStore(StorePath);
        var environment = new Dictionary<string, string> { ["TUNE_TEST_TRIAL_MS"] = "200" };
        using var running = ExperimentProcess.Start(_directory, environment, "sweep", "--sweep", "busy", "--max-trials", "12", "--agents", "1", "--no-publish");
        await StoreProbe.WaitForAsync(() => StoreProbe.TrialsAsync(store, "busy", Ct), rows => rows.Count(r => r.State == "Completed") >= 2, TimeSpan.FromSeconds(60), Ct);

        var second = await ExperimentProcess.RunAsync(_directory, environment, "sweep", "--sweep", "busy", "--resume", "--no-publish");
        var exitCode = await running.WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(ExperimentHost.UsageError, second.ExitCode);
        Assert.Contains("Sweep 'busy' already exists in ", second.Error, StringComparison.Ordinal);
        Assert.Contains("and another controller runs it", second.Error, StringComparison.Ordinal);
        Assert.True(exitCode == 0, running.Error);
        var rows = await StoreProbe.TrialsAsync(store, "busy", Ct);
        Assert.Equal(Enumerable.Range(0, 12), rows.Select(r => r.Number));
        Assert.All(rows, r => Assert.Equal("Completed", r.State));
        Assert.All((await StoreProbe.CompletedEventsAsync(store, "busy", Ct)).Values, count => Assert.Equal(1, count));

        // Ended, the sweep's claim is released: a resume now opens it (and finds nothing left to run).
        var after = await ExperimentProcess.RunAsync(_directory, environment, "sweep", "--sweep", "busy", "--resume", "--no-publish");
        Assert.True(after.ExitCode == 0, after.Error);
    }

    [Fact]
    public async Task Sweep_ResumedWithTheSweepFileChanged_IsRefusedAndWithItUnchangedResumes()
    {
        await using var store = new SqliteSweepStore(StorePath);
        var file = Path.Combine(_directory, "sweep.yaml");
        await File.WriteAllTextAsync(file, "budget:\n  max-trials: 3\nearly-stopping: {policy: median, delay-evaluation: 2}\n", Ct);
        var first = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "filed", "--config", file, "--agents", "1", "--no-publish");
        Assert.True(first.ExitCode == 0, first.Error);

        await File.WriteAllTextAsync(file, "budget:\n  max-trials: 5\n", Ct);
        var changed = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "filed", "--config", file, "--resume", "--no-publish");
        await File.WriteAllTextAsync(file, "budget:\n  max-trials: 3\nearly-stopping: {policy: median, delay-evaluation: 2}\n", Ct);
        var same = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "filed", "--config", file, "--resume", "--no-publish");

        Assert.Equal(ExperimentHost.UsageError, changed.ExitCode);
        Assert.Contains("max-trials: recorded 3, given 5", changed.Error, StringComparison.Ordinal);
        Assert.Contains("early-stopping: recorded MedianStoppingPolicyOptions(", changed.Error, StringComparison.Ordinal);
        Assert.True(same.ExitCode == 0, same.Error);
        Assert.Equal(3, (await StoreProbe.TrialsAsync(store, "filed", Ct)).Count);
    }

    [Fact]
    public async Task Sweep_ResumedWithAnotherBudget_IsRefusedNamingBothValuesAndRunsNothing()
    {
        await using var store = new SqliteSweepStore(StorePath);
        var first = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "budgeted", "--max-trials", "3", "--agents", "1", "--no-publish");
        Assert.True(first.ExitCode == 0, first.Error);

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "budgeted", "--resume", "--max-trials", "5", "--seed", "9", "--no-publish");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("max-trials: recorded 3, given 5", error, StringComparison.Ordinal);
        Assert.Contains("seed: recorded 0, given 9", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(3, (await StoreProbe.TrialsAsync(store, "budgeted", Ct)).Count);
    }

    [Fact]
    public async Task Sweep_EightAgentsOnSqlite_NoTrialLostOrDuplicatedAndNoLockError()
    {
        await using var store = new SqliteSweepStore(StorePath);

        await AssertStressAsync(store, StorePath);
    }

    [Fact]
    public async Task Sweep_EightAgentsOnPostgreSql_NoTrialLostOrDuplicated()
    {
        var connectionString = await PostgresTestServer.CreateSchemaAsync(Ct);
        try
        {
            await using var store = new PostgreSqlSweepStore(connectionString);

            await AssertStressAsync(store, connectionString);
        }
        finally
        {
            await PostgresTestServer.DropSchemaAsync(connectionString);
        }
    }

    [Fact]
    public async Task Sweep_TwoAgents_PrepareTheDataOncePerAgent()
    {
        var prepared = Path.Combine(_directory, "prepared.txt");

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, new Dictionary<string, string> { ["TUNE_TEST_PREPARED"] = prepared },
            "sweep", "--sweep", "prepare", "--agents", "2", "--max-trials", "30", "--no-publish");

        // Two agents, two preparations; retraining (skipped here) would prepare once more in the controller.
        Assert.True(exitCode == 0, error);
        Assert.Equal(2, (await File.ReadAllLinesAsync(prepared, Ct)).Length);
    }

    private async Task AssertStressAsync(SqlSweepStore store, string storeArgument)
    {
        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null,
            "sweep", "--store", storeArgument, "--sweep", "stress", "--agents", "8", "--max-trials", "300", "--max-retries", "0");
        var rows = await StoreProbe.TrialsAsync(store, "stress", Ct);
        var events = await StoreProbe.CompletedEventsAsync(store, "stress", Ct);

        Assert.True(exitCode == 0, error);
        Assert.Contains("300 trials, 300 completed", output, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 300), rows.Select(r => r.Number));
        Assert.All(rows, r => Assert.Equal(("Completed", 1), (r.State, r.Attempts)));
        Assert.All(Enumerable.Range(0, 300), n => Assert.Equal(1, events.GetValueOrDefault(n)));
        Assert.DoesNotContain("locked", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }
}
