using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests.Sweeps;

public class InMemorySweepStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Sweep Sweep = new SweepBuilder("store").Build(QuadraticSpace.Instance);

    [Fact]
    public async Task SaveTrialAsync_NumberWithAGap_Throws()
    {
        var store = new InMemorySweepStore();
        await store.OpenSweepAsync(Sweep, Ct);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveTrialAsync("store", Trial(1), Ct).AsTask());

        Assert.Contains("trial numbers are gapless", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloseSweepAsync_TrialStillRunning_Throws()
    {
        var store = new InMemorySweepStore();
        await store.OpenSweepAsync(Sweep, Ct);
        await store.SaveTrialAsync("store", Trial(0) with { State = TrialState.Running }, Ct);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => store.CloseSweepAsync("store", SweepStopReason.MaxTrials, Ct).AsTask());

        Assert.Contains("never leaves a trial running", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSweepAsync_SameNameOtherSpace_Throws()
    {
        var store = new InMemorySweepStore();
        await store.OpenSweepAsync(Sweep, Ct);
        var other = new SweepBuilder("store").Build(new SearchSpace([Parameter.Uniform("Momentum", 0, 1)]));

        var exception = await Assert.ThrowsAsync<SweepConflictException>(() => store.OpenSweepAsync(other, Ct).AsTask());

        Assert.Contains("was created with another search space", exception.Message, StringComparison.Ordinal);
        Assert.Equal("store", exception.SweepName);
    }

    [Fact]
    public async Task OpenSweepAsync_CreateAnExistingSweep_ThrowsSweepConflict()
    {
        var store = new InMemorySweepStore();
        await store.OpenSweepAsync(Sweep, Ct);
        var again = new SweepBuilder("store").Configure(o => o.OpenMode = SweepOpenMode.Create).Build(QuadraticSpace.Instance);

        var exception = await Assert.ThrowsAsync<SweepConflictException>(() => store.OpenSweepAsync(again, Ct).AsTask());

        Assert.Equal("Sweep 'store' already exists in the in-memory store. Pass --resume to continue it, or name a new one with --sweep.", exception.Message);
    }

    [Fact]
    public async Task OpenSweepAsync_ResumeAnUnknownSweep_ThrowsSweepConflict()
    {
        var store = new InMemorySweepStore();
        var resume = new SweepBuilder("store").Configure(o => o.OpenMode = SweepOpenMode.Resume).Build(QuadraticSpace.Instance);

        var exception = await Assert.ThrowsAsync<SweepConflictException>(() => store.OpenSweepAsync(resume, Ct).AsTask());

        Assert.Equal("Sweep 'store' does not exist in the in-memory store, so it cannot be resumed. Leave out --resume to start it.", exception.Message);
    }

    [Fact]
    public async Task OpenSweepAsync_SameNameOtherGoal_ThrowsNamingBothGoals()
    {
        var store = new InMemorySweepStore();
        await store.OpenSweepAsync(Sweep, Ct);
        var other = new SweepBuilder("store").Configure(o => o.Goal = Goal.Maximize).Build(QuadraticSpace.Instance);

        var exception = await Assert.ThrowsAsync<SweepConflictException>(() => store.OpenSweepAsync(other, Ct).AsTask());

        Assert.Contains("goal Minimize, now Maximize", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSweepAsync_Resumed_KeepsTheSettingsRecordedAtCreation()
    {
        var store = new InMemorySweepStore();
        await store.OpenSweepAsync(new SweepBuilder("store").Configure(o => o.Settings = "{\"a\":1}").Build(QuadraticSpace.Instance), Ct);

        await store.OpenSweepAsync(new SweepBuilder("store").Configure(o => { o.OpenMode = SweepOpenMode.Resume; o.Settings = "{\"a\":2}"; }).Build(QuadraticSpace.Instance), Ct);

        Assert.Equal("{\"a\":1}", store.GetSettings("store"));
    }

    [Fact]
    public async Task SaveTrialAsync_Retry_DiscardsTheEarlierAttemptsSteps()
    {
        var store = new InMemorySweepStore();
        await store.OpenSweepAsync(Sweep, Ct);
        await store.SaveTrialAsync("store", Trial(0) with { State = TrialState.Running, Attempts = 1 }, Ct);
        await store.AppendStepAsync("store", 0, new StepValue(1, 0.5), Ct);

        await store.SaveTrialAsync("store", Trial(0) with { State = TrialState.Running, Attempts = 2 }, Ct);

        Assert.Empty(store.GetTrials("store")[0].Steps);
    }

    private static Trial Trial(int number) => new(number, QuadraticSpace.Instance.DefaultConfiguration, TrialState.Pending, null);
}
