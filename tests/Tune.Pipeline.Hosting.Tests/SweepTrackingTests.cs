using System.Text;
using Tune.Pipeline.Testing.MLflow;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>The sweep verb with MLflow tracking, through the real test experiment and the MLflow test double.</summary>
public sealed class SweepTrackingTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-host-mlflow-").FullName;
    private readonly FakeMLflowServer _server = FakeMLflowServer.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sweep_TrackingUri_RecordsTheSweepAsParentRunWithOneChildRunPerTrial()
    {
        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null,
            "sweep", "--sweep", "tracked", "--agents", "1", "--max-trials", "4", "--seed", "3", "--no-publish", "--tracking-uri", _server.Uri.ToString());

        Assert.True(exitCode == 0, error);
        var parent = Assert.Single(_server.Runs, r => r.Name == "tracked");
        Assert.Equal("QuadraticExperiment", Assert.Single(_server.Experiments, e => e.Id == parent.ExperimentId).Name);
        Assert.Equal("FINISHED", parent.Status);
        Assert.Equal(["trial-0", "trial-1", "trial-2", "trial-3"], _server.Runs.Where(r => r != parent).Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(_server.Runs.Where(r => r != parent), r => Assert.Equal(parent.Id, r.Tags["mlflow.parentRunId"]));
        Assert.Contains("Tracked in MLflow at", output, StringComparison.Ordinal);
        Assert.Contains(parent.Metrics, m => m.Key == "best_objective");
    }

    [Fact]
    public async Task Sweep_SweepFileTracking_TracksInTheServerItNames()
    {
        var config = Path.Combine(_directory, "sweep.yaml");
        await File.WriteAllTextAsync(config, $"tracking: {{mlflow: \"{_server.Uri}\"}}\n", Ct);
        var environment = new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = string.Empty };

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, environment,
            "sweep", "--config", config, "--sweep", "from-file", "--agents", "1", "--max-trials", "2", "--no-publish");

        Assert.True(exitCode == 0, error);
        var parent = Assert.Single(_server.Runs, r => r.Name == "from-file");
        Assert.Equal(2, _server.Runs.Count(r => r.Tags.GetValueOrDefault("mlflow.parentRunId") == parent.Id));
    }

    [Fact]
    public async Task Sweep_RegisterModel_UploadsThePublishedFilesToTheSweepRunAndCreatesAVersion()
    {
        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null,
            "sweep", "--sweep", "registered", "--agents", "1", "--max-trials", "3", "--seed", "3", "--tracking-uri", _server.Uri.ToString(), "--register-model", "quadratic");

        Assert.True(exitCode == 0, error);
        var parent = Assert.Single(_server.Runs, r => r.Name == "registered");
        var version = Assert.Single(_server.ModelVersions);
        Assert.Equal(("quadratic", $"mlflow-artifacts:/{parent.ExperimentId}/{parent.Id}/artifacts/model", parent.Id), (version.Name, version.Source, version.RunId));
        var published = await File.ReadAllTextAsync(Path.Combine(_directory, "artifacts", "QuadraticExperiment", "model.txt"), Ct);
        Assert.Equal(published, Encoding.UTF8.GetString(_server.FindArtifact($"{parent.ExperimentId}/{parent.Id}/artifacts/model/model.txt")!));
        Assert.NotNull(_server.FindArtifact($"{parent.ExperimentId}/{parent.Id}/artifacts/model/manifest.json"));
        Assert.Contains("Registered model 'quadratic' version 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_TrackingServerDown_FinishesWarningOnceAndSaysHowToSyncWithoutTheCredentials()
    {
        _server.GoDown();
        var environment = new Dictionary<string, string> { ["MLFLOW_TRACKING_USERNAME"] = "tuner", ["MLFLOW_TRACKING_PASSWORD"] = "s3cret-pa55" };

        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, environment,
            "sweep", "--sweep", "offline", "--agents", "1", "--max-trials", "3", "--no-publish", "--tracking-uri", _server.Uri.ToString());

        Assert.True(exitCode == 0, error);
        Assert.Contains("Sweep 'offline' ended", output, StringComparison.Ordinal);
        Assert.Single(error.Split('\n'), line => line.Contains("could not be reached", StringComparison.Ordinal));
        Assert.Contains("events wait in the sweep store", error, StringComparison.Ordinal);
        Assert.Contains($"dotnet tune mlflow sync --store \"{Path.Combine(_directory, ".tune", "tune.db")}\"", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pa55", error + output, StringComparison.Ordinal);
        Assert.DoesNotContain("tuner", error + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_RegisterModelWithoutTracking_ExitsWithUsageErrorNamingTheFix()
    {
        var environment = new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = string.Empty };

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, environment, "sweep", "--sweep", "unregistered", "--register-model", "quadratic");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("--register-model 'quadratic' needs MLflow tracking. Set MLFLOW_TRACKING_URI or pass --tracking-uri.", error, StringComparison.Ordinal);
    }
}
