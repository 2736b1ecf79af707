using System.Collections.Immutable;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Publishing.Tests;

/// <summary>A small space and a finished sweep over it with one trial in each final state.</summary>
internal static class Samples
{
    public static SearchSpace Space { get; } = new(
    [
        Parameter.LogUniform("LearningRate", 1e-3, 0.3),
        Parameter.IntRange("Leaves", 4, 64, log: true),
        Parameter.Choice("Booster", ["gbdt", "dart"]),
        Parameter.QUniform("Trees", 50, 400, 50, integral: true),
    ]);

    public static Configuration Config(double learningRate, long leaves, string booster, long trees) =>
        Space.FromDictionary(new Dictionary<string, object?> { ["LearningRate"] = learningRate, ["Leaves"] = leaves, ["Booster"] = booster, ["Trees"] = trees });

    public static SweepResult Result()
    {
        var start = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        Trial[] trials =
        [
            new(0, Config(0.1, 31, "gbdt", 100), TrialState.Completed, 0.9123) { Seed = 11, Attempts = 1, StartedAt = start, EndedAt = start.AddSeconds(3) },

            // 0.1 + 0.2 has no short decimal form: it must come back as the same double, not 0.3.
            new(1, Config(0.012345678901234567, 9, "dart", 350), TrialState.Completed, 0.1 + 0.2 + 0.65) { Seed = 22, Attempts = 1, StartedAt = start.AddSeconds(3), EndedAt = start.AddSeconds(8) },
            new(2, Config(0.25, 64, "gbdt", 50), TrialState.Pruned, null) { Seed = 33, Attempts = 1, Steps = [new StepValue(1, 0.6), new StepValue(2, 0.61)], StartedAt = start.AddSeconds(8), EndedAt = start.AddSeconds(9) },
            new(3, Config(0.002, 4, "dart", 400), TrialState.Failed, null) { Seed = 44, Attempts = 2, Error = "LightGBM: \"num_leaves\" must be > 1", StartedAt = start.AddSeconds(9), EndedAt = start.AddSeconds(10) },
        ];
        return new SweepResult("breast-cancer-20261123", [.. trials], trials[1], SweepStopReason.MaxTrials);
    }

    public static PublishRequest Request(string artifactsRoot, string? modelDirectory) => new()
    {
        Experiment = "breast-cancer",
        ObjectiveMetric = "auc",
        Space = Space,
        Result = Result(),
        Seed = 42,
        Goal = Goal.Maximize,
        SamplerName = "sobol",
        ModelDirectory = modelDirectory,
        ArtifactsRoot = artifactsRoot,
        DataFingerprint = "sha256:0123",
        GitCommit = "0123456789abcdef0123456789abcdef01234567",
        ToolVersion = "0.1.0-test",
    };

    public static ImmutableArray<Trial> Trials => Result().Trials;
}
