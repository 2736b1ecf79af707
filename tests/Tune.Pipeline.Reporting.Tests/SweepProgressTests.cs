using Tune.Pipeline.Testing;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console.Testing;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting.Tests;

public sealed class SweepProgressTests
{
    private static readonly Func<string, string?> NoCi = _ => null;

    private static SweepProgressOptions Options(SweepProgressMode mode = SweepProgressMode.Auto) =>
        new() { Experiment = "breast-cancer", ObjectiveMetric = "auc", Goal = Goal.Maximize, MaxTrials = 5, Mode = mode };

    [Fact]
    public void Constructor_InteractiveTerminal_RendersLive()
    {
        Assert.True(new SweepProgress(TestConsoles.Terminal(), Options(), environment: NoCi).IsLive);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("1")]
    [InlineData("github-actions")]
    public void Constructor_CiSet_RendersPlainEvenOnTerminal(string ci)
    {
        Assert.False(new SweepProgress(TestConsoles.Terminal(), Options(), environment: name => name == "CI" ? ci : null).IsLive);
    }

    [Fact]
    public void Constructor_CiFalse_RendersLive()
    {
        Assert.True(new SweepProgress(TestConsoles.Terminal(), Options(), environment: name => name == "CI" ? "false" : null).IsLive);
    }

    [Fact]
    public void Constructor_OutputRedirected_RendersPlain()
    {
        Assert.False(new SweepProgress(TestConsoles.Redirected(), Options(), environment: NoCi).IsLive);
    }

    [Fact]
    public void Constructor_TerminalButNotInteractive_RendersPlain()
    {
        var console = TestConsoles.Terminal();
        console.Profile.Capabilities.Interactive = false;

        Assert.False(new SweepProgress(console, Options(), environment: NoCi).IsLive);
    }

    [Fact]
    public void Constructor_ModeForced_IgnoresEnvironment()
    {
        Assert.True(new SweepProgress(TestConsoles.Redirected(), Options(SweepProgressMode.Live), environment: _ => "true").IsLive);
        Assert.False(new SweepProgress(TestConsoles.Terminal(), Options(SweepProgressMode.Plain), environment: NoCi).IsLive);
    }

    [Fact]
    public void OnTrialSaved_PlainMode_WritesOneLinePerEventMatchingSnapshot()
    {
        var console = TestConsoles.Redirected();
        var time = new FakeTimeProvider(Samples.Start);
        var progress = new SweepProgress(console, Options(), time, NoCi);
        var trials = Samples.Result().Trials;

        progress.OnTrialSaved(trials[0] with { State = TrialState.Running, Value = null });
        time.Advance(TimeSpan.FromSeconds(3));
        progress.OnTrialSaved(trials[0]);
        progress.OnTrialSaved(trials[1] with { State = TrialState.Running, Value = null });
        progress.OnTrialSaved(trials[2] with { State = TrialState.Running });
        progress.OnTrialStep(2, new StepValue(1, 0.6));
        time.Advance(TimeSpan.FromSeconds(3));
        progress.OnTrialSaved(trials[2]);
        time.Advance(TimeSpan.FromSeconds(2));
        progress.OnTrialSaved(trials[1]);
        progress.OnTrialSaved(trials[3] with { State = TrialState.Running });
        time.Advance(TimeSpan.FromSeconds(1));
        progress.OnTrialSaved(trials[3]);
        progress.OnTrialSaved(trials[4] with { State = TrialState.Running, Value = null });
        time.Advance(TimeSpan.FromSeconds(75));
        progress.OnTrialSaved(trials[4]);

        Snapshot.Match(console.Output, "PlainProgress");
    }

    [Fact]
    public void OnTrialSaved_Interrupted_SaysItRunsAgainOnResumeAndNoLongerCountsItRunning()
    {
        var console = TestConsoles.Redirected();
        var progress = new SweepProgress(console, Options(SweepProgressMode.Plain), new FakeTimeProvider(Samples.Start), NoCi);
        var trial = Samples.Result().Trials[0];

        progress.OnTrialSaved(trial with { State = TrialState.Running, Value = null });
        progress.OnTrialSaved(trial with { State = TrialState.Pending, Value = null, IsInterrupted = true });
        progress.OnTrialSaved(trial);

        var lines = console.Output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("[00:00:00] trial 0 interrupted; it runs again when the sweep is resumed", lines[1]);
        Assert.Contains("running 0", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void OnResumed_FinishedTrials_CountsThemInOneLine()
    {
        var console = TestConsoles.Redirected();
        var progress = new SweepProgress(console, Options(), new FakeTimeProvider(Samples.Start), NoCi);

        progress.OnResumed(Samples.Result().Trials.Take(2));

        Assert.Equal("[00:00:00] resumed with 2 finished trials; best trial 1: auc=0.9501\n", console.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task RunAsync_ObservedStoreInPlainMode_ShowsEveryTrialOfRealSweep()
    {
        var console = TestConsoles.Redirected();
        var progress = new SweepProgress(console, Options(), new FakeTimeProvider(Samples.Start), NoCi);
        var sweep = new SweepBuilder("progress")
            .Configure(o => { o.Seed = 3; o.MaxTrials = 5; o.Goal = Goal.Maximize; })
            .UseStore(progress.Observe(new InMemorySweepStore()))
            .Build(Samples.Space);
        var agent = new InProcessTrialAgent((configuration, context) =>
        {
            context.Report(1, 0.5);
            return configuration.GetInt64("Leaves") == 4 ? throw new InvalidOperationException("too few leaves") : configuration.GetDouble("LearningRate");
        });

        var result = await progress.RunAsync(ct => sweep.RunAsync(agent, ct), TestContext.Current.CancellationToken);

        var lines = console.Lines;
        Assert.Equal(5, lines.Count(l => l.Contains(" started", StringComparison.Ordinal)));
        Assert.Equal(result.Count(TrialState.Completed), lines.Count(l => l.Contains(" completed: auc=", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains($"trial {result.BestTrial!.Number} completed", StringComparison.Ordinal));
        Assert.Contains("done 5/5", lines.Last(l => l.Length > 0), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LiveMode_DrawsCountsBestAndRunningTrials()
    {
        var console = TestConsoles.Terminal();
        var progress = new SweepProgress(console, Options(SweepProgressMode.Live), new FakeTimeProvider(Samples.Start), NoCi);
        var trials = Samples.Result().Trials;

        var result = await progress.RunAsync(
            _ =>
            {
                progress.OnTrialSaved(trials[0] with { State = TrialState.Running, Value = null });
                progress.OnTrialSaved(trials[0]);
                progress.OnTrialSaved(trials[1] with { State = TrialState.Running, Value = null });
                progress.OnTrialStep(1, new StepValue(7, 0.875));
                progress.OnTrialSaved(trials[3]);
                return Task.FromResult(42);
            },
            TestContext.Current.CancellationToken);

        Assert.Equal(42, result);
        var output = console.Output;
        Assert.Contains("breast-cancer", output, StringComparison.Ordinal);
        Assert.Contains("done 2/5, running 1, pruned 0, failed 1", output, StringComparison.Ordinal);
        Assert.Contains("auc=0.9123", output, StringComparison.Ordinal);
        Assert.Contains("0.875", output, StringComparison.Ordinal);
        Assert.Contains("[num_leaves] must be > 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildView_NoTrialYet_SaysNoBest()
    {
        var console = TestConsoles.Redirected();
        var progress = new SweepProgress(console, Options(SweepProgressMode.Live), new FakeTimeProvider(Samples.Start), NoCi);

        console.Write(progress.BuildView());

        Assert.Contains("best: none yet", console.Output, StringComparison.Ordinal);
        Assert.Contains("done 0/5, running 0, pruned 0, failed 0, elapsed 00:00:00", console.Output, StringComparison.Ordinal);
    }
}
