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

    [Fact]
    public async Task Sweep_UnknownSampler_ExitsWithUsageErrorListingTheSamplers()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sampler", "annealing");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("random, grid, sobol", error, StringComparison.Ordinal);
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
