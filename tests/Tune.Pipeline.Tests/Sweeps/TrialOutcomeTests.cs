using System.Collections.Immutable;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests.Sweeps;

public class TrialOutcomeTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Classify_FiniteObjective_IsCompletedWithValueAndMetrics()
    {
        var metrics = ImmutableDictionary<string, double>.Empty.Add("f1", 0.7);

        var outcome = TrialOutcome.Classify(3, new TrialResult(0.9) { Metrics = metrics }, null);

        Assert.Equal((TrialOutcomeKind.Completed, TrialState.Completed, 0.9, null), (outcome.Kind, outcome.State, outcome.Value, outcome.Error));
        Assert.Same(metrics, outcome.Metrics);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Classify_NonFiniteObjective_IsFailedNamingTheValue(double objective, string text)
    {
        var outcome = TrialOutcome.Classify(3, objective, null);

        Assert.Equal((TrialOutcomeKind.Failed, TrialState.Failed, null), (outcome.Kind, outcome.State, outcome.Value));
        Assert.Equal($"Trial 3 returned {text} as its objective; a completed trial needs a finite value.", outcome.Error);
    }

    [Fact]
    public void Classify_Exception_IsFailedWithTypeAndMessage()
    {
        var outcome = TrialOutcome.Classify(3, default, new IOException("disk full"));

        Assert.Equal((TrialOutcomeKind.Failed, "IOException: disk full"), (outcome.Kind, outcome.Error));
    }

    [Fact]
    public void Classify_RecordedFailure_KeepsItsTextAsIs()
    {
        var outcome = TrialOutcome.Classify(3, default, new TrialFailedException("IOException: disk full"));

        Assert.Equal((TrialOutcomeKind.Failed, "IOException: disk full"), (outcome.Kind, outcome.Error));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Classify_StopRequestedAndReturnedOrCancelled_IsPrunedWithoutValue(bool threw)
    {
        var outcome = TrialOutcome.Classify(3, 0.9, threw ? new TrialStoppedException() : null, stopRequested: true);

        Assert.Equal((TrialOutcomeKind.Pruned, TrialState.Pruned, null, null), (outcome.Kind, outcome.State, outcome.Value, outcome.Error));
    }

    [Fact]
    public void Classify_StopRequestedButOtherException_IsFailed()
    {
        var outcome = TrialOutcome.Classify(3, default, new InvalidOperationException("broken"), stopRequested: true);

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
    }

    [Fact]
    public void Classify_CancelledAfterTimeout_IsTimedOutNamingTheLimit()
    {
        var outcome = TrialOutcome.Classify(1, default, new OperationCanceledException(), timedOutAfter: TimeSpan.FromMinutes(1));

        Assert.Equal((TrialOutcomeKind.TimedOut, TrialState.Failed, "Trial 1 timed out after 00:01:00."), (outcome.Kind, outcome.State, outcome.Error));
    }

    [Fact]
    public void Classify_CancelledWithoutStopOrTimeout_IsFailed()
    {
        var outcome = TrialOutcome.Classify(1, default, new OperationCanceledException("gone"));

        Assert.Equal((TrialOutcomeKind.Failed, "OperationCanceledException: gone"), (outcome.Kind, outcome.Error));
    }

    [Fact]
    public void Classify_AgentLost_IsLostWithItsMessage()
    {
        var outcome = TrialOutcome.Classify(2, default, new TrialLostException("Agent 'a' stopped heartbeating."));

        Assert.Equal((TrialOutcomeKind.Lost, TrialState.Failed, "Agent 'a' stopped heartbeating."), (outcome.Kind, outcome.State, outcome.Error));
    }

    [Fact]
    public void Classify_SweepStopped_IsInterruptedWhateverTheTrialDid()
    {
        var outcome = TrialOutcome.Classify(2, 0.5, new OperationCanceledException(), stopRequested: true, timedOutAfter: TimeSpan.FromSeconds(1), interrupted: true);

        Assert.Equal((TrialOutcomeKind.Interrupted, TrialState.Pending), (outcome.Kind, outcome.State));
    }

    [Fact]
    public void ApplyTo_Interrupted_LeavesThePendingTrialFlaggedWithoutErrorOrAttemptData()
    {
        var running = Running() with { Steps = [new StepValue(1, 0.2)] };

        var trial = TrialOutcome.Interrupted.ApplyTo(running, Now);

        Assert.Equal((TrialState.Pending, true, null, null, null), (trial.State, trial.IsInterrupted, trial.Error, trial.StartedAt, trial.EndedAt));
        Assert.Empty(trial.Steps);
    }

    [Fact]
    public void ApplyTo_Completed_FinishesTheTrialWithValueMetricsAndEnd()
    {
        var metrics = ImmutableDictionary<string, double>.Empty.Add("f1", 0.7);
        var outcome = TrialOutcome.Classify(0, new TrialResult(0.9) { Metrics = metrics }, null);

        var trial = outcome.ApplyTo(Running() with { IsInterrupted = true }, Now);

        Assert.Equal((TrialState.Completed, 0.9, null, Now, false), (trial.State, trial.Value, trial.Error, trial.EndedAt, trial.IsInterrupted));
        Assert.Equal(0.7, trial.Metrics["f1"]);
    }

    [Fact]
    public void ApplyTo_Failure_RecordsTheErrorAndNoMetrics()
    {
        var trial = TrialOutcome.Failure("The sweep stopped on an error: boom").ApplyTo(Running(), Now);

        Assert.Equal((TrialState.Failed, null, "The sweep stopped on an error: boom"), (trial.State, trial.Value, trial.Error));
        Assert.Empty(trial.Metrics);
    }

    private static Trial Running() =>
        new(0, QuadraticSpace.Instance.CreateConfiguration([0.5, 2L]), TrialState.Running, null) { Attempts = 1, StartedAt = Now.AddMinutes(-1) };
}
