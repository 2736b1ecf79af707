using Microsoft.Extensions.Time.Testing;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Publishing.Tests;

public sealed class PublishedManifestTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ReadAsync_PublishedFolderOrItsManifest_ReadsWhatThePublisherWrote()
    {
        var published = await new ArtifactPublisher(new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero)))
            .PublishAsync(Samples.Request(_temp.Combine("artifacts"), null) with { MaxConcurrentTrials = 3 }, TestContext.Current.CancellationToken);

        var fromFolder = await PublishedManifest.ReadAsync(published.Directory, TestContext.Current.CancellationToken);
        var fromFile = await PublishedManifest.ReadAsync(published.ManifestPath, TestContext.Current.CancellationToken);
        var locked = await SweepLock.ReadAsync(published.LockPath, TestContext.Current.CancellationToken);

        Assert.Equal(published.ManifestPath, fromFolder.ManifestPath);
        Assert.Equal(fromFolder.ManifestPath, fromFile.ManifestPath);
        Assert.Equal(("breast-cancer", "auc", Goal.Maximize, "sha256:0123"), (fromFolder.Experiment, fromFolder.ObjectiveMetric, fromFolder.Goal, fromFolder.DataFingerprint));
        Assert.Equal(Samples.Trials[1].Value, fromFolder.Value);
        Assert.Equal(Samples.Trials[1].Configuration.ToDictionary(p => p.Key, p => (object?)p.Value), fromFolder.Parameters);
        Assert.Equal(3, locked.MaxConcurrentTrials);
    }

    [Fact]
    public async Task ReadAsync_FolderWithoutManifest_ThrowsFileNotFoundNamingIt()
    {
        var exception = await Assert.ThrowsAsync<FileNotFoundException>(() => PublishedManifest.ReadAsync(_temp.Combine("."), TestContext.Current.CancellationToken));

        Assert.Contains("is neither a published folder with a manifest.json", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NotJson_ThrowsInvalidDataNamingTheFile()
    {
        var path = _temp.Combine("manifest.json");
        await File.WriteAllTextAsync(path, "{ nope", TestContext.Current.CancellationToken);

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() => PublishedManifest.ReadAsync(path, TestContext.Current.CancellationToken));

        Assert.StartsWith($"Manifest '{path}' is not valid", exception.Message, StringComparison.Ordinal);
    }
}
