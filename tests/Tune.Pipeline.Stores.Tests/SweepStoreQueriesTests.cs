using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores.Tests;

/// <summary>The read-only queries for tools (SqlSweepStore.Queries.cs), run against each store.</summary>
public abstract class SweepStoreQueriesTests : IAsyncLifetime
{
    private static readonly SearchSpace Space = new([Parameter.Uniform("Rate", 0, 1), Parameter.Choice("Booster", ["gbtree", "dart"])]);
    private SqlSweepStore _store = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync();

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await DisposeDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ListSweepsAsync_TwoSweeps_CountsTrialsByStateAndPicksTheBestValueForEachGoal()
    {
        await SaveAsync("low", Goal.Minimize, (TrialState.Completed, 0.4), (TrialState.Completed, 0.2), (TrialState.Failed, null));
        await SaveAsync("high", Goal.Maximize, (TrialState.Completed, 0.4), (TrialState.Completed, 0.2), (TrialState.Pending, null));

        var sweeps = await _store.ListSweepsAsync(Ct);

        Assert.Equal(2, sweeps.Count);
        var low = sweeps.Single(s => s.Name == "low");
        var high = sweeps.Single(s => s.Name == "high");
        Assert.Equal((0.2, 2, 1), (low.BestValue!.Value, low.TrialCounts[TrialState.Completed], low.TrialCounts[TrialState.Failed]));
        Assert.Equal((0.4, 1), (high.BestValue!.Value, high.TrialCounts[TrialState.Pending]));
        Assert.False(high.TrialCounts.ContainsKey(TrialState.Failed));
    }

    [Theory]
    [InlineData(Goal.Maximize)]
    [InlineData(Goal.Minimize)]
    public async Task GetSweepStatusAsync_TiedAndPrunedTrials_NamesTheBestTrialOfTheOneOrder(Goal goal)
    {
        var name = "ties-" + goal.ToString().ToLowerInvariant();
        await SaveAsync(name, goal, (TrialState.Pruned, null), (TrialState.Completed, 0.5), (TrialState.Completed, 0.3), (TrialState.Completed, 0.5), (TrialState.Completed, 0.3));
        var trials = await _store.GetStoredTrialsAsync(name, Ct);

        var status = await _store.GetSweepStatusAsync(name, Ct);

        var best = TrialOrder.Best(trials, goal, t => t.Standing)!;
        Assert.Equal((goal == Goal.Maximize ? 1 : 2, best.Number, best.Value), (status!.BestTrialNumber!.Value, status.BestTrialNumber.Value, status.BestValue));
    }

    [Fact]
    public async Task GetSweepStatusAsync_ClosedSweep_ReturnsStateStopReasonAndDefinition()
    {
        await SaveAsync("closed", Goal.Minimize, (TrialState.Completed, 1.0));
        await _store.CloseSweepAsync("closed", SweepStopReason.MaxTrials, Ct);

        var sweep = await _store.GetSweepStatusAsync("closed", Ct);
        var missing = await _store.GetSweepStatusAsync("other", Ct);

        Assert.NotNull(sweep);
        Assert.True(sweep.IsClosed);
        Assert.Equal(SweepStopReason.MaxTrials, sweep.StopReason);
        Assert.Equal(["Rate: Uniform(0, 1)", "Booster: Choice('gbtree', 'dart')"], sweep.Parameters);
        Assert.Null(missing);
    }

    [Fact]
    public async Task GetStoredTrialsAsync_Trials_ReturnsThemAsStoredWithParametersJson()
    {
        await SaveAsync("raw", Goal.Minimize, (TrialState.Completed, 0.5), (TrialState.Failed, null));

        var trials = await _store.GetStoredTrialsAsync("raw", Ct);

        Assert.Equal([0, 1], trials.Select(t => t.Number));
        Assert.Equal((TrialState.Completed, 0.5, "{\"Rate\":0.25,\"Booster\":\"dart\"}"), (trials[0].State, trials[0].Value!.Value, trials[0].Parameters));
        Assert.Equal((TrialState.Failed, "trial 1 failed"), (trials[1].State, trials[1].Error));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_002_000), trials[1].EndedAt);
    }

    protected abstract Task<SqlSweepStore> CreateStoreAsync();

    protected abstract ValueTask DisposeDatabaseAsync();

    private async Task SaveAsync(string name, Goal goal, params (TrialState State, double? Value)[] trials)
    {
        var sweep = new SweepBuilder(name).Configure(o => o.Goal = goal).Build(Space);
        await _store.OpenSweepAsync(sweep, Ct);
        for (var number = 0; number < trials.Length; number++)
        {
            var (state, value) = trials[number];
            var started = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
            await _store.SaveTrialAsync(name, new Trial(number, Space.FromDictionary(new Dictionary<string, object?> { ["Rate"] = 0.25, ["Booster"] = "dart" }), state, value)
            {
                Attempts = 1,
                StartedAt = state == TrialState.Pending ? null : started,
                EndedAt = state is TrialState.Completed or TrialState.Failed ? started.AddSeconds(number + 1) : null,
                Error = state == TrialState.Failed ? $"trial {number} failed" : null,
            }, Ct);
        }
    }
}
