using Tune.Pipeline.Testing;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Publishing.Tests;

public sealed class ArtifactPublisherTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly ArtifactPublisher _publisher = new(new FakeTimeProvider(Now));

    public void Dispose() => _temp.Dispose();

    private string StageModel(params (string Name, string Content)[] files)
    {
        var staging = _temp.Combine("staging");
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(staging, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        Directory.CreateDirectory(staging);
        return staging;
    }

    [Fact]
    public async Task PublishAsync_StagedModel_WritesModelManifestAndLockUnderExperimentFolder()
    {
        var staging = StageModel(("model.zip", "model bytes"), ("plots/roc.svg", "<svg/>"));
        var root = _temp.Combine("artifacts");

        var published = await _publisher.PublishAsync(Samples.Request(root, staging), TestContext.Current.CancellationToken);

        Assert.Equal(Path.Combine(root, "breast-cancer"), published.Directory);
        Assert.Equal(["model.zip", "plots/roc.svg"], published.ModelFiles);
        Assert.Equal("model bytes", File.ReadAllText(Path.Combine(published.Directory, "model.zip")));
        Assert.True(File.Exists(published.ManifestPath));
        Assert.True(File.Exists(published.LockPath));
        Assert.Equal(["breast-cancer"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task PublishAsync_BestTrial_ManifestMatchesSnapshot()
    {
        var staging = StageModel(("model.zip", "model bytes"));

        var published = await _publisher.PublishAsync(Samples.Request(_temp.Combine("artifacts"), staging), TestContext.Current.CancellationToken);

        Snapshot.Match(File.ReadAllText(published.ManifestPath), "Manifest", "json");
    }

    [Fact]
    public async Task PublishAsync_EveryTrial_LockMatchesSnapshot()
    {
        var published = await _publisher.PublishAsync(Samples.Request(_temp.Combine("artifacts"), null), TestContext.Current.CancellationToken);

        Snapshot.Match(File.ReadAllText(published.LockPath), "SweepLock", "json");
    }

    [Fact]
    public async Task PublishAsync_Manifest_RecordsChoiceAsValueAndExactObjective()
    {
        var published = await _publisher.PublishAsync(Samples.Request(_temp.Combine("artifacts"), null), TestContext.Current.CancellationToken);

        using var manifest = JsonDocument.Parse(File.ReadAllText(published.ManifestPath));
        var root = manifest.RootElement;
        Assert.Equal("dart", root.GetProperty("parameters").GetProperty("Booster").GetString());
        Assert.Equal(0.1 + 0.2 + 0.65, root.GetProperty("objective").GetProperty("value").GetDouble());
        Assert.Equal(0.012345678901234567, root.GetProperty("parameters").GetProperty("LearningRate").GetDouble());
        Assert.Equal("2026-11-23T12:30:00Z", root.GetProperty("publishedAt").GetString());
    }

    [Fact]
    public async Task PublishAsync_ModelFile_ManifestRecordsItsSha256()
    {
        var staging = StageModel(("model.zip", "model bytes"));

        var published = await _publisher.PublishAsync(Samples.Request(_temp.Combine("artifacts"), staging), TestContext.Current.CancellationToken);

        using var manifest = JsonDocument.Parse(File.ReadAllText(published.ManifestPath));
        var file = Assert.Single(manifest.RootElement.GetProperty("files").EnumerateArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("model bytes"u8)), file.GetProperty("sha256").GetString());
        Assert.Equal(11, file.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task PublishAsync_EarlierPublish_ReplacesWholeFolder()
    {
        var root = _temp.Combine("artifacts");
        var ct = TestContext.Current.CancellationToken;
        await _publisher.PublishAsync(Samples.Request(root, StageModel(("old-model.zip", "old"))), ct);
        Directory.Delete(_temp.Combine("staging"), recursive: true);

        var published = await _publisher.PublishAsync(Samples.Request(root, StageModel(("model.zip", "new"))), ct);

        Assert.False(File.Exists(Path.Combine(published.Directory, "old-model.zip")));
        Assert.Equal("new", File.ReadAllText(Path.Combine(published.Directory, "model.zip")));
        Assert.Equal(["breast-cancer"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task PublishAsync_NoCompletedTrial_ThrowsNamingSweepAndLeavesNothing()
    {
        var root = _temp.Combine("artifacts");
        var result = Samples.Result() with { BestTrial = null };
        var request = Samples.Request(root, null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _publisher.PublishAsync(
            request with { Result = result },
            TestContext.Current.CancellationToken));

        Assert.Contains("'breast-cancer-20261123'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no completed trial", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any());
    }

    [Fact]
    public async Task PublishAsync_MissingModelFolder_ThrowsNamingFolderAndKeepsEarlierPublish()
    {
        var root = _temp.Combine("artifacts");
        var ct = TestContext.Current.CancellationToken;
        await _publisher.PublishAsync(Samples.Request(root, StageModel(("model.zip", "good"))), ct);

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => _publisher.PublishAsync(Samples.Request(root, _temp.Combine("nowhere")), ct));

        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
        Assert.Equal("good", File.ReadAllText(Path.Combine(root, "breast-cancer", "model.zip")));
        Assert.Equal(["breast-cancer"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task PublishAsync_ModelFolderHoldsManifest_ThrowsNamingFile()
    {
        var staging = StageModel(("manifest.json", "{}"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _publisher.PublishAsync(Samples.Request(_temp.Combine("artifacts"), staging), TestContext.Current.CancellationToken));

        Assert.Contains("'manifest.json'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_DestinationNotPublishedByUs_ThrowsAndLeavesItAlone()
    {
        var root = _temp.Combine("artifacts");
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.WriteAllText(Path.Combine(root, "bin", "Tune.Pipeline.dll"), "build output");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _publisher.PublishAsync(Samples.Request(root, null) with { Experiment = "bin" }, TestContext.Current.CancellationToken));

        Assert.Contains("holds no manifest.json", error.Message, StringComparison.Ordinal);
        Assert.Equal("build output", File.ReadAllText(Path.Combine(root, "bin", "Tune.Pipeline.dll")));
        Assert.Equal(["bin"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    public async Task PublishAsync_ExperimentNameNotAFolderName_Throws(string experiment)
    {
        var request = Samples.Request(_temp.Combine("artifacts"), null);

        await Assert.ThrowsAsync<ArgumentException>(() => _publisher.PublishAsync(
            request with { Experiment = experiment },
            TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PublishAsync_NoCommitGiven_ReadsItFromRepositoryOrSaysUnknown()
    {
        var request = Samples.Request(_temp.Combine("artifacts"), null);

        var published = await _publisher.PublishAsync(
            request with { GitCommit = null, RepositoryDirectory = _temp.Path },
            TestContext.Current.CancellationToken);

        Assert.Equal(GitCommit.Unknown, published.GitCommit);
    }

    [Fact]
    public async Task PublishAsync_RealSweep_LockReplaysSameConfigurations()
    {
        var ct = TestContext.Current.CancellationToken;
        var sweep = new SweepBuilder("replay").UseSampler(new Samplers.TpeSamplerOptions()).Configure(o => { o.Seed = 7; o.MaxTrials = 6; o.Goal = Goal.Maximize; }).Build(Samples.Space);
        var agent = new InProcessTrialAgent((configuration, _) => configuration.GetDouble("LearningRate") * configuration.GetInt64("Leaves"));
        var result = await sweep.RunAsync(agent, ct);
        var published = await _publisher.PublishAsync(PublishRequest.For("replay", "score", sweep, result) with { ArtifactsRoot = _temp.Combine("artifacts") }, ct);

        var replayed = await SweepLock.LoadAsync(published.LockPath, Samples.Space, ct);
        var builder = new SweepBuilder("replayed").Configure(o => { o.Seed = 99; o.MaxTrials = 6; o.Goal = Goal.Maximize; });
        foreach (var trial in replayed.ToTrials(Samples.Space))
        {
            builder.Enqueue(trial.Configuration.ToDictionary(p => p.Key, p => (object?)p.Value));
        }

        var rerun = await builder.Build(Samples.Space).RunAsync(agent, ct);

        Assert.Equal(result.Trials.Select(t => t.Configuration), rerun.Trials.Select(t => t.Configuration));
        Assert.Equal(result.Trials.Select(t => t.Value), rerun.Trials.Select(t => t.Value));
        Assert.Equal("tpe", replayed.SamplerName);
    }
}
