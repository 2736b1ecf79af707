namespace Tune.Pipeline.Hosting.Tests;

/// <summary>The executable's verbs, options and exit codes, through the real test experiment.</summary>
public sealed class ExperimentHostTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-host-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_UnknownOption_ExitsWithUsageError()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--max-trails", "3");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("--max-trails", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_ResumeUnknownSweep_ExitsWithUsageErrorWithoutStackTrace()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "missing", "--resume");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("Sweep 'missing' does not exist", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("retrain")]
    public async Task ReadingVerb_NoStoreFile_ExitsWithUsageErrorAndCreatesNoStore(string verb)
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, verb, "--sweep", "never");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains($"There is no sweep store at '{Path.Combine(_directory, ".tune", "tune.db")}'", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, ".tune")), "a read created a store");
    }

    [Theory]
    [InlineData("sweep", "--sweep", "", "--sweep is empty")]
    [InlineData("status", "--sweep", " ", "--sweep is empty")]
    [InlineData("agent", "--sweep", "a\tb", "holds a control character")]
    [InlineData("sweep", "--store", "", "--store is empty")]
    public async Task Verb_UnusableSweepOrStoreText_ExitsWithUsageErrorNamingTheOption(string verb, string option, string value, string message)
    {
        string[] arguments = verb == "sweep" ? [verb, option, value, "--max-trials", "2"] : [verb, option, value];

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, arguments);

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_NameLongerThanALine_IsRefusedWithoutEchoingIt()
    {
        var name = new string('a', 3000);

        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", name, "--max-trials", "2");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("--sweep is 3000 characters long; a sweep's name may have at most 100.", error, StringComparison.Ordinal);
        Assert.DoesNotContain(name, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_GridSamplerOnAContinuousSpace_ExitsWithUsageErrorBeforeTheStoreIsTouched()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "grid", "--sampler", "grid", "--agents", "1");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("The grid sampler needs every parameter to be discrete", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, ".tune", "tune.db")), "the store was written before the sweep was refused");
    }

    [Fact]
    public async Task Sweep_UnknownSampler_ExitsWithUsageErrorListingTheSamplers()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sampler", "annealing");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("auto, gp, grid, random, sobol, tpe", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_StoreUnreachable_ExitsWithEnvironmentErrorWithoutThePassword()
    {
        var listener = System.Net.Sockets.TcpListener.Create(0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null,
            "sweep", "--agents", "0", "--store", $"postgresql://tuner:pa55word@127.0.0.1:{port}/tune?Timeout=2");

        Assert.Equal(ExperimentHost.EnvironmentError, exitCode);
        Assert.DoesNotContain("pa55word", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_Finished_RetrainsTheBestAndPublishesModelManifestLockAndReport()
    {
        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "published", "--agents", "1", "--max-trials", "6", "--seed", "3");

        Assert.True(exitCode == 0, error);
        var published = Path.Combine(_directory, "artifacts", "QuadraticExperiment");
        Assert.Contains($"published model.txt, manifest.json, sweep.lock.json and report.html to {published}", output, StringComparison.Ordinal);
        using var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(published, "manifest.json"), Ct));
        var bestX = manifest.RootElement.GetProperty("parameters").GetProperty("X").GetDouble();
        Assert.Equal(bestX, double.Parse(await File.ReadAllTextAsync(Path.Combine(published, "model.txt"), Ct), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(6, manifest.RootElement.GetProperty("sweep").GetProperty("trials").GetInt32());
        Assert.True(File.Exists(Path.Combine(published, "sweep.lock.json")));
        var report = await File.ReadAllTextAsync(Path.Combine(published, "report.html"), Ct);
        Assert.Contains("<h2 id=\"parallel\">", report, StringComparison.Ordinal);
        Assert.Contains("<tr><th>seed</th><td>3</td></tr>", report, StringComparison.Ordinal);
        Assert.Contains("<tr><th>commit</th>", report, StringComparison.Ordinal);

        // The test experiment reports no steps by default: the history is drawn, the steps chart is not.
        Assert.Contains("Charts for places HTML cannot go: history.png.", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(published, "history.png")));
    }

    [Fact]
    public async Task Sweep_NoPublish_LeavesNoArtifacts()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "unpublished", "--agents", "1", "--max-trials", "3", "--no-publish");

        Assert.True(exitCode == 0, error);
        Assert.False(Directory.Exists(Path.Combine(_directory, "artifacts", "QuadraticExperiment")));
    }

    [Fact]
    public async Task Status_AfterSweep_ShowsCountsByStateAndTheBestTrial()
    {
        var sweep = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "shown", "--agents", "1", "--max-trials", "5");

        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null, "status", "--sweep", "shown");

        Assert.True(sweep.ExitCode == 0, sweep.Error);
        Assert.True(exitCode == 0, error);
        Assert.Contains("closed (MaxTrials)", output, StringComparison.Ordinal);
        Assert.Matches(@"Completed\s+5", output);
        Assert.Contains("Best trial", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_SweepExistsWithoutResume_ExitsWithUsageError()
    {
        await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "twice", "--max-trials", "2");

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "twice", "--max-trials", "2");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("--resume", error, StringComparison.Ordinal);
        Assert.False(Ct.IsCancellationRequested);
    }

    [Fact]
    public async Task Sweep_MaxConcurrentTrialsZero_ExitsWithUsageError()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--max-concurrent-trials", "0");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("--max-concurrent-trials", error, StringComparison.Ordinal);
    }
}
