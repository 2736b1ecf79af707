using Tune.Pipeline.Cli.Tests.Gate;
using Tune.Pipeline.Publishing.Azure.Tests;

namespace Tune.Pipeline.Cli.Tests.Cake;

/// <summary>The Cake targets CI calls, run through the real `dotnet cake` on this repository's build.cake.</summary>
public sealed class CakeTargetsTests(PublishedModels models) : IClassFixture<PublishedModels>
{
    [Fact]
    public async Task Help_ListsEveryPublicTargetWithItsArguments()
    {
        var (code, output) = await CakeAsync("--target=Help");

        Assert.True(code == 0, output);
        foreach (var target in new[] { "Build:", "Test:", "Sweep:", "Retrain:", "Publish:", "Gate:", "Report:", "Replay:", "Pack:", "Help:" })
        {
            Assert.Contains(target, output, StringComparison.Ordinal);
        }

        Assert.Contains("--baseline=DIR|manifest.json", output, StringComparison.Ordinal);
        Assert.Contains("--lock=artifacts/<experiment>/sweep.lock.json", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GateAndReplay_PassingAndFailing_ExitWithTuneCodesAndTheReason()
    {
        var passed = await CakeAsync("--target=Gate", $"--candidate={models.Good}", $"--baseline={models.Degraded}");
        var regressed = await CakeAsync("--target=Gate", $"--candidate={models.Degraded}", $"--baseline={models.Good}");
        var replayed = await CakeAsync("--target=Replay", $"--lock={Path.Combine(models.Good, "sweep.lock.json")}", $"--experiment={PublishedModels.ExperimentProject}");

        Assert.True(passed.Code == 0, passed.Output);
        Assert.Contains("## Tune gate: QuadraticExperiment passed", passed.Output, StringComparison.Ordinal);
        Assert.True(regressed.Code == 1, regressed.Output);
        Assert.Contains("The gate failed with exit code 1: the candidate regressed beyond the allowance", regressed.Output, StringComparison.Ordinal);
        Assert.True(replayed.Code == 0, replayed.Output);
        Assert.Contains("12 of 12 configurations reproduced.", replayed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_SweepInAStore_WritesItsReport()
    {
        var output = Path.Combine(models.Directory, "cake-report.html");

        var (code, log) = await CakeAsync("--target=Report", "--sweep=good", $"--store={Path.Combine(models.Directory, "tune.db")}", $"--output={output}");
        var missing = await CakeAsync("--target=Report", "--sweep=absent", $"--store={Path.Combine(models.Directory, "tune.db")}", $"--output={output}-absent");

        Assert.True(code == 0, log);
        Assert.Contains("<svg", await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.NotEqual(0, missing.Code);
        Assert.Contains("The report failed with exit code 2", missing.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_PublishedFolder_UploadsItToAzurite_AndANonPublishedFolderFailsWithTheReason()
    {
        var container = Azurite.NewContainer(out var name);
        var environment = new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = Azurite.ConnectionString };

        var (code, log) = await CakeAsync(environment, "--target=Publish", $"--folder={models.Good}", $"--azure-container={name}", "--azure-prefix=main");
        var refused = await CakeAsync(environment, "--target=Publish", $"--folder={models.Directory}", $"--azure-container={name}");

        Assert.True(code == 0, log);
        Assert.Contains($"Uploaded ", log, StringComparison.Ordinal);
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            blobs.Add(blob.Name);
        }

        Assert.Contains("main/manifest.json", blobs);
        Assert.Contains("main/sweep.lock.json", blobs);
        Assert.NotEqual(0, refused.Code);
        Assert.Contains("The publish failed with exit code 2: it refused its arguments: not a published folder", refused.Output, StringComparison.Ordinal);
    }

    private static Task<(int Code, string Output)> CakeAsync(params string[] arguments) => CakeAsync(new Dictionary<string, string>(), arguments);

    // Root: artifacts/bin/Tune.Pipeline.Cli.Tests/<configuration>/ is three folders below artifacts/bin's parent.
    private static async Task<(int Code, string Output)> CakeAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (code, output, error) = await TuneChildProcess.RunDotnetAsync(
            Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..")),
            ["cake", $"--configuration={PublishedModels.Configuration}", .. arguments],
            environment,
            ["GITHUB_STEP_SUMMARY"],
            TestContext.Current.CancellationToken);
        return (code, output + error);
    }
}
