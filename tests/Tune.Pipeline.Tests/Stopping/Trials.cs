using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests.Stopping;

/// <summary>Builds trials with step values for policy tests.</summary>
internal static class Trials
{
    private static readonly SearchSpace Space = new([Parameter.Uniform("x", 0, 1)]);

    public static Trial Running(int number, params (long Step, double Value)[] steps) => Create(number, TrialState.Running, steps);

    public static Trial Completed(int number, params (long Step, double Value)[] steps) => Create(number, TrialState.Completed, steps);

    /// <summary>The last trial is the one reporting.</summary>
    public static EarlyStoppingContext Context(Goal goal, params Trial[] trials) => new(goal, trials[^1], trials);

    /// <summary>A trial that reported the same value at steps 1..<paramref name="last"/>.</summary>
    public static (long, double)[] Flat(double value, long last) => [.. Enumerable.Range(1, (int)last).Select(s => ((long)s, value))];

    private static Trial Create(int number, TrialState state, (long Step, double Value)[] steps) =>
        new(number, Space.FromUnit([0.5]), state, state == TrialState.Completed ? steps[^1].Value : null)
        {
            Steps = [.. steps.Select(s => new StepValue(s.Step, s.Value))],
        };
}
