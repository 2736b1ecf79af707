using Tune.Pipeline.Testing;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting.Tests;

public sealed class SweepSummaryTests
{
    [Fact]
    public void Write_FinishedSweep_TableBestFirstMatchesSnapshot()
    {
        var console = TestConsoles.Redirected();

        SweepSummary.Write(console, Samples.Result(), "auc", Goal.Maximize);

        Snapshot.Match(console.Output, "SummaryTable");
    }

    [Fact]
    public void Write_Minimize_PutsLowestFirst()
    {
        var console = TestConsoles.Redirected();

        SweepSummary.Write(console, Samples.Result() with { BestTrial = Samples.Result().Trials[0] }, "loss", Goal.Minimize);

        var rows = console.Lines.Where(l => l.Contains("completed", StringComparison.Ordinal) && !l.Contains("best", StringComparison.Ordinal)).ToList();
        Assert.Contains("0.9123", rows[0], StringComparison.Ordinal);
        Assert.Contains("0.9344", rows[1], StringComparison.Ordinal);
        Assert.Contains("0.9501", rows[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_MaxRows_ShowsTopRowsAndCountsTheRest()
    {
        var console = TestConsoles.Redirected();

        SweepSummary.Write(console, Samples.Result(), "auc", Goal.Maximize, maxRows: 2);

        Assert.Contains("3 more not shown", console.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("failed  ", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoCompletedTrial_SaysSo()
    {
        var console = TestConsoles.Redirected();
        var result = Samples.Result();

        SweepSummary.Write(console, result with { Trials = [result.Trials[3]], BestTrial = null, StopReason = SweepStopReason.Cancelled }, "auc", Goal.Maximize);

        Assert.Contains("no trial completed", console.Output, StringComparison.Ordinal);
        Assert.Contains("stopped: cancelled", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LongRealValues_ShowsSixSignificantDigits()
    {
        var console = TestConsoles.Redirected();
        var trial = new Trial(0, Samples.Config(0.012345678901234567, 9, "dart"), TrialState.Completed, 0.987654321);

        SweepSummary.Write(console, new SweepResult("s", [trial], trial, SweepStopReason.MaxTrials), "auc", Goal.Maximize);

        Assert.Contains("LearningRate=0.0123457, Leaves=9, Booster=dart", console.Output, StringComparison.Ordinal);
        Assert.Contains("0.987654", console.Output, StringComparison.Ordinal);
    }
}
