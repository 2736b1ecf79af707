using System.Text.Json.Nodes;
using Tune.Pipeline.Cli.Tests.Gate;

namespace Tune.Pipeline.Cli.Tests.Replay;

/// <summary>`tune replay` on the lock file of a real sweep of the test experiment (12 trials, seed 1, one agent).</summary>
public sealed class ReplayCommandTests(PublishedModels models) : IClassFixture<PublishedModels>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-replay-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Lock => Path.Combine(models.Good, "sweep.lock.json");

    [Fact]
    public async Task Replay_PublishedLockWithRerun_ReproducesEveryConfigurationAndValue()
    {
        var (code, output, error) = await ReplayAsync(Lock, "--rerun");

        Assert.True(code == 0, output + error);
        Assert.Contains("with seed 1: 12 of 12 configurations reproduced.", output, StringComparison.Ordinal);
        Assert.Contains("Reran 12 trials with their locked seeds: 12 reached their locked values.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_TamperedValue_ExitsOneWithTheLockedAndTheReplayedValue()
    {
        var tampered = Tamper(trial => trial["value"] = 0.5, number: 2);

        var (code, output, error) = await ReplayAsync(tampered, "--rerun", "--trials", "2,5");

        Assert.True(code == 1, output + error);
        Assert.Contains("trial 2: objective locked 0.5, replayed ", output, StringComparison.Ordinal);
        Assert.Contains("Reran 2 trials with their locked seeds: 1 reached their locked values.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_TamperedConfiguration_ExitsOneFromTheSamplerAloneNamingBothConfigurations()
    {
        var tampered = Tamper(trial => trial["configuration"]!["X"] = 0.123, number: 0);

        var (code, output, error) = await ReplayAsync(tampered);

        Assert.True(code == 1, output + error);
        Assert.Contains("trial 0: configuration locked {X=0.123}, proposed {X=", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Reran", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_LockThatDoesNotExist_ExitsTwo()
    {
        var (code, _, error) = await Tune.RunAsync("replay", Path.Combine(_directory, "missing.json"));

        Assert.Equal(2, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_TrialThatIsNotInTheLock_ExitsTwo()
    {
        var (code, _, error) = await ReplayAsync(Lock, "--rerun", "--trials", "99");

        Assert.Equal(2, code);
        Assert.StartsWith("--trials names trial 99", error, StringComparison.Ordinal);
    }

    private Task<(int Code, string Output, string Error)> ReplayAsync(string lockFile, params string[] arguments) =>
        TuneChildProcess.RunAsync(_directory, new Dictionary<string, string>(),
            ["replay", lockFile, "--experiment", PublishedModels.ExperimentProject, "--no-build", "--configuration", PublishedModels.Configuration, .. arguments]);

    private string Tamper(Action<JsonNode> change, int number)
    {
        var document = JsonNode.Parse(File.ReadAllText(Lock))!;
        change(document["trials"]!.AsArray().Single(t => (int)t!["number"]! == number)!);
        var path = Path.Combine(_directory, "tampered.lock.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }
}
