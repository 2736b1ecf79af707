using System.Collections.Immutable;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting.Tests;

public sealed class ParameterImportanceTests
{
    private static readonly ReportParameter[] Parameters =
    [
        new("Decisive", "Choice('a', 'b')", ReportScale.Category),
        new("Noise", "Uniform(0, 1)", ReportScale.Linear),
        new("Rate", "LogUniform(0.001, 1)", ReportScale.Log),
    ];

    [Fact]
    public void Compute_ObjectiveSetByOneChoice_GivesItAllTheVariance()
    {
        // The objective is 1 for 'a' and 0 for 'b'; Noise takes every value in both groups, so its bins mix them evenly.
        var trials = Enumerable.Range(0, 20).Select(i => Trial(i, i % 2 == 0 ? "a" : "b", (i / 2) % 10 / 10.0, Math.Pow(10, -3 + (i % 4)), i % 2 == 0 ? 1 : 0)).ToList();

        var importance = ParameterImportance.Compute(Parameters, trials).ToDictionary(i => i.Parameter.Name, i => i.Share);

        Assert.Equal(1, importance["Decisive"]!.Value, 9);
        Assert.True(importance["Noise"] < 0.1, $"Noise explains {importance["Noise"]}.");
    }

    [Fact]
    public void Compute_ObjectiveRisingWithALogParameter_RanksItFirst()
    {
        var trials = Enumerable.Range(0, 25).Select(i => Trial(i, i % 2 == 0 ? "a" : "b", (i * 7 % 25) / 25.0, Math.Pow(10, -3 + (i / 8.0)), i)).ToList();

        var importance = ParameterImportance.Compute(Parameters, trials);

        Assert.Equal("Rate", importance.MaxBy(i => i.Share)!.Parameter.Name);
        Assert.True(importance.Single(i => i.Parameter.Name == "Rate").Share > 0.9);
    }

    [Fact]
    public void Compute_FewerThanThreeCompletedTrials_SaysNothing()
    {
        ReportTrial[] trials = [Trial(0, "a", 0.1, 0.01, 1), Trial(1, "b", 0.2, 0.1, 2), Trial(2, "a", 0.3, 0.5, 3) with { State = TrialState.Pruned, Value = null }];

        Assert.All(ParameterImportance.Compute(Parameters, trials), i => Assert.Null(i.Share));
    }

    private static ReportTrial Trial(int number, string decisive, double noise, double rate, double value) =>
        new(number, TrialState.Completed, value, ImmutableDictionary<string, object?>.Empty.Add("Decisive", decisive).Add("Noise", noise).Add("Rate", rate));
}
