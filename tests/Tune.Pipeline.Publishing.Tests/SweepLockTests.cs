using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Publishing.Tests;

public sealed class SweepLockTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static SweepLock SampleLock() => SweepLock.Create("breast-cancer", Samples.Space, 42, "sobol", Goal.Maximize, Samples.Result());

    [Fact]
    public async Task ReadAsync_WrittenLock_RoundTripsEveryTrialExactly()
    {
        var path = _temp.Combine("sweep.lock.json");
        await SampleLock().WriteAsync(path, TestContext.Current.CancellationToken);

        var read = await SweepLock.ReadAsync(path, TestContext.Current.CancellationToken);
        var trials = read.ToTrials(Samples.Space);

        var expected = Samples.Trials;
        Assert.Equal(expected.Select(t => t.Configuration), trials.Select(t => t.Configuration));
        Assert.Equal(expected.Select(t => (t.Number, t.State, t.Value, t.Seed, t.Attempts, t.Error)), trials.Select(t => (t.Number, t.State, t.Value, t.Seed, t.Attempts, t.Error)));
        Assert.Equal((42L, "sobol", Goal.Maximize, SweepStopReason.MaxTrials, (int?)1), (read.Seed, read.SamplerName, read.Goal, read.StopReason, read.BestTrialNumber));
    }

    [Fact]
    public async Task LoadAsync_OtherSpace_ThrowsNamingBothFingerprints()
    {
        var path = _temp.Combine("sweep.lock.json");
        await SampleLock().WriteAsync(path, TestContext.Current.CancellationToken);
        var changed = new SearchSpace([.. Samples.Space.Parameters.Take(3), Parameter.QUniform("Trees", 50, 500, 50, integral: true)]);

        var error = await Assert.ThrowsAsync<SweepLockMismatchException>(() => SweepLock.LoadAsync(path, changed, TestContext.Current.CancellationToken));

        Assert.Contains(Samples.Space.Fingerprint, error.Message, StringComparison.Ordinal);
        Assert.Contains(changed.Fingerprint, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal((Samples.Space.Fingerprint, changed.Fingerprint), (error.LockFingerprint, error.SpaceFingerprint));
    }

    [Fact]
    public async Task LoadAsync_ConfigurationOutsideSpace_ThrowsNamingTrialAndParameter()
    {
        var path = _temp.Combine("sweep.lock.json");
        await SampleLock().WriteAsync(path, TestContext.Current.CancellationToken);
        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(path, text.Replace("\"Booster\": \"gbdt\"", "\"Booster\": \"goss\"", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<SweepLockMismatchException>(() => SweepLock.LoadAsync(path, Samples.Space, TestContext.Current.CancellationToken));

        Assert.Contains("trial 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Booster'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NotJson_ThrowsInvalidDataNamingFile()
    {
        var path = _temp.Combine("sweep.lock.json");
        await File.WriteAllTextAsync(path, "trials: 3", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SweepLock.ReadAsync(path, TestContext.Current.CancellationToken));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnknownState_ThrowsListingAllowedStates()
    {
        var path = _temp.Combine("sweep.lock.json");
        await SampleLock().WriteAsync(path, TestContext.Current.CancellationToken);
        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(path, text.Replace("\"state\": \"pruned\"", "\"state\": \"stopped\"", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SweepLock.ReadAsync(path, TestContext.Current.CancellationToken));

        Assert.Contains("'stopped'", error.Message, StringComparison.Ordinal);
        Assert.Contains("pending, running, completed, pruned or failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        var path = _temp.Combine("sweep.lock.json");
        await File.WriteAllTextAsync(path, "old", TestContext.Current.CancellationToken);

        await SampleLock().WriteAsync(path, TestContext.Current.CancellationToken);

        Assert.StartsWith("{", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(["sweep.lock.json"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
    }
}
