using System.Collections.Immutable;
using System.Data.Common;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores.Tests;

/// <summary>One suite, run against every store: the <see cref="ISweepStore"/> contract, the trial queue and the outbox.</summary>
public abstract class SweepStoreContractTests : IAsyncDisposable
{
    private readonly List<SqlSweepStore> _stores = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static SearchSpace Space { get; } = new([
        Parameter.Uniform("LearningRate", 0, 1),
        Parameter.IntRange("Depth", 1, 8),
        Parameter.Choice("Booster", ["gbtree", "dart"]),
        Parameter.Choice("Shrink", [0.5, 1.0]),
    ]);

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await DisposeDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task OpenSweepAsync_NewSweep_ReturnsNoTrials()
    {
        var store = await OpenAsync();

        var trials = await store.OpenSweepAsync(Build("new"), Ct);

        Assert.Empty(trials);
    }

    [Fact]
    public async Task SaveTrialAsync_Reopened_ReturnsParametersStateResultAndMetrics()
    {
        var store = await OpenAsync();
        var sweep = Build("round-trip");
        await store.OpenSweepAsync(sweep, Ct);
        var started = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var trial = new Trial(0, Configuration(0.125, 3, "dart", 1.0), TrialState.Completed, 0.75)
        {
            Seed = 42,
            Attempts = 2,
            StartedAt = started,
            EndedAt = started.AddSeconds(3),
            Metrics = ImmutableDictionary<string, double>.Empty.Add("auc", 0.9),
        };

        await store.SaveTrialAsync(sweep.Name, trial, Ct);
        var reopened = await (await OpenAsync()).OpenSweepAsync(sweep, Ct);

        var read = Assert.Single(reopened);
        Assert.Equal(trial.Configuration, read.Configuration);
        Assert.Equal((TrialState.Completed, 0.75, 42L, 2), (read.State, read.Value!.Value, read.Seed, read.Attempts));
        Assert.Equal((started, started.AddSeconds(3)), (read.StartedAt!.Value, read.EndedAt!.Value));
        Assert.Equal(0.9, read.Metrics["auc"]);
    }

    [Fact]
    public async Task SaveTrialAsync_ChoicesStoredAsValues_JsonNamesTheValue()
    {
        var store = await OpenAsync();
        var sweep = Build("choices");
        await store.OpenSweepAsync(sweep, Ct);

        await store.SaveTrialAsync(sweep.Name, new Trial(0, Configuration(0.5, 1, "dart", 0.5), TrialState.Pending, null), Ct);
        var outbox = await store.ReadOutboxAsync(100, Ct);

        Assert.Contains(outbox, m => m.Kind == "trial" && m.Payload.Contains("\"Booster\":\"dart\"", StringComparison.Ordinal) && m.Payload.Contains("\"Shrink\":0.5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SaveTrialAsync_NumberLeavesGap_Throws()
    {
        var store = await OpenAsync();
        var sweep = Build("gap");
        await store.OpenSweepAsync(sweep, Ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await store.SaveTrialAsync(sweep.Name, new Trial(1, Configuration(0.5, 1, "dart", 0.5), TrialState.Pending, null), Ct));

        Assert.Contains("gap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveTrialAsync_Retry_DiscardsEarlierSteps()
    {
        var store = await OpenAsync();
        var sweep = Build("retry");
        await store.OpenSweepAsync(sweep, Ct);
        var trial = new Trial(0, Configuration(0.5, 1, "dart", 0.5), TrialState.Running, null) { Attempts = 1 };
        await store.SaveTrialAsync(sweep.Name, trial, Ct);
        await store.AppendStepAsync(sweep.Name, 0, new StepValue(1, 0.3), Ct);

        await store.SaveTrialAsync(sweep.Name, trial with { Attempts = 2 }, Ct);
        var trials = await store.GetTrialsAsync(sweep.Name, Space, Ct);

        Assert.Empty(trials[0].Steps);
    }

    [Fact]
    public async Task AppendStepAsync_SameStepTwice_RecordsItOnce()
    {
        var store = await OpenAsync();
        var sweep = Build("steps");
        await store.OpenSweepAsync(sweep, Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(0, Configuration(0.5, 1, "dart", 0.5), TrialState.Running, null) { Attempts = 1 }, Ct);

        await store.AppendStepAsync(sweep.Name, 0, new StepValue(1, 0.3), Ct);
        await store.AppendStepAsync(sweep.Name, 0, new StepValue(1, 0.3), Ct);
        await store.AppendStepAsync(sweep.Name, 0, new StepValue(2, 0.2), Ct);
        var trials = await store.GetTrialsAsync(sweep.Name, Space, Ct);

        Assert.Equal([new StepValue(1, 0.3), new StepValue(2, 0.2)], trials[0].Steps);
    }

    [Fact]
    public async Task OpenSweepAsync_OtherSearchSpace_ThrowsNamingTheSweep()
    {
        var store = await OpenAsync();
        await store.OpenSweepAsync(Build("space"), Ct);
        var other = new SweepBuilder("space").Build(new SearchSpace([Parameter.Uniform("Momentum", 0, 1)]));

        var error = await Assert.ThrowsAsync<SweepConflictException>(async () => await store.OpenSweepAsync(other, Ct));

        Assert.Contains("'space'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"(fingerprint {Space.Fingerprint}, now {other.Space.Fingerprint})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimControllerAsync_HeldByAnother_ReturnsTheHolderUntilReleasedOrStale()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();

        var claimed = await first.ClaimControllerAsync("claimed", "m/1/a", TimeSpan.FromMinutes(1), Ct);
        var refused = await second.ClaimControllerAsync("claimed", "m/2/b", TimeSpan.FromMinutes(1), Ct);
        var renewed = await first.ClaimControllerAsync("claimed", "m/1/a", TimeSpan.FromMinutes(1), Ct);
        var otherSweep = await second.ClaimControllerAsync("other", "m/2/b", TimeSpan.FromMinutes(1), Ct);
        var takenOverWhenStale = await second.ClaimControllerAsync("claimed", "m/2/b", TimeSpan.FromMilliseconds(-1), Ct);
        await second.ReleaseControllerAsync("claimed", "m/2/b", Ct);
        var free = await first.ClaimControllerAsync("claimed", "m/1/a", TimeSpan.FromMinutes(1), Ct);

        Assert.Equal("m/1/a", claimed.Owner);
        Assert.Equal("m/1/a", refused.Owner);
        Assert.Equal("m/1/a", renewed.Owner);
        Assert.Equal("m/2/b", otherSweep.Owner);
        Assert.Equal("m/2/b", takenOverWhenStale.Owner);
        Assert.Equal("m/1/a", free.Owner);
    }

    [Fact]
    public async Task OpenSweepAsync_CreateAnExistingSweep_ThrowsSweepConflictNamingSweepAndStore()
    {
        var store = await OpenAsync();
        await store.OpenSweepAsync(Build("taken"), Ct);

        var error = await Assert.ThrowsAsync<SweepConflictException>(async () => await store.OpenSweepAsync(Build("taken", SweepOpenMode.Create), Ct));

        Assert.Equal($"Sweep 'taken' already exists in {store.DisplayName}. Pass --resume to continue it, or name a new one with --sweep.", error.Message);
        Assert.Equal("taken", error.SweepName);
    }

    [Fact]
    public async Task OpenSweepAsync_ResumeAnUnknownSweep_ThrowsSweepConflictAndCreatesNothing()
    {
        var store = await OpenAsync();

        var error = await Assert.ThrowsAsync<SweepConflictException>(async () => await store.OpenSweepAsync(Build("absent", SweepOpenMode.Resume), Ct));

        Assert.Equal($"Sweep 'absent' does not exist in {store.DisplayName}, so it cannot be resumed. Leave out --resume to start it.", error.Message);
        Assert.Null(await store.GetSweepStatusAsync("absent", Ct));
    }

    [Fact]
    public async Task OpenSweepAsync_ResumeWithAnotherGoal_ThrowsNamingBothGoals()
    {
        var store = await OpenAsync();
        await store.OpenSweepAsync(Build("goal"), Ct);
        var other = new SweepBuilder("goal").Configure(o => { o.Goal = Goal.Maximize; o.OpenMode = SweepOpenMode.Resume; }).Build(Space);

        var error = await Assert.ThrowsAsync<SweepConflictException>(async () => await store.OpenSweepAsync(other, Ct));

        Assert.Contains($"Sweep 'goal' in {store.DisplayName} was created with goal Minimize, now Maximize.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSweepAsync_ResumeAnExistingSweep_ReturnsItsTrials()
    {
        var store = await OpenAsync();
        await store.OpenSweepAsync(Build("resumable", SweepOpenMode.Create), Ct);
        await store.SaveTrialAsync("resumable", new Trial(0, Configuration(0.5, 1, "dart", 0.5), TrialState.Completed, 0.5), Ct);

        var trials = await (await OpenAsync()).OpenSweepAsync(Build("resumable", SweepOpenMode.Resume), Ct);

        Assert.Equal(0.5, Assert.Single(trials).Value);
    }

    [Fact]
    public async Task GetSweepStatusAsync_Resumed_ReturnsTheSettingsRecordedAtCreation()
    {
        var store = await OpenAsync();
        await store.OpenSweepAsync(new SweepBuilder("settings").Configure(o => o.Settings = "{\"maxTrials\":6,\"sampler\":\"tpe\"}").Build(Space), Ct);
        await store.OpenSweepAsync(new SweepBuilder("settings").Configure(o => { o.OpenMode = SweepOpenMode.Resume; o.Settings = "{\"maxTrials\":9}"; }).Build(Space), Ct);

        var status = await (await OpenAsync()).GetSweepStatusAsync("settings", Ct);

        Assert.Equal("{\"maxTrials\":6,\"sampler\":\"tpe\"}", status!.Settings);
    }

    [Fact]
    public async Task GetSweepStatusAsync_DefinitionWrittenBeforeSettings_ReadsNoSettings()
    {
        var store = await OpenAsync();
        await store.OpenSweepAsync(Build("older"), Ct);
        await ExecuteRawAsync(store,
            "UPDATE sweeps SET definition = '{\"name\":\"older\",\"fingerprint\":\"f\",\"goal\":\"Minimize\",\"seed\":3,\"maxTrials\":5,\"maxConcurrentTrials\":2,\"maxRetries\":1," +
            "\"sampler\":\"TpeSampler\",\"earlyStoppingPolicy\":\"NoEarlyStoppingPolicy\",\"parameters\":[]}' WHERE name = 'older'");

        var status = await store.GetSweepStatusAsync("older", Ct);

        Assert.Null(status!.Settings);
        Assert.Equal((5, 2, 1, "tpe"), (status.MaxTrials!.Value, status.MaxConcurrentTrials!.Value, status.MaxRetries!.Value, status.SamplerName));
    }

    [Fact]
    public async Task SweepRunAsync_TwoControllersCreateOneNameAtOnce_ExactlyOneRunsEveryTrialOnce()
    {
        const int maxTrials = 6;
        for (var round = 0; round < 20; round++)
        {
            var name = $"race-{round}";
            var stores = new[] { await OpenAsync(), await OpenAsync() };
            var sweeps = stores.Select(store => new SweepBuilder(name)
                .UseStore(store)
                .Configure(o => { o.OpenMode = SweepOpenMode.Create; o.MaxTrials = maxTrials; o.MaxConcurrentTrials = 2; o.Seed = round; })
                .Build(Space)).ToArray();
            using var start = new Barrier(2);

            var runs = sweeps.Select(sweep => Task.Run(async () =>
            {
                start.SignalAndWait(Ct);
                return await sweep.RunAsync(new InProcessTrialAgent((c, _) => c.GetDouble("LearningRate")), Ct);
            })).ToArray();
            var outcomes = await Task.WhenAll(runs.Select(async run =>
            {
                try
                {
                    return (Result: await run, Conflict: (SweepConflictException?)null);
                }
                catch (SweepConflictException conflict)
                {
                    return (Result: (SweepResult?)null, Conflict: conflict);
                }
            }));

            Assert.Single(outcomes, o => o.Result is not null);
            Assert.Equal(name, Assert.Single(outcomes, o => o.Conflict is not null).Conflict!.SweepName);
            var trials = await stores[0].GetStoredTrialsAsync(name, Ct);
            Assert.Equal(Enumerable.Range(0, maxTrials), trials.Select(t => t.Number));
            Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        }
    }

    [Fact]
    public async Task CloseSweepAsync_TrialRunning_Throws()
    {
        var store = await OpenAsync();
        var sweep = Build("close");
        await store.OpenSweepAsync(sweep, Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(0, Configuration(0.5, 1, "dart", 0.5), TrialState.Running, null) { Attempts = 1 }, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CloseSweepAsync(sweep.Name, SweepStopReason.MaxTrials, Ct));
    }

    [Fact]
    public async Task ReadOutboxAsync_MarkedDelivered_ReturnsOnlyTheRest()
    {
        var store = await OpenAsync();
        var sweep = Build("outbox");
        await store.OpenSweepAsync(sweep, Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(0, Configuration(0.5, 1, "dart", 0.5), TrialState.Running, null) { Attempts = 1 }, Ct);
        await store.AppendStepAsync(sweep.Name, 0, new StepValue(1, 0.3), Ct);
        var first = await store.ReadOutboxAsync(100, Ct);

        await store.MarkDeliveredAsync(first.Take(2).Select(m => m.Id), Ct);
        var rest = await store.ReadOutboxAsync(100, Ct);

        Assert.Equal(["sweep", "trial", "step"], first.Select(m => m.Kind));
        Assert.Equal(first.Skip(2).Select(m => m.Id), rest.Select(m => m.Id));
    }

    [Fact]
    public async Task SweepRunAsync_InProcessAgent_RecordsEveryTrialOnceAndClosesTheSweep()
    {
        var store = await OpenAsync();
        var sweep = new SweepBuilder("run").UseStore(store).Configure(o => { o.MaxTrials = 12; o.MaxConcurrentTrials = 3; o.Seed = 7; }).Build(Space);

        var result = await sweep.RunAsync(new InProcessTrialAgent((c, t) => c.GetDouble("LearningRate")), Ct);
        var status = await store.GetSweepStatusAsync("run", Ct);

        Assert.Equal(12, (await store.GetTrialsAsync("run", Space, Ct)).Count(t => t.State == TrialState.Completed));
        Assert.Equal((true, SweepStopReason.MaxTrials, 12), (status!.IsClosed, status.StopReason!.Value, status.TrialCounts[TrialState.Completed]));
        Assert.Equal(result.BestTrial!.Number, status.BestTrialNumber);
    }

    [Fact]
    public async Task LeaseAsync_TwoAgents_EachLeasesADifferentTrialInNumberOrder()
    {
        var (store, sweep) = await QueueTwoTrialsAsync("lease");
        var other = await OpenAsync();

        var first = await store.LeaseAsync(sweep, "agent-a", Ct);
        var second = await other.LeaseAsync(sweep, "agent-b", Ct);
        var none = await other.LeaseAsync(sweep, "agent-b", Ct);

        Assert.Equal((0, 1), (first!.Number, second!.Number));
        Assert.Null(none);
    }

    [Fact]
    public async Task CompleteLeaseAsync_ByOwner_ShowsResultInThePoll()
    {
        var (store, sweep) = await QueueTwoTrialsAsync("complete");
        var leased = await store.LeaseAsync(sweep, "agent-a", Ct);

        var recorded = await store.CompleteLeaseAsync(sweep, leased!.Number, leased.Attempt, "agent-a", 0.25, null, null, Ct);
        var poll = await store.PollQueueAsync(sweep, Ct);

        Assert.True(recorded);
        var row = Assert.Single(poll, r => r.Number == 0);
        Assert.Equal((QueueState.Done, 0.25), (row.Queue, row.ResultValue!.Value));
    }

    [Fact]
    public async Task LeaseAsync_RecordsTheAgentWithTheTrial_AfterItsLeaseEnds()
    {
        var (store, sweep) = await QueueTwoTrialsAsync("agent");
        var leased = await store.LeaseAsync(sweep, "host/42/0badcafe/cuda:1", Ct);
        await store.CompleteLeaseAsync(sweep, leased!.Number, leased.Attempt, "host/42/0badcafe/cuda:1", 0.25, null, null, Ct);

        var trials = await store.GetStoredTrialsAsync(sweep, Ct);

        Assert.Equal("host/42/0badcafe/cuda:1", Assert.Single(trials, t => t.Number == leased.Number).Agent);
        Assert.Null(Assert.Single(trials, t => t.Number != leased.Number).Agent);
    }

    [Fact]
    public async Task ReclaimLeaseAsync_HeartbeatStale_RevokesTheLeaseAndIgnoresTheLateAgent()
    {
        var (store, sweep) = await QueueTwoTrialsAsync("reclaim");
        var leased = await store.LeaseAsync(sweep, "agent-a", Ct);

        var reclaimed = await store.ReclaimLeaseAsync(sweep, 0, leased!.Attempt, store.Now() + 1, Ct);
        var late = await store.CompleteLeaseAsync(sweep, 0, leased.Attempt, "agent-a", 0.25, null, null, Ct);
        var heartbeat = await store.HeartbeatAsync(sweep, 0, leased.Attempt, "agent-a", Ct);

        Assert.True(reclaimed);
        Assert.False(late);
        Assert.False(heartbeat.Held);
    }

    [Fact]
    public async Task SaveTrialAsync_Interrupted_RevokesTheLeaseSoNeitherAgentNorQueueKeepsTheTrial()
    {
        var (store, sweep) = await QueueTwoTrialsAsync("interrupt");
        var leased = await store.LeaseAsync(sweep, "agent-a", Ct);
        var trial = new Trial(0, Configuration(0.5, 1, "dart", 0.5), TrialState.Pending, null) { Attempts = 1, IsInterrupted = true };

        await store.SaveTrialAsync(sweep, trial, Ct);
        var late = await store.CompleteLeaseAsync(sweep, 0, leased!.Attempt, "agent-a", 0.25, null, null, Ct);
        var reread = await store.GetTrialsAsync(sweep, Space, Ct);

        Assert.False(late);
        Assert.Null(await store.GetQueuedAttemptAsync(sweep, 0, Ct));
        Assert.True(reread[0].IsInterrupted);
    }

    [Fact]
    public async Task AppendLeasedStepAsync_StopRequested_TellsTheAgent()
    {
        var (store, sweep) = await QueueTwoTrialsAsync("stop");
        var leased = await store.LeaseAsync(sweep, "agent-a", Ct);
        await store.RequestStopAsync(sweep, 0, leased!.Attempt, Ct);

        var answer = await store.AppendLeasedStepAsync(sweep, 0, leased.Attempt, "agent-a", new StepValue(1, 0.5), Ct);

        Assert.Equal((true, true), answer);
    }

    [Fact]
    public async Task OpenSweepAsync_AgentFinishedAfterTheControllerDied_KeepsTheResult()
    {
        var (store, sweep) = await QueueTwoTrialsAsync("settle");
        var leased = await store.LeaseAsync(sweep, "agent-a", Ct);
        await store.CompleteLeaseAsync(sweep, 0, leased!.Attempt, "agent-a", 0.25, null, null, Ct);

        var trials = await (await OpenAsync()).OpenSweepAsync(Build(sweep), Ct);

        Assert.Equal((TrialState.Completed, 0.25), (trials[0].State, trials[0].Value!.Value));
        Assert.Equal(TrialState.Pending, trials[1].State);
    }

    [Fact]
    public async Task OpenSweepAsync_StoreWrittenByNewerVersion_ThrowsNamingBothVersions()
    {
        var store = await OpenAsync();
        await store.OpenSweepAsync(Build("old"), Ct);
        await ExecuteRawAsync(store, "UPDATE tune_schema SET version = 99");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await (await OpenAsync()).OpenSweepAsync(Build("old"), Ct));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains($"schema version {SqlSweepStore.SchemaVersion} and older", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetTrackingRunAsync_CreateInFlightThenAnswered_ReadsBackTheIdAndTheNames()
    {
        var store = await OpenAsync();
        await store.SetTrackingNamesAsync("tracked", "faq-matching", "auc", Ct);
        await store.SetTrackingExperimentAsync("tracked", "7", Ct);
        await store.SetTrackingRunAsync("tracked", null, "parent-run", Ct);
        await store.SetTrackingRunAsync("tracked", 0, null, Ct);
        await store.SetTrackingRunAsync("tracked", 1, null, Ct);
        await store.SetTrackingRunAsync("tracked", 1, "trial-1-run", Ct);

        var tracked = await (await OpenAsync()).GetTrackingAsync("tracked", Ct);

        Assert.Equal(("faq-matching", "auc", "7"), (tracked.ExperimentName, tracked.ObjectiveMetric, tracked.ExperimentId));
        Assert.Equal("parent-run", tracked.Runs[TrackedSweep.SweepRunNumber]);
        Assert.Null(tracked.Runs[0]);
        Assert.Equal("trial-1-run", tracked.Runs[1]);
    }

    [Fact]
    public async Task ClaimForwarderAsync_SecondForwarder_IsRefusedUntilTheFirstReleasesOrGoesStale()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();

        var claimed = await first.ClaimForwarderAsync("sweep process", TimeSpan.FromMinutes(1), Ct);
        var renewed = await first.ClaimForwarderAsync("sweep process", TimeSpan.FromMinutes(1), Ct);
        var refused = await second.ClaimForwarderAsync("sync process", TimeSpan.FromMinutes(1), Ct);
        await first.ReleaseForwarderAsync("sweep process", Ct);
        var afterRelease = await second.ClaimForwarderAsync("sync process", TimeSpan.FromMinutes(1), Ct);
        await Task.Delay(50, Ct);
        var takenOver = await first.ClaimForwarderAsync("restarted sweep", TimeSpan.FromMilliseconds(10), Ct);

        Assert.Equal(("sweep process", "sweep process", "sweep process"), (claimed, renewed, refused));
        Assert.Equal(("sync process", "restarted sweep"), (afterRelease, takenOver));
    }

    [Fact]
    public async Task OpenSweepAsync_SchemaVersion1Store_MigratesKeepingTrialsAndOutbox()
    {
        var store = await OpenAsync();
        var sweep = Build("v1");
        await store.OpenSweepAsync(sweep, Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(0, Configuration(0.5, 2, "gbtree", 1.0), TrialState.Completed, 0.5), Ct);
        await ExecuteRawAsync(store, "ALTER TABLE trials DROP COLUMN interrupted");
        await ExecuteRawAsync(store, "ALTER TABLE trials DROP COLUMN agent");
        await ExecuteRawAsync(store, "DROP TABLE sweep_controllers");
        await ExecuteRawAsync(store, "DROP TABLE tracking_forwarder");
        await ExecuteRawAsync(store, "DROP TABLE tracking_runs");
        await ExecuteRawAsync(store, "DROP TABLE tracking_sweeps");
        await ExecuteRawAsync(store, "UPDATE tune_schema SET version = 1");

        var reopened = await OpenAsync();
        var trials = await reopened.OpenSweepAsync(sweep, Ct);
        await reopened.SetTrackingRunAsync(sweep.Name, 0, "run-0", Ct);
        var holder = await reopened.ClaimForwarderAsync("migrated", TimeSpan.FromMinutes(1), Ct);

        Assert.Equal("migrated", holder);
        Assert.Equal(0.5, Assert.Single(trials).Value);
        Assert.Equal(2, (await reopened.GetOutboxBacklogAsync(Ct)).Count);
        Assert.Equal("run-0", (await reopened.GetTrackingAsync(sweep.Name, Ct)).Runs[0]);
    }

    [Fact]
    public async Task OpenSweepAsync_SchemaVersion3Store_TurnsTheOldInterruptedTextIntoTheFlag()
    {
        var store = await OpenAsync();
        var sweep = Build("v3");
        await store.OpenSweepAsync(sweep, Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(0, Configuration(0.5, 2, "gbtree", 1.0), TrialState.Pending, null), Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(1, Configuration(0.5, 3, "gbtree", 1.0), TrialState.Failed, null) { Error = "IOException: disk full" }, Ct);
        await ExecuteRawAsync(store, "ALTER TABLE trials DROP COLUMN interrupted");
        await ExecuteRawAsync(store, "ALTER TABLE trials DROP COLUMN agent");
        await ExecuteRawAsync(store, "DROP TABLE sweep_controllers");
        await ExecuteRawAsync(store, $"UPDATE trials SET error = '{SqlSweepStore.LegacyInterruptedError}' WHERE number = 0");
        await ExecuteRawAsync(store, "UPDATE tune_schema SET version = 3");

        var reopened = await OpenAsync();
        var trials = await reopened.OpenSweepAsync(sweep, Ct);

        Assert.Equal((true, null), (trials[0].IsInterrupted, trials[0].Error));
        Assert.Equal((false, "IOException: disk full"), (trials[1].IsInterrupted, trials[1].Error));
    }

    [Fact]
    public async Task GetStoredTrialsAsync_TrialWithSteps_CarriesItsLastStepAndInterruption()
    {
        var store = await OpenAsync();
        var sweep = Build("last-step");
        await store.OpenSweepAsync(sweep, Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(0, Configuration(0.5, 2, "gbtree", 1.0), TrialState.Running, null) { Attempts = 1 }, Ct);
        await store.AppendStepAsync(sweep.Name, 0, new StepValue(1, 0.4), Ct);
        await store.AppendStepAsync(sweep.Name, 0, new StepValue(5, 0.3), Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(0, Configuration(0.5, 2, "gbtree", 1.0), TrialState.Pruned, null) { Attempts = 1 }, Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(1, Configuration(0.5, 3, "gbtree", 1.0), TrialState.Pending, null) { IsInterrupted = true }, Ct);

        var trials = await store.GetStoredTrialsAsync(sweep.Name, Ct);

        Assert.Equal((new StepValue(5, 0.3), false), (trials[0].LastStep, trials[0].IsInterrupted));
        Assert.Equal((null, true), (trials[1].LastStep, trials[1].IsInterrupted));
    }

    [Fact]
    public async Task GetStoredStepsAsync_TrialsWithSteps_ReturnsEachTrialsStepsInOrder()
    {
        var store = await OpenAsync();
        var sweep = Build("stored-steps");
        await store.OpenSweepAsync(sweep, Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(0, Configuration(0.5, 2, "gbtree", 1.0), TrialState.Running, null) { Attempts = 1 }, Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(1, Configuration(0.5, 3, "gbtree", 1.0), TrialState.Running, null) { Attempts = 1 }, Ct);
        await store.SaveTrialAsync(sweep.Name, new Trial(2, Configuration(0.5, 4, "gbtree", 1.0), TrialState.Running, null) { Attempts = 1 }, Ct);
        await store.AppendStepAsync(sweep.Name, 1, new StepValue(5, 0.3), Ct);
        await store.AppendStepAsync(sweep.Name, 0, new StepValue(2, 0.9), Ct);
        await store.AppendStepAsync(sweep.Name, 1, new StepValue(1, 0.4), Ct);

        var steps = await store.GetStoredStepsAsync(sweep.Name, Ct);

        Assert.Equal([0, 1], steps.Keys.Order());
        Assert.Equal([new StepValue(2, 0.9)], steps[0]);
        Assert.Equal([new StepValue(1, 0.4), new StepValue(5, 0.3)], steps[1]);
        Assert.Empty(await store.GetStoredStepsAsync("no-such-sweep", Ct));
    }

    [Fact]
    public async Task GetSweepStatusAsync_NewSweep_ReportsTheRecordedDefinition()
    {
        var store = await OpenAsync();
        var sweep = new SweepBuilder("defined").Configure(o => o.MaxTrials = 12).Build(Space);
        await store.OpenSweepAsync(sweep, Ct);

        var status = await store.GetSweepStatusAsync(sweep.Name, Ct);

        Assert.Equal((12, sweep.Sampler.GetType().Name, sweep.EarlyStoppingPolicy.GetType().Name), (status!.MaxTrials, status.Sampler, status.EarlyStoppingPolicy));
    }

    protected abstract Task<SqlSweepStore> CreateStoreAsync();

    protected virtual ValueTask DisposeDatabaseAsync() => ValueTask.CompletedTask;

    protected static Sweep Build(string name, SweepOpenMode mode = SweepOpenMode.CreateOrResume) =>
        new SweepBuilder(name).Configure(o => o.OpenMode = mode).Build(Space);

    private static Configuration Configuration(double learningRate, long depth, string booster, double shrink) =>
        Space.CreateConfiguration([learningRate, depth, booster, shrink]);

    private async Task<SqlSweepStore> OpenAsync()
    {
        var store = await CreateStoreAsync();
        _stores.Add(store);
        return store;
    }

    private async Task<(SqlSweepStore Store, string Sweep)> QueueTwoTrialsAsync(string name)
    {
        var store = await OpenAsync();
        store.QueueNewAttempts = true;
        await store.OpenSweepAsync(Build(name), Ct);
        for (var number = 0; number < 2; number++)
        {
            var trial = new Trial(number, Configuration(0.5, number + 1, "dart", 0.5), TrialState.Pending, null);
            await store.SaveTrialAsync(name, trial, Ct);
            await store.SaveTrialAsync(name, trial with { State = TrialState.Running, Attempts = 1 }, Ct);
            Assert.Equal(1, await store.GetQueuedAttemptAsync(name, number, Ct));
        }

        return (store, name);
    }

    private static async Task ExecuteRawAsync(SqlSweepStore store, string sql) =>
        await store.RunAsync((c, t, ct) => SqlSweepStore.ExecuteAsync(c, t, ct, sql), transaction: true, Ct);
}
