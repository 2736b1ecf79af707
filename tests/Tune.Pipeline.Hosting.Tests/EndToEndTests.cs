using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Blobs;
using Tune.Pipeline.Publishing.Azure.Tests;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Testing.MLflow;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>
/// The main job as a user runs it: the real test experiment's executable, with agent child processes, a real SQLite
/// store, a sweep file, Ctrl+C (a real SIGINT) and resume, retrain, and a publish uploaded to a real Azurite.
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-e2e-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sweep_CtrlC_ExitsInterruptedAndResumeFinishesEveryTrialOnce()
    {
        // Trials of 400 ms: slow enough that the signal lands mid-sweep, with trials running.
        var slow = new Dictionary<string, string> { ["TUNE_TEST_TRIAL_MS"] = "400" };
        using var sweep = ExperimentProcess.Start(_directory, slow, "sweep", "--sweep", "stopped", "--max-trials", "12", "--agents", "2", "--seed", "4", "--no-publish");
        await WaitForCompletedTrialsAsync("stopped", 2);

        sweep.Interrupt();
        var exitCode = await sweep.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == ExperimentHost.Interrupted, $"exit {exitCode}: {sweep.Error}");
        Assert.DoesNotContain("   at ", sweep.Error, StringComparison.Ordinal);
        var stopped = await TrialsAsync("stopped");
        Assert.DoesNotContain(stopped, t => t.State == "Running");
        Assert.True(stopped.Count < 12, "the sweep ran to its end before the signal; nothing was interrupted");

        // The printed line is complete: run exactly what it says (the executable itself, since the test experiment has
        // no project folder recorded), with no budget, agents or seed repeated.
        var line = sweep.Error.Split('\n').Single(l => l.Contains("Continue it with: ", StringComparison.Ordinal));
        var command = line[(line.IndexOf("Continue it with: ", StringComparison.Ordinal) + "Continue it with: ".Length)..].Trim();
        Assert.Equal($"dotnet {ExperimentProcess.ExecutablePath} sweep --sweep stopped --resume", command);
        var resumed = await ExperimentProcess.RunAsync(_directory, null, [.. command.Split(' ').Skip(2), "--no-publish"]);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("Resuming sweep 'stopped' as recorded: max-trials 12, agents 2,", resumed.Output, StringComparison.Ordinal);
        var trials = await TrialsAsync("stopped");
        Assert.Equal(Enumerable.Range(0, 12), trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal("Completed", t.State));

        // Each trial completed once: an interrupted one ran again, none twice to completion.
        await using var store = new SqliteSweepStore(Path.Combine(_directory, SqliteSweepStore.DefaultPath));
        Assert.All((await StoreProbe.CompletedEventsAsync(store, "stopped", Ct)).Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Sweep_CtrlCWhileTracked_LeavesNoMLflowRunRunning()
    {
        await using var server = FakeMLflowServer.Start();
        var slow = new Dictionary<string, string> { ["TUNE_TEST_TRIAL_MS"] = "400", ["MLFLOW_TRACKING_URI"] = server.Uri.ToString() };
        using var sweep = ExperimentProcess.Start(_directory, slow, "sweep", "--sweep", "tracked-stop", "--max-trials", "12", "--agents", "1", "--no-publish");
        await WaitForCompletedTrialsAsync("tracked-stop", 2);

        sweep.Interrupt();
        var exitCode = await sweep.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == ExperimentHost.Interrupted, $"exit {exitCode}: {sweep.Error}");
        var interrupted = (await TrialsAsync("tracked-stop")).Where(t => t.State == "Pending").Select(t => $"trial-{t.Number}").ToList();
        Assert.NotEmpty(interrupted);
        Assert.All(server.Runs, r => Assert.NotEqual("RUNNING", r.Status));
        Assert.All(server.Runs.Where(r => interrupted.Contains(r.Name ?? string.Empty)), r => Assert.Equal(("KILLED", "true"), (r.Status, r.Tags["tune.interrupted"])));
        Assert.Equal("KILLED", Assert.Single(server.Runs, r => r.Name == "tracked-stop").Status);
    }

    [Fact]
    public async Task Retrain_AfterSweepWithoutPublish_PublishesTheBestTrialsModel()
    {
        var sweep = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "later", "--max-trials", "5", "--agents", "1", "--seed", "9", "--no-publish");
        Assert.True(sweep.ExitCode == 0, sweep.Error);
        Assert.False(Directory.Exists(Path.Combine(_directory, "artifacts", "QuadraticExperiment")));

        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null, "retrain", "--sweep", "later");

        Assert.True(exitCode == 0, error);
        Assert.Contains("published model.txt, manifest.json, sweep.lock.json and report.html", output, StringComparison.Ordinal);
        var best = (await TrialsAsync("later")).Where(t => t.State == "Completed").MinBy(t => t.Value)!;
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "artifacts", "QuadraticExperiment", "manifest.json"), Ct));
        Assert.Equal(best.Number, manifest.RootElement.GetProperty("sweep").GetProperty("bestTrial").GetInt32());
        Assert.Equal(9, manifest.RootElement.GetProperty("sweep").GetProperty("seed").GetInt64());
    }

    [Fact]
    public async Task Retrain_UnknownSweep_ExitsWithUsageErrorNamingIt()
    {
        var other = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "other", "--max-trials", "1", "--agents", "1", "--no-publish");
        Assert.True(other.ExitCode == 0, other.Error);

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "retrain", "--sweep", "never-ran");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("Sweep 'never-ran' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_AzureContainer_UploadsThePublishedFolderToAzurite()
    {
        var connectionString = Azurite.Require();
        var container = "e2e" + Guid.NewGuid().ToString("N");
        var environment = new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = connectionString };

        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, environment,
            "sweep", "--sweep", "shipped", "--max-trials", "4", "--agents", "1", "--azure-container", container, "--azure-prefix", "quadratic/v1");

        Assert.True(exitCode == 0, error);
        Assert.Contains("Uploaded 5 files to ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", output + error, StringComparison.Ordinal);
        var blobs = new BlobServiceClient(connectionString).GetBlobContainerClient(container);
        var names = new List<string>();
        await foreach (var blob in blobs.GetBlobsAsync(cancellationToken: Ct))
        {
            names.Add(blob.Name);
        }

        Assert.Equal(["quadratic/v1/history.png", "quadratic/v1/manifest.json", "quadratic/v1/model.txt", "quadratic/v1/report.html", "quadratic/v1/sweep.lock.json"], names.Order(StringComparer.Ordinal));
        var manifest = (await blobs.GetBlobClient("quadratic/v1/manifest.json").DownloadContentAsync(Ct)).Value.Content.ToString();
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_directory, "artifacts", "QuadraticExperiment", "manifest.json"), Ct), manifest);
    }

    [Fact]
    public async Task Sweep_AzureContainerWithoutCredential_FailsBeforeTheSweepNamingTheVariable()
    {
        var environment = new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = string.Empty };

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, environment, "sweep", "--sweep", "nowhere", "--max-trials", "2", "--azure-container", "models");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("AZURE_STORAGE_CONNECTION_STRING", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, SqliteSweepStore.DefaultPath)), "no sweep should have run");
    }

    [Fact]
    public async Task Sweep_ConfigFile_AppliesItsSettingsAndSpaceOverridesAndTheCommandLineWins()
    {
        var config = Path.Combine(_directory, "sweep.yaml");
        await File.WriteAllTextAsync(config, """
            sampler: sobol
            seed: 11
            budget: {max-trials: 3}
            agents:
              cpu: {slot-groups: 1, threads-per-trial: 1}
            store: sqlite:from-file.db
            publish: {enabled: false}
            space:
              X: {type: uniform, min: 0.25, max: 0.5}
            """, Ct);

        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--config", config, "--sweep", "configured", "--max-trials", "5");

        Assert.True(exitCode == 0, error);
        Assert.Contains("Sweep 'configured' ended (MaxTrials): 5 trials", output, StringComparison.Ordinal);
        await using var store = new SqliteSweepStore(Path.Combine(_directory, "from-file.db"));
        var status = await store.GetSweepStatusAsync("configured", Ct);
        Assert.Equal(11, status!.Seed);
        Assert.Equal("sobol", status.SamplerName);
        var trials = await store.GetTrialsAsync("configured", new SearchSpace([Parameter.Uniform("X", 0, 1)]), Ct);
        Assert.Equal(5, trials.Count);
        Assert.All(trials, t => Assert.InRange(t.Configuration.GetDouble("X"), 0.25, 0.5));
        Assert.False(Directory.Exists(Path.Combine(_directory, "artifacts", "QuadraticExperiment")), "publish.enabled: false");
    }

    [Fact]
    public async Task Sweep_ConfigFileMistakes_ExitWithUsageErrorNamingFileLineColumnKeyAndAllowedValues()
    {
        var config = Path.Combine(_directory, "sweep.yaml");
        await File.WriteAllTextAsync(config, """
            sampler: tpee
            budget: {max-trails: 5}
            space:
              Y: {type: uniform, min: 0, max: 1}
            """, Ct);

        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--config", config);

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains($"{config}:1:10: 'sampler' is 'tpee'", error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'tpe'", error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("auto, gp, grid, random, sobol, tpe", error, StringComparison.Ordinal);
        Assert.Contains($"{config}:2:10:", error, StringComparison.Ordinal);
        Assert.Contains("max-trails", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
        Assert.False(File.Exists(Path.Combine(_directory, SqliteSweepStore.DefaultPath)), "no sweep should have run");
    }

    [Fact]
    public async Task Sweep_ConfigFileOverrideInventsAParameter_NamesItAndTheDeclaredOnes()
    {
        var config = Path.Combine(_directory, "sweep.yaml");
        await File.WriteAllTextAsync(config, """
            space:
              Y: {type: uniform, min: 0, max: 1}
            """, Ct);

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--config", config);

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains($"{config}:2:3: space override 'Y' is not a parameter of the experiment", error, StringComparison.Ordinal);
        Assert.Contains("overrides may narrow or re-scale X", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_ConfigFileMissing_ExitsWithUsageErrorNamingThePath()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--config", "nothere.yaml");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("nothere.yaml: the sweep file does not exist", error, StringComparison.Ordinal);
    }

    private async Task WaitForCompletedTrialsAsync(string sweep, int count)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (File.Exists(Path.Combine(_directory, SqliteSweepStore.DefaultPath))
                && (await TrialsAsync(sweep)).Count(t => t.State == "Completed") >= count)
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"Sweep '{sweep}' did not complete {count} trials within 60 s.");
    }

    private async Task<List<StoreProbe.Row>> TrialsAsync(string sweep)
    {
        await using var store = new SqliteSweepStore(Path.Combine(_directory, SqliteSweepStore.DefaultPath));
        return await StoreProbe.TrialsAsync(store, sweep, Ct);
    }
}
