using System.Collections.Immutable;
using System.Globalization;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;
using Tune.Pipeline.Testing.MLflow;

namespace Tune.Pipeline.Tracking.MLflow.Tests;

/// <summary>The forwarder over a real SQLite store file and <see cref="FakeMLflowServer"/>, the test double of MLFLOW.md.</summary>
public sealed class MLflowForwarderTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly SearchSpace Space = new([
        Parameter.LogUniform("LearningRate", 0.001, 0.3),
        Parameter.Choice("NGrams", ["unigram", "bigram"]),
    ]);

    private readonly FakeMLflowServer _server = FakeMLflowServer.Start();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tune-mlflow-forwarder-");
    private readonly List<IAsyncDisposable> _stores = [];
    private readonly List<string> _warnings = [];
    private readonly MovableClock _clock = new(Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string StorePath => Path.Combine(_directory.FullName, "tune.db");

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await _server.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public void RunKey_SweepNamedLikeATrialKey_DiffersFromThatTrialsKey()
    {
        Assert.NotEqual(MLflowForwarder.RunKey("a", 1), MLflowForwarder.RunKey("a/1", null));
        Assert.Equal("a%2F1", MLflowForwarder.RunKey("a/1", null));
        Assert.Equal("a/1", MLflowForwarder.RunKey("a", 1));
    }

    [Fact]
    public async Task DeliverPendingAsync_ClosedSweep_MapsSweepToParentAndTrialsToChildRuns()
    {
        var store = OpenStore();
        await WriteThreeTrialSweepAsync(store);

        var delivered = await DeliverAsync(store);

        var parent = Assert.Single(_server.Runs, r => r.Name == "mapping");
        var completed = Assert.Single(_server.Runs, r => r.Name == "trial-0");
        Assert.Equal(("FINISHED", Start.ToUnixTimeMilliseconds(), Start.AddMinutes(5).ToUnixTimeMilliseconds()), (parent.Status, parent.StartTime, parent.EndTime!.Value));
        Assert.Equal("faq-matching", _server.Experiments.Single(e => e.Id == parent.ExperimentId).Name);
        Assert.Equal(("RandomSampler", "7", "Maximize", "auc", "3"), (parent.Params["sampler"], parent.Params["seed"], parent.Params["goal"], parent.Params["objective"], parent.Params["max_trials"]));
        Assert.Equal(Space.Fingerprint, parent.Params["space_fingerprint"]);
        Assert.Equal(("0", completed.Id, "MaxTrials"), (parent.Tags["tune.best_trial"], parent.Tags["tune.best_run_id"], parent.Tags["tune.stop_reason"]));
        Assert.Equal(0.8, Assert.Single(parent.Metrics, m => m.Key == "best_auc").Value);
        Assert.All(_server.Runs.Where(r => r != parent), r => Assert.Equal(parent.Id, r.Tags[MLflowClient.ParentRunIdTag]));
        Assert.Equal((2, 6, 3, 0, 4), (delivered.SweepEvents, delivered.TrialEvents, delivered.StepValues, delivered.Skipped, delivered.RunsCreated));
    }

    [Fact]
    public async Task DeliverPendingAsync_CompletedTrial_LogsChoiceValuesStepsWithTheirStepsFinalValueAndTimes()
    {
        var store = OpenStore();
        await WriteThreeTrialSweepAsync(store);

        await DeliverAsync(store);

        var run = Assert.Single(_server.Runs, r => r.Name == "trial-0");
        Assert.Equal(("0.1", "bigram"), (run.Params["LearningRate"], run.Params["NGrams"]));
        Assert.Equal([(1L, 0.6), (2L, 0.7), (2L, 0.8)], run.Metrics.Where(m => m.Key == "auc").Select(m => (m.Step, m.Value)));
        Assert.Equal(0.95, Assert.Single(run.Metrics, m => m.Key == "precision").Value);
        Assert.Equal(("FINISHED", Start.AddMinutes(1).ToUnixTimeMilliseconds(), Start.AddMinutes(2).ToUnixTimeMilliseconds()), (run.Status, run.StartTime, run.EndTime!.Value));
        Assert.Equal("mapping/0", run.Tags[MLflowForwarder.RunKeyTag]);
    }

    [Fact]
    public async Task DeliverPendingAsync_FailedTrialWithLongError_EndsFailedWithTheErrorCutAndSaidSo()
    {
        var store = OpenStore();
        await WriteThreeTrialSweepAsync(store);

        await DeliverAsync(store);

        var run = Assert.Single(_server.Runs, r => r.Name == "trial-1");
        Assert.Equal("FAILED", run.Status);
        Assert.InRange(run.Tags["tune.error"].Length, 4000, 5000);
        Assert.StartsWith("InvalidOperationException: xxxx", run.Tags["tune.error"], StringComparison.Ordinal);
        Assert.Contains("truncated by Tune.Pipeline: 6027 characters", run.Tags["tune.error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverPendingAsync_PrunedTrial_EndsKilledAndTagged()
    {
        var store = OpenStore();
        await WriteThreeTrialSweepAsync(store);

        await DeliverAsync(store);

        var run = Assert.Single(_server.Runs, r => r.Name == "trial-2");
        Assert.Equal(("KILLED", "true"), (run.Status, run.Tags["tune.pruned"]));
        Assert.Equal([(1L, 0.2)], run.Metrics.Select(m => (m.Step, m.Value)));
    }

    [Fact]
    public async Task DeliverPendingAsync_Twice_SendsNothingTheSecondTime()
    {
        var store = OpenStore();
        await WriteThreeTrialSweepAsync(store);
        await DeliverAsync(store);
        var requests = _server.Requests.Count;

        var again = await DeliverAsync(store);

        Assert.Equal(0, again.Total);
        Assert.Equal(requests, _server.Requests.Count);
        Assert.Equal(0, (await store.GetOutboxBacklogAsync(Ct)).Count);
    }

    [Fact]
    public async Task DeliverPendingAsync_AnotherForwarderHoldsTheStore_IsRefusedSendingNothingUntilItLetsGo()
    {
        var store = OpenStore();
        await WriteThreeTrialSweepAsync(store);
        using var client = Client(maxRetries: 2);
        var sweeping = new MLflowForwarder(store, client);
        await sweeping.DeliverPendingAsync(Ct);
        await store.SaveTrialAsync("mapping", new Trial(3, Space.CreateConfiguration([0.3, "bigram"]), TrialState.Pending, null), Ct);
        var requests = _server.Requests.Count;
        await using var syncing = new MLflowForwarder(store, client);

        var refused = await Assert.ThrowsAsync<MLflowForwarderBusyException>(() => syncing.DeliverPendingAsync(Ct));
        var sentMeanwhile = _server.Requests.Count - requests;
        await sweeping.DisposeAsync();
        var delivered = await syncing.DeliverPendingAsync(Ct);

        Assert.Equal(sweeping.Owner, refused.Holder);
        Assert.Contains("nothing is lost", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, sentMeanwhile);
        Assert.Equal(1, delivered.TrialEvents);
    }

    [Fact]
    public async Task DeliverPendingAsync_CreateAnswerLost_FindsTheRunByItsKeyInsteadOfCreatingASecond()
    {
        var store = OpenStore();
        await WriteThreeTrialSweepAsync(store);
        _server.LoseNextAnswers("runs/create", 2);

        var first = await Assert.ThrowsAsync<MLflowException>(() => DeliverAsync(store));
        var second = await Assert.ThrowsAsync<MLflowException>(() => DeliverAsync(store));
        await DeliverAsync(store);

        Assert.True(first.IsTransient && second.IsTransient, first.Message + " / " + second.Message);
        Assert.Equal(4, _server.Runs.Count);
        Assert.Equal(4, _server.Runs.Select(r => r.Tags[MLflowForwarder.RunKeyTag]).Distinct().Count());
        Assert.Equal(4, _server.RequestsTo("runs/create").Count);
        Assert.Equal(2, _server.RequestsTo("runs/search").Count);
    }

    [Fact]
    public async Task DeliverPendingAsync_CrashedBeforeRecordingAnything_SendsNoRunOrValueTwice()
    {
        var store = OpenStore();
        await WriteThreeTrialSweepAsync(store);
        await DeliverAsync(store);
        var runs = _server.Runs.Count;

        // As if the process had died after MLflow took everything: the run id of trial 1 and every delivery unrecorded.
        await store.SetTrackingRunAsync("mapping", 1, null, Ct);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={StorePath};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE outbox SET delivered_at = NULL";
            await command.ExecuteNonQueryAsync(Ct);
        }

        var again = await DeliverAsync(OpenStore());

        Assert.Equal(11, again.Total);
        Assert.Equal(0, again.RunsCreated);
        Assert.Equal(runs, _server.Runs.Count);
        Assert.Equal(0, _server.IgnoredDuplicateMetrics);
        Assert.Equal([(1L, 0.6), (2L, 0.7), (2L, 0.8)], Assert.Single(_server.Runs, r => r.Name == "trial-0").Metrics.Where(m => m.Key == "auc").Select(m => (m.Step, m.Value)));
    }

    [Fact]
    public async Task DeliverPendingAsync_ServerDown_KeepsEveryMessagePendingAndDeliversWhenBack()
    {
        var store = OpenStore();
        await WriteThreeTrialSweepAsync(store);
        _server.GoDown();

        var error = await Assert.ThrowsAsync<MLflowException>(() => DeliverAsync(store));
        var pending = (await store.GetOutboxBacklogAsync(Ct)).Count;
        _server.ComeBack();
        var delivered = await DeliverAsync(store);

        Assert.Equal(MLflowErrorCodes.Unavailable, error.ErrorCode);
        Assert.Equal(11, pending);
        Assert.Equal(11, delivered.Total);
        Assert.Equal(4, _server.Runs.Count);
    }

    [Fact]
    public async Task DeliverPendingAsync_RunDeletedOnTheServerSide_SkipsTheMessageWithAWarningAndGoesOn()
    {
        var store = OpenStore();
        await store.SetTrackingRunAsync("mapping", 0, "no-such-run", Ct);
        await store.SetTrackingExperimentAsync("mapping", "0", Ct);
        await WriteThreeTrialSweepAsync(store);

        var delivered = await DeliverAsync(store);

        Assert.Equal(4, delivered.Skipped);
        Assert.All(_warnings, w => Assert.Contains("sweep 'mapping', trial 0", w, StringComparison.Ordinal));
        Assert.Contains(_warnings, w => w.Contains("RESOURCE_DOES_NOT_EXIST", StringComparison.Ordinal));
        Assert.Equal("FAILED", Assert.Single(_server.Runs, r => r.Name == "trial-1").Status);
    }

    [Fact]
    public async Task RunAsync_ServerDownMidSweep_DeliversEveryTrialStepAndStatusExactlyOnce()
    {
        var sweepStore = OpenStore(TimeProvider.System);
        var forwarderStore = OpenStore(TimeProvider.System);
        await sweepStore.SetTrackingNamesAsync("outage", "outage-experiment", "loss", Ct);
        var outageSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var skipped = new List<string>();
        var agent = new StepReportingAgent(_server, downAtTrial: 8, backAtTrial: 20, outageSeen.Task);
        var sweep = new SweepBuilder("outage")
            .UseSampler(new RandomSamplerOptions())
            .UseEarlyStopping(new MedianStoppingPolicyOptions())
            .UseStore(sweepStore)
            .Configure(o =>
            {
                o.Goal = Goal.Minimize;
                o.MaxTrials = 30;
                o.MaxConcurrentTrials = 2;
                o.MaxRetries = 0;
                o.Seed = 11;
            })
            .Build(Space);
        using var client = Client(maxRetries: 1);
        await using var forwarder = new MLflowForwarder(forwarderStore, client, new MLflowForwarderOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(5),
            OutageRetryInterval = TimeSpan.FromMilliseconds(20),
            Warning = skipped.Add,
            Unavailable = e =>
            {
                _warnings.Add(e.Message);
                outageSeen.TrySetResult();
            },
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var background = forwarder.RunAsync(stop.Token);
        var result = await sweep.RunAsync(agent, Ct);
        await stop.CancelAsync();
        await background;
        await forwarder.DeliverPendingAsync(Ct);

        Assert.Equal(30, result.Trials.Length);
        Assert.True(agent.WentDown, "The server never went down during the sweep.");
        Assert.Single(_warnings);
        Assert.Empty(skipped);
        Assert.Equal(0, (await forwarderStore.GetOutboxBacklogAsync(Ct)).Count);
        var trials = await sweepStore.GetTrialsAsync("outage", Space, Ct);
        AssertTrackedExactlyOnce("outage", trials);
    }

    private void AssertTrackedExactlyOnce(string sweepName, IReadOnlyList<Trial> trials)
    {
        var parent = Assert.Single(_server.Runs, r => r.Name == sweepName);
        Assert.Equal("FINISHED", parent.Status);
        Assert.Equal(trials.Count + 1, _server.Runs.Count);
        foreach (var trial in trials)
        {
            var run = Assert.Single(_server.Runs, r => r.Name == $"trial-{trial.Number}");
            Assert.Equal(parent.Id, run.Tags[MLflowClient.ParentRunIdTag]);
            var expectedStatus = trial.State switch
            {
                TrialState.Completed => "FINISHED",
                TrialState.Failed => "FAILED",
                _ => "KILLED",
            };
            Assert.Equal(expectedStatus, run.Status);
            Assert.Equal(trial.StartedAt!.Value.ToUnixTimeMilliseconds(), run.StartTime);
            Assert.Equal(trial.EndedAt!.Value.ToUnixTimeMilliseconds(), run.EndTime);
            Assert.Equal(trial.Configuration.GetDouble("LearningRate"), double.Parse(run.Params["LearningRate"], CultureInfo.InvariantCulture));
            Assert.Equal(trial.Configuration["NGrams"], run.Params["NGrams"]);
            IEnumerable<(long, double)> expected = trial.Steps.Select(s => (s.Step, s.Value));
            if (trial.Value is { } value)
            {
                expected = expected.Append((trial.Steps[^1].Step, value));
            }

            Assert.Equal(expected, run.Metrics.Where(m => m.Key == "loss").Select(m => (m.Step, m.Value)));
        }

        Assert.Equal(0, _server.IgnoredDuplicateMetrics);
    }

    [Fact]
    public async Task DeliverPendingAsync_SweepStoppedByCtrlC_KillsItsRunAndTheInterruptedTrialsRunTaggingThem()
    {
        var store = OpenStore();
        _clock.Now = Start;
        var sweep = new SweepBuilder("stopped").UseSampler(new RandomSamplerOptions()).Configure(o => o.MaxTrials = 2).Build(Space);
        await store.SetTrackingNamesAsync("stopped", "faq-matching", "auc", Ct);
        await store.OpenSweepAsync(sweep, Ct);
        var running = new Trial(0, Space.CreateConfiguration([0.1, "bigram"]), TrialState.Running, null) { Attempts = 1, StartedAt = Start };
        await store.SaveTrialAsync("stopped", running, Ct);
        await store.SaveTrialAsync("stopped", running with { State = TrialState.Pending, IsInterrupted = true, StartedAt = null }, Ct);
        await store.CloseSweepAsync("stopped", SweepStopReason.Cancelled, Ct);

        await DeliverAsync(store);

        var trial = Assert.Single(_server.Runs, r => r.Name == "trial-0");
        Assert.Equal(("KILLED", "true"), (trial.Status, trial.Tags["tune.interrupted"]));
        Assert.False(trial.Tags.ContainsKey("tune.pruned"));
        Assert.Equal("KILLED", Assert.Single(_server.Runs, r => r.Name == "stopped").Status);
    }

    /// <summary>Writes, through the store's own API, the sweep the mapping tests read: completed, failed, pruned.</summary>
    private async Task WriteThreeTrialSweepAsync(SqliteSweepStore store)
    {
        _clock.Now = Start;
        var sweep = new SweepBuilder("mapping")
            .UseSampler(new RandomSamplerOptions())
            .Configure(o =>
            {
                o.Goal = Goal.Maximize;
                o.MaxTrials = 3;
                o.Seed = 7;
            })
            .Build(Space);
        await store.SetTrackingNamesAsync("mapping", "faq-matching", "auc", Ct);
        await store.OpenSweepAsync(sweep, Ct);
        var steps = ImmutableArray.Create(new StepValue(1, 0.6), new StepValue(2, 0.7));
        await RecordTrialAsync(store, new Trial(0, Space.CreateConfiguration([0.1, "bigram"]), TrialState.Completed, 0.8)
        {
            Metrics = ImmutableDictionary<string, double>.Empty.Add("precision", 0.95),
        }, steps, 1);
        await RecordTrialAsync(store, new Trial(1, Space.CreateConfiguration([0.01, "unigram"]), TrialState.Failed, null)
        {
            Error = "InvalidOperationException: " + new string('x', 6000),
        }, [], 3);
        await RecordTrialAsync(store, new Trial(2, Space.CreateConfiguration([0.2, "unigram"]), TrialState.Pruned, null), [new StepValue(1, 0.2)], 4);
        _clock.Now = Start.AddMinutes(5);
        await store.CloseSweepAsync("mapping", SweepStopReason.MaxTrials, Ct);
    }

    private static async Task RecordTrialAsync(SqliteSweepStore store, Trial finished, ImmutableArray<StepValue> steps, int minute)
    {
        var running = finished with { State = TrialState.Running, Value = null, Error = null, Attempts = 1, StartedAt = Start.AddMinutes(minute) };
        await store.SaveTrialAsync("mapping", running, Ct);
        foreach (var step in steps)
        {
            await store.AppendStepAsync("mapping", finished.Number, step, Ct);
        }

        await store.SaveTrialAsync("mapping", running with { State = finished.State, Value = finished.Value, Error = finished.Error, EndedAt = Start.AddMinutes(minute + 1), Steps = steps }, Ct);
    }

    private async Task<MLflowDelivery> DeliverAsync(SqliteSweepStore store)
    {
        using var client = Client(maxRetries: 2);
        await using var forwarder = new MLflowForwarder(store, client, new MLflowForwarderOptions { Warning = _warnings.Add });
        return await forwarder.DeliverPendingAsync(Ct);
    }

    private MLflowClient Client(int maxRetries) => new(new MLflowClientOptions
    {
        TrackingUri = _server.Uri,
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
    });

    private SqliteSweepStore OpenStore(TimeProvider? clock = null)
    {
        var store = new SqliteSweepStore(StorePath, clock ?? _clock);
        _stores.Add(store);
        return store;
    }

    /// <summary>A clock that stands still where the test puts it: the store's timestamps become predictable.</summary>
    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>
    /// Reports five steps per trial, fails every seventh trial, and takes the MLflow server down when trial
    /// <c>downAtTrial</c> starts and brings it back when trial <c>backAtTrial</c> starts, once the forwarder has met
    /// the outage (so that a slow machine cannot hide it).
    /// </summary>
    private sealed class StepReportingAgent(FakeMLflowServer server, int downAtTrial, int backAtTrial, Task outageSeen) : ITrialAgent
    {
        public bool WentDown { get; private set; }

        public async ValueTask<TrialResult> RunTrialAsync(Configuration configuration, TrialContext context, CancellationToken cancellationToken)
        {
            if (context.TrialNumber == downAtTrial)
            {
                server.GoDown();
                WentDown = true;
            }
            else if (context.TrialNumber == backAtTrial)
            {
                await outageSeen.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                server.ComeBack();
            }

            if (context.TrialNumber % 7 == 6)
            {
                throw new InvalidOperationException($"Trial {context.TrialNumber} fails on purpose.");
            }

            var rate = configuration.GetDouble("LearningRate");
            var loss = 1.0;
            for (var step = 1; step <= 5; step++)
            {
                context.ThrowIfStopRequested();
                loss = Math.Abs(rate - 0.05) + (1.0 / step);
                context.Report(step, loss);
                await Task.Delay(2, cancellationToken);
            }

            // A final evaluation, after the last step's.
            return loss * 0.99;
        }
    }
}
