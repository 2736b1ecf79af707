using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests.Sweeps;

public class SweepTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_SameSeedConcurrencyFourRandomDurations_GivesIdenticalConfigurationsAndBest()
    {
        var runs = new List<SweepResult>();

        for (var run = 0; run < 4; run++)
        {
            // Each run draws other durations, so trials finish in another order.
            var durations = new Random(run * 7919);
            var delays = Enumerable.Range(0, 40).Select(_ => durations.Next(0, 4)).ToArray();
            var sweep = new SweepBuilder("reproducible")
                .UseSampler(new HistoryDependentSampler())
                .Configure(o => { o.Seed = 42; o.MaxTrials = 40; o.MaxConcurrentTrials = 4; })
                .Build(QuadraticSpace.Instance);
            var agent = new InProcessTrialAgent(async (configuration, context, ct) =>
            {
                await Task.Delay(delays[context.TrialNumber], ct);
                return Objective(configuration);
            });

            runs.Add(await sweep.RunAsync(agent, Ct));
        }

        var first = runs[0];
        Assert.All(runs, r => Assert.Equal(first.Trials.Select(t => t.Configuration), r.Trials.Select(t => t.Configuration)));
        Assert.All(runs, r => Assert.Equal(first.BestTrial!.Number, r.BestTrial!.Number));
        Assert.All(runs, r => Assert.Equal(first.BestTrial!.Value, r.BestTrial!.Value));
    }

    [Fact]
    public async Task RunAsync_DefaultSamplerEightInFlightFinishingInOppositeOrders_GivesIdenticalConfigurations()
    {
        var runs = new List<(SweepResult Result, List<int> Finished)>();

        foreach (var reversed in new[] { false, true })
        {
            // Within each group of eight, the first trial finishes first in one run and last in the other.
            var finished = new ConcurrentQueue<int>();
            var sweep = new SweepBuilder("in-flight")
                .Configure(o => { o.Seed = 5; o.MaxTrials = 32; o.MaxConcurrentTrials = 8; })
                .Build(QuadraticSpace.Instance);
            var agent = new InProcessTrialAgent(async (configuration, context, ct) =>
            {
                var slot = context.TrialNumber % 8;
                await Task.Delay(5 * (reversed ? 7 - slot : slot), ct);
                finished.Enqueue(context.TrialNumber);
                return Objective(configuration);
            });

            runs.Add((await sweep.RunAsync(agent, Ct), [.. finished]));
        }

        Assert.NotEqual(runs[0].Finished, runs[1].Finished);
        Assert.Equal(runs[0].Result.Trials.Select(t => t.Configuration), runs[1].Result.Trials.Select(t => t.Configuration));
    }

    [Fact]
    public async Task RunAsync_SameSweepTwice_RecordsEachRunInItsOwnStoreAndRepeatsIt()
    {
        var sweep = new SweepBuilder("twice").Configure(o => { o.Seed = 9; o.MaxTrials = 10; o.MaxConcurrentTrials = 3; }).Build(QuadraticSpace.Instance);
        var agent = new InProcessTrialAgent((c, _) => Objective(c));

        var first = await sweep.RunAsync(agent, Ct);
        var second = await sweep.RunAsync(agent, Ct);

        Assert.Equal(10, second.Trials.Length);
        Assert.Equal(first.Trials.Select(t => t.Configuration), second.Trials.Select(t => t.Configuration));
    }

    [Fact]
    public async Task RunAsync_ConcurrencyFour_PassesTrialsUpToNMinusFourAsHistoryAndTheRestAsPending()
    {
        var sampler = new RecordingSampler();
        var sweep = new SweepBuilder("rule").UseSampler(sampler).Configure(o => { o.MaxTrials = 12; o.MaxConcurrentTrials = 4; }).Build(QuadraticSpace.Instance);

        await sweep.RunAsync(new InProcessTrialAgent((c, _) => Objective(c)), Ct);

        Assert.All(sampler.Contexts, c =>
        {
            var n = c.TrialNumber;
            Assert.Equal(Math.Max(0, n - 3), c.History.Count);
            Assert.All(c.History, t => Assert.True(t.IsFinished));
            Assert.Equal(n - Math.Max(0, n - 3), c.Pending.Count);
        });
    }

    [Fact]
    public async Task RunAsync_Trials_GetDerivedSeeds()
    {
        var seeds = new ConcurrentDictionary<int, long>();
        var sweep = new SweepBuilder("seeds").Configure(o => { o.Seed = 5; o.MaxTrials = 3; }).Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(new InProcessTrialAgent((c, context) => { seeds[context.TrialNumber] = context.Seed; return 1.0; }), Ct);

        Assert.All(result.Trials, t => Assert.Equal(SeededRandom.Derive(5, t.Number), seeds[t.Number]));
        Assert.All(result.Trials, t => Assert.Equal(SeededRandom.Derive(5, t.Number), t.Seed));
    }

    [Fact]
    public async Task RunAsync_MaxTrials_StopsAtThatManyTrials()
    {
        var sweep = new SweepBuilder("max-trials").Configure(o => o.MaxTrials = 7).Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(new InProcessTrialAgent((c, _) => Objective(c)), Ct);

        Assert.Equal(7, result.Trials.Length);
        Assert.Equal(Enumerable.Range(0, 7), result.Trials.Select(t => t.Number));
        Assert.Equal(SweepStopReason.MaxTrials, result.StopReason);
        Assert.Equal(7, result.Count(TrialState.Completed));
    }

    [Fact]
    public async Task RunAsync_MaxConcurrentTrials_NeverRunsMoreAtOnce()
    {
        var running = 0;
        var peak = 0;
        var threeRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sweep = new SweepBuilder("concurrency").Configure(o => { o.MaxTrials = 12; o.MaxConcurrentTrials = 3; }).Build(QuadraticSpace.Instance);
        var agent = new InProcessTrialAgent(async (configuration, context, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            if (now == 3)
            {
                threeRunning.TrySetResult();
            }

            if (context.TrialNumber < 3)
            {
                await threeRunning.Task.WaitAsync(ct);
            }

            await Task.Yield();
            Interlocked.Decrement(ref running);
            return Objective(configuration);
        });

        var result = await sweep.RunAsync(agent, Ct);

        Assert.Equal(3, peak);
        Assert.Equal(12, result.Count(TrialState.Completed));
    }

    [Fact]
    public async Task RunAsync_MaxDuration_StopsAndFailsTheTrialStillRunning()
    {
        var time = new FakeTimeProvider();
        var store = new InMemorySweepStore();
        var sweep = new SweepBuilder("duration")
            .UseTimeProvider(time)
            .UseStore(store)
            .Configure(o => { o.MaxTrials = 100; o.MaxDuration = TimeSpan.FromMinutes(2.5); })
            .Build(QuadraticSpace.Instance);

        // Each trial takes one minute of fake time; the deadline falls in the third.
        var result = await sweep.RunAsync(new InProcessTrialAgent((c, _) => { time.Advance(TimeSpan.FromMinutes(1)); return Objective(c); }), Ct);

        Assert.Equal(SweepStopReason.MaxDuration, result.StopReason);
        Assert.Equal(3, result.Trials.Length);
        Assert.Equal(2, result.Count(TrialState.Completed));
        Assert.Contains("maximum duration of 00:02:30", result.Trials[2].Error, StringComparison.Ordinal);
        Assert.DoesNotContain(store.GetTrials("duration"), t => t.State is TrialState.Running or TrialState.Pending);
    }

    [Fact]
    public async Task RunAsync_TrialTimeout_FailsThatTrialAndGoesOn()
    {
        var time = new FakeTimeProvider();
        var sweep = new SweepBuilder("timeout")
            .UseTimeProvider(time)
            .Configure(o => { o.MaxTrials = 3; o.TrialTimeout = TimeSpan.FromMinutes(1); })
            .Build(QuadraticSpace.Instance);
        var agent = new InProcessTrialAgent(async (configuration, context, ct) =>
        {
            if (context.TrialNumber == 1)
            {
                var training = Task.Delay(TimeSpan.FromMinutes(10), time, ct);
                time.Advance(TimeSpan.FromMinutes(2));
                await training;
            }

            return Objective(configuration);
        });

        var result = await sweep.RunAsync(agent, Ct);

        Assert.Equal([TrialState.Completed, TrialState.Failed, TrialState.Completed], result.Trials.Select(t => t.State));
        Assert.Equal("Trial 1 timed out after 00:01:00.", result.Trials[1].Error);
    }

    [Fact]
    public async Task RunAsync_NoImprovementInN_StopsAfterNTrialsWithoutImprovement()
    {
        double[] values = [5, 4, 6, 7, 8, 1, 1, 1];
        var sweep = new SweepBuilder("patience").Configure(o => { o.MaxTrials = 8; o.MaxTrialsWithoutImprovement = 3; }).Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(new InProcessTrialAgent((_, context) => values[context.TrialNumber]), Ct);

        Assert.Equal(SweepStopReason.NoImprovement, result.StopReason);
        Assert.Equal(5, result.Trials.Length);
        Assert.Equal(1, result.BestTrial!.Number);
    }

    [Theory]
    [InlineData(Goal.Minimize, new double[] { 10, 9, 8, 7, 6, 5 }, 7.0, 4)]
    [InlineData(Goal.Maximize, new double[] { 0.5, 0.7, 0.95, 0.99, 1.0 }, 0.9, 3)]
    public async Task RunAsync_TargetValueReached_Stops(Goal goal, double[] values, double target, int expectedTrials)
    {
        var sweep = new SweepBuilder("target").Configure(o => { o.Goal = goal; o.MaxTrials = values.Length; o.TargetValue = target; }).Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(new InProcessTrialAgent((_, context) => values[context.TrialNumber]), Ct);

        Assert.Equal(SweepStopReason.TargetReached, result.StopReason);
        Assert.Equal(expectedTrials, result.Trials.Length);
    }

    [Fact]
    public async Task RunAsync_GridSampler_EndsWhenTheGridIsExhausted()
    {
        var space = new SearchSpace([Parameter.Choice("kernel", ["linear", "rbf"]), Parameter.IntRange("depth", 1, 3)]);
        var sweep = new SweepBuilder("grid").UseSampler(new GridSamplerOptions()).Configure(o => { o.MaxTrials = 100; o.MaxConcurrentTrials = 2; }).Build(space);

        var result = await sweep.RunAsync(new InProcessTrialAgent((c, _) => c.GetInt64("depth")), Ct);

        Assert.Equal(SweepStopReason.SearchSpaceExhausted, result.StopReason);
        Assert.Equal(space.EnumerateGrid(), result.Trials.Select(t => t.Configuration));
    }

    [Fact]
    public async Task RunAsync_SobolSampler_StratifiesEachParameterOverThePowerOfTwoTrials()
    {
        var space = new SearchSpace([Parameter.Uniform("a", 0, 1), Parameter.Uniform("b", 0, 1)]);
        var sweep = new SweepBuilder("sobol").UseSampler(new SobolSamplerOptions()).Configure(o => { o.Seed = 3; o.MaxTrials = 16; o.MaxConcurrentTrials = 4; }).Build(space);

        var result = await sweep.RunAsync(new InProcessTrialAgent((c, _) => c.GetDouble("a")), Ct);

        Assert.Equal(16, result.Trials.Select(t => (int)(t.Configuration.GetDouble("a") * 16)).Distinct().Count());
        Assert.Equal(16, result.Trials.Select(t => (int)(t.Configuration.GetDouble("b") * 16)).Distinct().Count());
    }

    [Fact]
    public async Task RunAsync_TrialThrows_MarksItFailedWithItsMessageAndGoesOn()
    {
        var sweep = new SweepBuilder("throws").Configure(o => o.MaxTrials = 3).Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(new InProcessTrialAgent((c, context) =>
            context.TrialNumber == 1 ? throw new InvalidOperationException("Out of memory in fold 2.") : Objective(c)), Ct);

        Assert.Equal([TrialState.Completed, TrialState.Failed, TrialState.Completed], result.Trials.Select(t => t.State));
        Assert.Equal("InvalidOperationException: Out of memory in fold 2.", result.Trials[1].Error);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public async Task RunAsync_NonFiniteObjective_MarksTheTrialFailedWithThatReason(double objective, string text)
    {
        var sweep = new SweepBuilder("nan").Configure(o => o.MaxTrials = 2).Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(new InProcessTrialAgent((_, context) => context.TrialNumber == 0 ? objective : 1.0), Ct);

        Assert.Equal(TrialState.Failed, result.Trials[0].State);
        Assert.Equal($"Trial 0 returned {text} as its objective; a completed trial needs a finite value.", result.Trials[0].Error);
        Assert.Equal(TrialState.Completed, result.Trials[1].State);
    }

    [Fact]
    public async Task RunAsync_FailureWithRetries_RunsTheTrialAgainAndCompletes()
    {
        var attempts = new ConcurrentDictionary<int, int>();
        var sweep = new SweepBuilder("retries").Configure(o => { o.MaxTrials = 2; o.MaxRetries = 2; }).Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(new InProcessTrialAgent((c, context) =>
            attempts.AddOrUpdate(context.TrialNumber, 1, (_, a) => a + 1) < 3 ? throw new IOException("Flaky disk.") : Objective(c)), Ct);

        Assert.All(result.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.All(result.Trials, t => Assert.Equal(3, t.Attempts));
    }

    [Fact]
    public async Task RunAsync_FailureBeyondRetries_MarksTheTrialFailed()
    {
        var sweep = new SweepBuilder("retries-spent").Configure(o => { o.MaxTrials = 2; o.MaxRetries = 1; }).Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(new InProcessTrialAgent((c, context) =>
            context.TrialNumber == 0 ? throw new IOException("Disk gone.") : Objective(c)), Ct);

        Assert.Equal(TrialState.Failed, result.Trials[0].State);
        Assert.Equal(2, result.Trials[0].Attempts);
        Assert.Equal(TrialState.Completed, result.Trials[1].State);
    }

    [Fact]
    public async Task RunAsync_EveryTrialFails_ThrowsSayingSoWithTheFirstFailure()
    {
        var sweep = new SweepBuilder("all-fail").Configure(o => { o.MaxTrials = 3; o.MaxConcurrentTrials = 2; }).Build(QuadraticSpace.Instance);

        var exception = await Assert.ThrowsAsync<SweepFailedException>(() =>
            sweep.RunAsync(new InProcessTrialAgent((_, context) => throw new FileNotFoundException($"Could not find 'data/train.csv' (trial {context.TrialNumber}).")), Ct));

        Assert.Equal(
            "Sweep 'all-fail' has no result: all 3 of its trials failed. The first failure, trial 0: FileNotFoundException: Could not find 'data/train.csv' (trial 0). Fix that error and run the sweep again.",
            exception.Message);
        Assert.Equal(0, exception.FirstFailure!.Number);
    }

    [Fact]
    public async Task RunAsync_BanditPolicy_PrunesTheLosingTrial()
    {
        var sweep = new SweepBuilder("bandit")
            .UseEarlyStopping(new BanditPolicyOptions { SlackFactor = 0.2 })
            .Configure(o => { o.Goal = Goal.Maximize; o.MaxTrials = 2; })
            .Build(QuadraticSpace.Instance);
        var agent = new InProcessTrialAgent(async (_, context, ct) =>
        {
            var value = context.TrialNumber == 0 ? 0.8 : 0.5;
            context.Report(1, value);
            if (context.TrialNumber == 1)
            {
                // Early stopping answers asynchronously; a losing trial sees it through its token or IsStopRequested.
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }

            return value;
        });

        var result = await sweep.RunAsync(agent, Ct);

        Assert.Equal(TrialState.Completed, result.Trials[0].State);
        Assert.Equal(TrialState.Pruned, result.Trials[1].State);
        Assert.Equal([new StepValue(1, 0.5)], result.Trials[1].Steps);
    }

    [Fact]
    public async Task RunAsync_StoppedTrialReturnsAValue_IsRecordedPruned()
    {
        var sweep = new SweepBuilder("pruned-return")
            .UseEarlyStopping(new BanditPolicyOptions { SlackAmount = 0.1 })
            .Configure(o => { o.Goal = Goal.Minimize; o.MaxTrials = 2; })
            .Build(QuadraticSpace.Instance);
        var agent = new InProcessTrialAgent(async (_, context, ct) =>
        {
            var value = context.TrialNumber == 0 ? 1.0 : 3.0;
            var steps = context.TrialNumber == 0 ? 3 : 1000;
            for (var step = 1; step <= steps && !context.IsStopRequested; step++)
            {
                context.Report(step, value);
                await Task.Delay(1, CancellationToken.None);
            }

            return value;
        });

        var result = await sweep.RunAsync(agent, Ct);

        Assert.Equal(TrialState.Pruned, result.Trials[1].State);
        Assert.Null(result.Trials[1].Value);
    }

    [Fact]
    public async Task RunAsync_EnqueuedDefaults_AreTrialZeroAndTheSamplerStartsAfter()
    {
        var sampler = new RecordingSampler();
        var sweep = new SweepBuilder("defaults")
            .UseSampler(sampler)
            .EnqueueDefaults()
            .Enqueue(new Dictionary<string, object?> { ["X"] = 0.25, ["Depth"] = 4 })
            .Configure(o => o.MaxTrials = 4)
            .Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(new InProcessTrialAgent((c, _) => Objective(c)), Ct);

        Assert.Equal(QuadraticSpace.Instance.DefaultConfiguration, result.Trials[0].Configuration);
        Assert.Equal(0.25, result.Trials[1].Configuration.GetDouble("X"));
        Assert.Equal([2, 3], sampler.Contexts.Select(c => c.TrialNumber));
        Assert.Equal([0, 1], sampler.Contexts.Select(c => c.SampleIndex));
    }

    [Fact]
    public async Task RunAsync_WarmStart_GivesPriorTrialsToTheSampler()
    {
        var prior = await new SweepBuilder("prior").Configure(o => o.MaxTrials = 5).Build(QuadraticSpace.Instance)
            .RunAsync(new InProcessTrialAgent((c, _) => Objective(c)), Ct);
        var sampler = new RecordingSampler();
        var sweep = new SweepBuilder("warm").UseSampler(sampler).WarmStart(prior.Trials).Configure(o => o.MaxTrials = 1).Build(QuadraticSpace.Instance);

        await sweep.RunAsync(new InProcessTrialAgent((c, _) => Objective(c)), Ct);

        Assert.Equal(prior.Trials.Select(t => t.Configuration), sampler.Contexts[0].History.Select(t => t.Configuration));
    }

    [Fact]
    public void Build_WarmStartFromAnotherSpace_KeepsTrialsThatFitAndSkipsTheOthers()
    {
        var old = new SearchSpace([Parameter.Uniform("X", 0, 2), Parameter.IntRange("Depth", 1, 4), Parameter.Uniform("Dropped", 0, 1)]);
        Trial[] prior =
        [
            new(0, old.FromDictionary(new Dictionary<string, object?> { ["X"] = 0.5, ["Depth"] = 2L, ["Dropped"] = 0.1 }), TrialState.Completed, 1.0),
            new(1, old.FromDictionary(new Dictionary<string, object?> { ["X"] = 1.5, ["Depth"] = 2L, ["Dropped"] = 0.1 }), TrialState.Completed, 2.0),
        ];

        var sweep = new SweepBuilder("subset").WarmStart(prior).Build(QuadraticSpace.Instance);

        var kept = Assert.Single(sweep.WarmStartTrials);
        Assert.Equal(0.5, kept.Configuration.GetDouble("X"));
        Assert.Same(QuadraticSpace.Instance, kept.Configuration.Space);
        Assert.Equal(1, sweep.SkippedWarmStartTrials);
    }

    [Fact]
    public async Task RunAsync_Experiment_PreparesOnceAndRunsTypedTrials()
    {
        var experiment = new QuadraticExperiment();
        var sweep = new SweepBuilder("experiment").Configure(o => { o.MaxTrials = 20; o.MaxConcurrentTrials = 4; }).Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(experiment, Ct);

        Assert.Equal(1, experiment.Preparations);
        Assert.Equal(20, result.Count(TrialState.Completed));
        Assert.Equal(result.Trials.Min(t => t.Value), result.BestTrial!.Value);
        Assert.Equal(result.Trials[0].Configuration.GetDouble("X"), result.Trials[0].Metrics["x"]);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsAndLeavesNoTrialRunning()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var store = new InMemorySweepStore();
        var sweep = new SweepBuilder("cancelled").UseStore(store).Configure(o => { o.MaxTrials = 10; o.MaxConcurrentTrials = 2; }).Build(QuadraticSpace.Instance);
        var agent = new InProcessTrialAgent(async (c, context, ct) =>
        {
            if (context.TrialNumber == 3)
            {
                await cancellation.CancelAsync();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }

            return Objective(c);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sweep.RunAsync(agent, cancellation.Token));

        var trials = store.GetTrials("cancelled");
        Assert.DoesNotContain(trials, t => t.State == TrialState.Running);
        Assert.True(trials[3].IsInterrupted);
        Assert.All(trials.Where(t => !t.IsFinished), t => Assert.True(t.IsInterrupted));
        Assert.Equal(SweepStopReason.Cancelled, store.GetStopReason("cancelled"));
    }

    [Fact]
    public async Task RunAsync_ResumedAfterCancel_RunsInterruptedTrialsAgainWithTheirConfigurations()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var store = new InMemorySweepStore();
        SweepBuilder Builder(ISweepStore into) => new SweepBuilder("interrupted").UseStore(into).Configure(o => { o.MaxTrials = 6; o.MaxConcurrentTrials = 2; o.Seed = 5; });
        var interrupted = new InProcessTrialAgent(async (c, context, ct) =>
        {
            if (context.TrialNumber == 3)
            {
                await cancellation.CancelAsync();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }

            return Objective(c);
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Builder(store).Build(QuadraticSpace.Instance).RunAsync(interrupted, cancellation.Token));
        var before = store.GetTrials("interrupted");
        var reruns = new ConcurrentBag<int>();

        var result = await Builder(store).Build(QuadraticSpace.Instance).RunAsync(new InProcessTrialAgent((c, context) => { reruns.Add(context.TrialNumber); return Objective(c); }), Ct);
        var uninterrupted = await Builder(new InMemorySweepStore()).Build(QuadraticSpace.Instance).RunAsync(new InProcessTrialAgent((c, _) => Objective(c)), Ct);

        Assert.Equal(6, result.Count(TrialState.Completed));
        Assert.Contains(3, reruns);
        Assert.Contains(before, t => t.IsInterrupted);
        Assert.All(before.Where(t => t.IsInterrupted), t => Assert.Equal(t.Configuration, result.Trials[t.Number].Configuration));
        Assert.Equal(uninterrupted.Trials.Select(t => t.Configuration), result.Trials.Select(t => t.Configuration));
    }

    [Fact]
    public async Task RunAsync_SamplerThrows_PropagatesAndLeavesNoTrialRunning()
    {
        var store = new InMemorySweepStore();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sweep = new SweepBuilder("sampler-throws").UseStore(store).UseSampler(new ThrowingSampler(failAt: 2)).Configure(o => { o.MaxTrials = 10; o.MaxConcurrentTrials = 3; }).Build(QuadraticSpace.Instance);
        var agent = new InProcessTrialAgent(async (c, _, ct) => { await release.Task.WaitAsync(ct); return Objective(c); });

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => sweep.RunAsync(agent, Ct));

        release.SetResult();
        Assert.Equal("No proposal for trial 2.", exception.Message);
        Assert.All(store.GetTrials("sampler-throws"), t => Assert.Equal(TrialState.Failed, t.State));
    }

    [Fact]
    public async Task RunAsync_StoreWithUnfinishedTrials_ResumesThemWithoutRepeatingCompletedOnes()
    {
        var store = new InMemorySweepStore();
        var first = new SweepBuilder("resume").UseStore(store).Configure(o => o.MaxTrials = 3).Build(QuadraticSpace.Instance);
        await first.RunAsync(new InProcessTrialAgent((c, _) => Objective(c)), Ct);
        var runs = new ConcurrentBag<int>();
        var second = new SweepBuilder("resume").UseStore(store).Configure(o => o.MaxTrials = 5).Build(QuadraticSpace.Instance);

        var result = await second.RunAsync(new InProcessTrialAgent((c, context) => { runs.Add(context.TrialNumber); return Objective(c); }), Ct);

        Assert.Equal([3, 4], runs.Order());
        Assert.Equal(5, result.Count(TrialState.Completed));
    }

    [Fact]
    public async Task RunAsync_ReportedSteps_AreRecordedInTheStore()
    {
        var store = new InMemorySweepStore();
        var sweep = new SweepBuilder("steps").UseStore(store).Configure(o => o.MaxTrials = 1).Build(QuadraticSpace.Instance);

        await sweep.RunAsync(new InProcessTrialAgent((_, context) => { context.Report(1, 0.3); context.Report(2, 0.2); return 0.2; }), Ct);

        Assert.Equal([new StepValue(1, 0.3), new StepValue(2, 0.2)], store.GetTrials("steps")[0].Steps);
        Assert.Equal(SweepStopReason.MaxTrials, store.GetStopReason("steps"));
    }

    [Fact]
    public async Task RunAsync_StepsThatDoNotIncrease_FailTheTrial()
    {
        var sweep = new SweepBuilder("bad-steps").Configure(o => o.MaxTrials = 2).Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(new InProcessTrialAgent((_, context) =>
        {
            context.Report(2, 0.3);
            if (context.TrialNumber == 0)
            {
                context.Report(1, 0.2);
            }

            return 0.2;
        }), Ct);

        Assert.Equal("ArgumentException: Trial 0 reported step 1 after step 2; steps must increase. (Parameter 'step')", result.Trials[0].Error);
    }

    [Fact]
    public async Task RunAsync_NonFiniteStepValue_FailsTheTrialSayingSo()
    {
        var sweep = new SweepBuilder("nan-step").Configure(o => o.MaxTrials = 2).Build(QuadraticSpace.Instance);

        var result = await sweep.RunAsync(new InProcessTrialAgent((_, context) =>
        {
            context.Report(1, context.TrialNumber == 0 ? double.NaN : 0.5);
            return 0.5;
        }), Ct);

        Assert.Equal("ArgumentException: Trial 0 reported NaN at step 1; step values must be finite. (Parameter 'value')", result.Trials[0].Error);
        Assert.Equal(TrialState.Completed, result.Trials[1].State);
    }

    [Fact]
    public async Task RunAsync_ThrowIfStopRequested_RecordsThePrunedTrial()
    {
        var sweep = new SweepBuilder("throw-if-stopped")
            .UseEarlyStopping(new MedianStoppingPolicyOptions())
            .Configure(o => { o.Goal = Goal.Maximize; o.MaxTrials = 2; })
            .Build(QuadraticSpace.Instance);
        var agent = new InProcessTrialAgent(async (_, context, ct) =>
        {
            var value = context.TrialNumber == 0 ? 0.9 : 0.1;
            for (var step = 1; step <= 3; step++)
            {
                context.Report(step, value);
                while (context.TrialNumber == 1 && !context.IsStopRequested)
                {
                    await Task.Delay(1, CancellationToken.None);
                }

                context.ThrowIfStopRequested();
            }

            return value;
        });

        var result = await sweep.RunAsync(agent, Ct);

        Assert.Equal([TrialState.Completed, TrialState.Pruned], result.Trials.Select(t => t.State));
    }

    internal static double Objective(Configuration configuration) =>
        Math.Pow(configuration.GetDouble("X") - 0.3, 2) + (0.01 * configuration.GetInt64("Depth"));

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class ThrowingSampler(int failAt) : ISampler
    {
        public Configuration? Suggest(SamplerContext context) =>
            context.TrialNumber == failAt ? throw new InvalidOperationException($"No proposal for trial {failAt}.") : context.Space.Sample(context.CreateRandom());
    }

    private sealed class QuadraticExperiment : IExperiment<QuadraticParameters>
    {
        private int _preparations;

        public int Preparations => _preparations;

        public async ValueTask PrepareAsync(ExperimentContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _preparations);
            await Task.Delay(5, cancellationToken);
        }

        public ValueTask<TrialResult> RunTrialAsync(QuadraticParameters parameters, TrialContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new TrialResult(Math.Pow(parameters.X - 0.3, 2)) { Metrics = System.Collections.Immutable.ImmutableDictionary<string, double>.Empty.Add("x", parameters.X) });

        public ValueTask RetrainAsync(QuadraticParameters parameters, ExperimentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
