using System.Text.Json.Nodes;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>The sweep verb's <c>--warm-start</c>, on the real test experiment's executable and a real SQLite store.</summary>
public sealed class WarmStartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-warm-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sweep_WarmStartFromASweepNameAndALockFileIntoANarrowedSpace_KeepsTheFittingTrialsAndNamesTheSkipped()
    {
        var first = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--store", "s.db", "--sweep", "first", "--max-trials", "8", "--agents", "1", "--seed", "1", "--artifacts", "a");
        Assert.True(first.ExitCode == 0, first.Error);
        await File.WriteAllTextAsync(Path.Combine(_directory, "narrow.yaml"), "space:\n  X: {type: uniform, min: 0, max: 0.5}\n", Ct);
        var locked = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "a", "QuadraticExperiment", "sweep.lock.json"), Ct))!;
        var outside = locked["trials"]!.AsArray().Where(t => (double)t!["configuration"]!["X"]! > 0.5).Select(t => (int)t!["number"]!).ToList();
        Assert.NotEmpty(outside);
        {

            var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null,
                "sweep", "--store", "s.db", "--sweep", "second", "--config", "narrow.yaml", "--max-trials", "2", "--agents", "1", "--no-publish",
                "--warm-start", "first", "--warm-start", Path.Combine("a", "QuadraticExperiment", "sweep.lock.json"));

            Assert.True(exitCode == 0, error);
            var kept = 8 - outside.Count;
            Assert.Contains($"Warm start from sweep 'first': {kept} of 8 finished trials fit the space; skipped trial {outside[0]} (Parameter 'X' is ", output, StringComparison.Ordinal);
            Assert.Contains($"Warm start from lock file {Path.Combine("a", "QuadraticExperiment", "sweep.lock.json")}: {kept} of 8 finished trials fit the space; skipped trial {outside[0]} ", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sweep_SweepFileWarmStart_SeedsTheSamplerFromTheSweepItNames()
    {
        var first = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--store", "s.db", "--sweep", "first", "--max-trials", "4", "--agents", "1", "--seed", "1", "--no-publish");
        Assert.True(first.ExitCode == 0, first.Error);
        await File.WriteAllTextAsync(Path.Combine(_directory, "warm.yaml"), "warm-start: [first]\n", Ct);

        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null,
            "sweep", "--store", "s.db", "--sweep", "second", "--config", "warm.yaml", "--max-trials", "1", "--agents", "1", "--no-publish");

        Assert.True(exitCode == 0, error);
        Assert.Contains("Warm start from sweep 'first': 4 of 4 finished trials fit the space.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_WarmStartedThenResumed_RestoresTheRecordedSourcesAndRefusesAnother()
    {
        Assert.Equal(0, (await ExperimentProcess.RunAsync(_directory, null, "sweep", "--store", "s.db", "--sweep", "first", "--max-trials", "3", "--agents", "1", "--no-publish")).ExitCode);
        Assert.Equal(0, (await ExperimentProcess.RunAsync(_directory, null, "sweep", "--store", "s.db", "--sweep", "other", "--max-trials", "2", "--agents", "1", "--no-publish")).ExitCode);
        var warm = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--store", "s.db", "--sweep", "second", "--max-trials", "2", "--agents", "1", "--no-publish", "--warm-start", "first");
        Assert.True(warm.ExitCode == 0, warm.Error);

        var resumed = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--store", "s.db", "--sweep", "second", "--resume", "--no-publish");
        var refused = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--store", "s.db", "--sweep", "second", "--resume", "--no-publish", "--warm-start", "other");

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("Warm start from sweep 'first': 3 of 3 finished trials fit the space.", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(ExperimentHost.UsageError, refused.ExitCode);
        Assert.Contains("warm-start: recorded first, given other", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_WarmStartedSweep_FeedsTheLockedWarmStartTrialsAndReproducesEveryConfiguration()
    {
        // Twelve earlier trials put TPE past its ten startup trials at once: every proposal of the warm-started sweep
        // depends on them, so a replay that did not feed them would differ.
        var first = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--store", "s.db", "--sweep", "first", "--max-trials", "12", "--agents", "1", "--seed", "3", "--no-publish");
        Assert.True(first.ExitCode == 0, first.Error);
        var warm = await ExperimentProcess.RunAsync(_directory, null,
            "sweep", "--store", "s.db", "--sweep", "second", "--sampler", "tpe", "--seed", "4", "--max-trials", "4", "--agents", "1", "--artifacts", "a", "--warm-start", "first");
        Assert.True(warm.ExitCode == 0, warm.Error);
        var lockFile = Path.Combine(_directory, "a", "QuadraticExperiment", "sweep.lock.json");
        var locked = JsonNode.Parse(await File.ReadAllTextAsync(lockFile, Ct))!;
        Assert.Equal(12, locked["warmStart"]!.AsArray().Count);
        locked.AsObject().Remove("warmStart");
        var stripped = Path.Combine(_directory, "stripped.lock.json");
        await File.WriteAllTextAsync(stripped, locked.ToJsonString(), Ct);

        var replayed = await ExperimentProcess.RunAsync(_directory, null, "replay", "--lock", lockFile);
        var withoutWarmStart = await ExperimentProcess.RunAsync(_directory, null, "replay", "--lock", stripped);

        Assert.True(replayed.ExitCode == 0, replayed.Output + replayed.Error);
        Assert.Contains("Sampler tpe with seed 4, warm-started with 12 trials: 4 of 4 configurations reproduced.", replayed.Output, StringComparison.Ordinal);
        Assert.Equal(ExperimentHost.SweepFailed, withoutWarmStart.ExitCode);
        Assert.Contains("trial 0: configuration locked", withoutWarmStart.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_WarmStartFromNothingKnown_ExitsTwoWithOneLineBeforeAnyTrial()
    {
        var (exitCode, output, error) = await ExperimentProcess.RunAsync(_directory, null,
            "sweep", "--store", "s.db", "--sweep", "s", "--max-trials", "2", "--agents", "1", "--no-publish", "--warm-start", "no-such-sweep");

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("--warm-start 'no-such-sweep' is neither a lock file nor a sweep in", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Sweep_WarmStartFromSixSweeps_ExitsTwo()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null,
            ["sweep", "--store", "s.db", "--max-trials", "2", "--no-publish", .. Enumerable.Range(0, 6).SelectMany(i => new[] { "--warm-start", $"s{i}" })]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("--warm-start is given 6 times; a sweep warm-starts from at most 5", error, StringComparison.Ordinal);
    }
}
