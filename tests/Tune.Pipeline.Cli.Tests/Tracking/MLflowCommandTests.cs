using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;
using Tune.Pipeline.Testing.MLflow;

namespace Tune.Pipeline.Cli.Tests.Tracking;

/// <summary><c>tune mlflow sync</c> through the real command, over a real SQLite store and the MLflow test double.</summary>
public sealed class MLflowCommandTests : IAsyncDisposable
{
    private readonly FakeMLflowServer _server = FakeMLflowServer.Start();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tune-cli-mlflow-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string StorePath => Path.Combine(_directory.FullName, "tune.db");

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task Sync_EventsPending_DeliversThemAndSaysWhat()
    {
        await RunSweepWithoutTrackingAsync();

        var (code, output, error) = await SyncAsync();

        Assert.True(code == 0, error);
        Assert.Contains($"Delivered to MLflow at {_server.Uri} (no auth) from the sweep store '{StorePath}': 2 sweep events, 6 trial events, 4 step values (3 runs created).", output, StringComparison.Ordinal);
        var parent = Assert.Single(_server.Runs, r => r.Name == "offline");
        Assert.Equal(("FINISHED", 2), (parent.Status, _server.Runs.Count(r => r.Tags.GetValueOrDefault("mlflow.parentRunId") == parent.Id)));
    }

    [Fact]
    public async Task Sync_ATrackedSweepIsForwardingTheStore_ExitsWith3SendingNothing()
    {
        await RunSweepWithoutTrackingAsync();
        await using (var sweeping = new SqliteSweepStore(StorePath))
        {
            await sweeping.ClaimForwarderAsync("build-agent-7 process 4242 (sweep)", TimeSpan.FromMinutes(1), Ct);
        }

        var (code, _, error) = await SyncAsync();

        Assert.Equal(3, code);
        Assert.Contains("Another forwarder (build-agent-7 process 4242 (sweep)) is delivering the tracking events", error, StringComparison.Ordinal);
        Assert.Empty(_server.Runs);
    }

    [Fact]
    public async Task Sync_NothingPending_SaysSoAndSendsNothingNew()
    {
        await RunSweepWithoutTrackingAsync();
        await SyncAsync();
        var requests = _server.Requests.Count;

        var (code, output, _) = await SyncAsync();

        Assert.Equal(0, code);
        Assert.Contains("Nothing waits in the sweep store", output, StringComparison.Ordinal);
        Assert.Equal(requests, _server.Requests.Count);
    }

    [Fact]
    public async Task Sync_ServerDown_ExitsWith3KeepingEveryEventForTheNextSync()
    {
        await RunSweepWithoutTrackingAsync();
        _server.GoDown();

        var (downCode, _, downError) = await SyncAsync();
        _server.ComeBack();
        var (upCode, upOutput, _) = await SyncAsync();

        Assert.Equal(3, downCode);
        Assert.Contains("could not be reached", downError, StringComparison.Ordinal);
        Assert.Contains("12 events still wait in the sweep store", downError, StringComparison.Ordinal);
        Assert.Contains("nothing is lost. Run `tune mlflow sync` again when the server is up.", downError, StringComparison.Ordinal);
        Assert.Equal(0, upCode);
        Assert.Contains("2 sweep events, 6 trial events, 4 step values (3 runs created)", upOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_NoStoreAtThePath_ExitsWithUsageErrorAndCreatesNothing()
    {
        var (code, _, error) = await SyncAsync();

        Assert.Equal(2, code);
        Assert.Contains($"There is no sweep store at '{StorePath}'. Pass the --store the sweep used", error, StringComparison.Ordinal);
        Assert.False(File.Exists(StorePath));
    }

    private async Task<(int Code, string Output, string Error)> SyncAsync()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TuneCommand.RunAsync(["mlflow", "sync", "--store", StorePath, "--tracking-uri", _server.Uri.ToString()], TextReader.Null, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A two-trial sweep whose trials report two steps each, recorded in the store with no tracking server.</summary>
    private async Task RunSweepWithoutTrackingAsync()
    {
        var store = new SqliteSweepStore(StorePath);
        await using (store)
        {
            var sweep = new SweepBuilder("offline")
                .UseStore(store)
                .Configure(o => o.MaxTrials = 2)
                .Build(new SearchSpace([Parameter.Uniform("X", -1, 1)]));
            await sweep.RunAsync(new TwoStepAgent(), Ct);
        }
    }

    private sealed class TwoStepAgent : ITrialAgent
    {
        public ValueTask<TrialResult> RunTrialAsync(Configuration configuration, TrialContext context, CancellationToken cancellationToken)
        {
            var x = configuration.GetDouble("X");
            context.Report(1, (x * x) + 1);
            context.Report(2, x * x);
            return ValueTask.FromResult<TrialResult>(x * x);
        }
    }
}
