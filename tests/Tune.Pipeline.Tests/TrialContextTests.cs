using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests;

public class TrialContextTests
{
    [Fact]
    public void Report_IncreasingSteps_ForwardsEachAndRemembersTheLast()
    {
        var context = new RecordingContext();

        context.Report(1, 0.5);
        context.Report(3, 0.6);

        Assert.Equal([new StepValue(1, 0.5), new StepValue(3, 0.6)], context.Forwarded);
        Assert.Equal(new StepValue(3, 0.6), context.LastReported);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public void Report_StepNotAboveTheLast_ThrowsAndForwardsNothing(long step)
    {
        var context = new RecordingContext();
        context.Report(3, 0.5);

        var error = Assert.Throws<ArgumentException>(() => context.Report(step, 0.6));

        Assert.Equal("step", error.ParamName);
        Assert.StartsWith($"Trial 4 reported step {step} after step 3; steps must increase.", error.Message, StringComparison.Ordinal);
        Assert.Single(context.Forwarded);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Report_NonFiniteValue_ThrowsAndForwardsNothing(double value)
    {
        var context = new RecordingContext();

        var error = Assert.Throws<ArgumentException>(() => context.Report(1, value));

        Assert.Equal("value", error.ParamName);
        Assert.Empty(context.Forwarded);
        Assert.Null(context.LastReported);
    }

    [Fact]
    public void Report_RejectedStep_DoesNotMoveTheLastStep()
    {
        var context = new RecordingContext();
        context.Report(1, 0.5);
        Assert.Throws<ArgumentException>(() => context.Report(2, double.NaN));

        context.Report(2, 0.7);

        Assert.Equal([new StepValue(1, 0.5), new StepValue(2, 0.7)], context.Forwarded);
    }

    [Fact]
    public void Report_AfterStopRequested_IsStillValidatedAndForwarded()
    {
        var context = new RecordingContext { Stop = true };
        context.Report(5, 0.5);

        Assert.Throws<ArgumentException>(() => context.Report(5, 0.6));

        Assert.Equal([new StepValue(5, 0.5)], context.Forwarded);
        Assert.Throws<TrialStoppedException>(context.ThrowIfStopRequested);
    }

    private sealed class RecordingContext() : TrialContext(4, seed: 1, threads: 1, artifactsDirectory: "artifacts")
    {
        public List<StepValue> Forwarded { get; } = [];

        public bool Stop { get; init; }

        public override bool IsStopRequested => Stop;

        protected override void OnReport(StepValue stepValue) => Forwarded.Add(stepValue);
    }
}
