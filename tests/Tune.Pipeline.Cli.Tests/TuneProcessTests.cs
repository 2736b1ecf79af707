using System.Diagnostics;
using System.Reflection;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Tests;

/// <summary>The real `tune` executable, as a child process, building and sweeping a real experiment project.</summary>
public sealed class TuneProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-process-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sweep_TestExperimentProject_BuildsRunsItsSweepVerbAndReturnsItsExitCode()
    {
        var store = Path.Combine(_directory, "tune.db");

        // The configuration this test was built in, so that the build tune runs finds the project up to date.
        var (code, output, error) = await RunTuneAsync(
            "sweep", Path.Combine(RepositoryRoot, "tests", "Tune.Pipeline.Hosting.TestExperiment"), "--configuration", Configuration,
            "--store", store, "--sweep", "s", "--max-trials", "4", "--agents", "1", "--no-publish");

        Assert.True(code == 0, $"tune exited with {code}.{Environment.NewLine}stdout: {output}{Environment.NewLine}stderr: {error}");
        Assert.Contains("Sweep 's' ended (MaxTrials): 4 trials, 4 completed.", output, StringComparison.Ordinal);
        await using var read = new SqliteSweepStore(store);
        var trials = await read.GetStoredTrialsAsync("s", TestContext.Current.CancellationToken);
        Assert.Equal([0, 1, 2, 3], trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
    }

    [Fact]
    public async Task Sweep_CtrlCToTheWholeProcessGroup_TuneWaitsForTheExperimentWhichLeavesTheSweepResumable()
    {
        var store = Path.Combine(_directory, "tune.db");

        // setsid gives tune a process group of its own, as a terminal's foreground job has: Ctrl+C signals all of it,
        // tune, the experiment and its agents.
        var info = StartInfo("setsid", "dotnet", TuneAssembly,
            "sweep", Path.Combine(RepositoryRoot, "tests", "Tune.Pipeline.Hosting.TestExperiment"), "--no-build", "--configuration", Configuration,
            "--store", store, "--sweep", "stopped", "--max-trials", "20", "--agents", "1", "--no-publish");
        info.Environment["TUNE_TEST_TRIAL_MS"] = "400";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await WaitForCompletedTrialsAsync(store, "stopped", 2);
            using (var interrupt = Process.Start(new ProcessStartInfo("kill", ["-INT", "--", "-" + process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
            {
                await interrupt.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var stderr = await error;
        Assert.True(process.ExitCode == 130, $"tune exited with {process.ExitCode}.{Environment.NewLine}stdout: {await output}{Environment.NewLine}stderr: {stderr}");
        Assert.Contains($"sweep --sweep stopped --resume --store {store}", stderr, StringComparison.Ordinal);
        await using var read = new SqliteSweepStore(store);
        var trials = await read.GetStoredTrialsAsync("stopped", TestContext.Current.CancellationToken);
        Assert.DoesNotContain(trials, t => t.State == TrialState.Running);
        Assert.True(trials.Count < 20, "the sweep ended before the signal");
    }

    private static async Task WaitForCompletedTrialsAsync(string store, string sweep, int count)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (File.Exists(store))
            {
                await using var read = new SqliteSweepStore(store);
                if ((await read.GetStoredTrialsAsync(sweep, TestContext.Current.CancellationToken)).Count(t => t.State == TrialState.Completed) >= count)
                {
                    return;
                }
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"Sweep '{sweep}' did not complete {count} trials within 60 s.");
    }

    // As spelt in the build (Debug, not the output folder's debug): another spelling is another set of global properties,
    // which rebuilds the whole project graph under tests that are running its assemblies.
    private static string Configuration => typeof(TuneProcessTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    private static string OutputFolder => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    // artifacts/bin/Tune.Pipeline.Cli.Tests/<configuration>/ -> the repository root, three folders above artifacts/bin.
    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));

    private static string TuneAssembly => Path.Combine(RepositoryRoot, "artifacts", "bin", "Tune.Pipeline.Cli", OutputFolder, "tune.dll");

    private ProcessStartInfo StartInfo(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = _directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Build nodes that outlive the build would hold the redirected output open after tune exits.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        return info;
    }

    private async Task<(int Code, string Output, string Error)> RunTuneAsync(params string[] arguments)
    {
        using var process = Process.Start(StartInfo("dotnet", [TuneAssembly, .. arguments]))!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
