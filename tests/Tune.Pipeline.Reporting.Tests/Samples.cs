using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting.Tests;

/// <summary>A small space and a finished sweep over it with one trial in each final state.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static SearchSpace Space { get; } = new(
    [
        Parameter.LogUniform("LearningRate", 1e-3, 0.3),
        Parameter.IntRange("Leaves", 4, 64, log: true),
        Parameter.Choice("Booster", ["gbdt", "dart"]),
    ]);

    public static Configuration Config(double learningRate, long leaves, string booster) =>
        Space.FromDictionary(new Dictionary<string, object?> { ["LearningRate"] = learningRate, ["Leaves"] = leaves, ["Booster"] = booster });

    public static Trial Completed(int number, double value, double seconds, double startSecond) =>
        new(number, Config(0.01 * (number + 1), 4 + number, number % 2 == 0 ? "gbdt" : "dart"), TrialState.Completed, value)
        {
            Seed = number, Attempts = 1, StartedAt = Start.AddSeconds(startSecond), EndedAt = Start.AddSeconds(startSecond + seconds),
        };

    public static SweepResult Result()
    {
        Trial[] trials =
        [
            Completed(0, 0.9123, 3, 0),
            Completed(1, 0.9501, 5, 3),
            new(2, Config(0.25, 64, "gbdt"), TrialState.Pruned, null) { Seed = 2, Attempts = 1, Steps = [new StepValue(1, 0.6), new StepValue(2, 0.61)], StartedAt = Start.AddSeconds(8), EndedAt = Start.AddSeconds(9) },
            new(3, Config(0.002, 4, "dart"), TrialState.Failed, null) { Seed = 3, Attempts = 2, Error = "LightGBM: [num_leaves] must be > 1 <fatal>", StartedAt = Start.AddSeconds(9), EndedAt = Start.AddSeconds(10) },
            Completed(4, 0.9344, 75, 10),
        ];
        return new SweepResult("breast-cancer-20261123", [.. trials], trials[1], SweepStopReason.MaxTrials);
    }
}
