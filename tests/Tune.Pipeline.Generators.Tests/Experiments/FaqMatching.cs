namespace Tune.Pipeline.Generators.Tests.Experiments;

public enum Booster
{
    Gbdt,
    Dart,
    Goss,
}

[Experiment("faq-matching")]
[Objective("auc", Goal.Maximize)]
public sealed partial class FaqMatching : FixtureExperiment<FaqMatching.Parameters>
{
    public sealed partial record Parameters
    {
        [IntRange(8, 256, Log = true)] public int NumberOfLeaves { get; init; } = 31;

        [LogUniform(1e-3, 0.3)] public double LearningRate { get; init; } = 0.1;

        [Choice("unigram", "bigram")] public string NGrams { get; init; } = "bigram";

        [QUniform(50, 500, 50)] public int Trees { get; init; } = 100;

        [Choice(Booster.Gbdt, Booster.Dart, Booster.Goss)] public Booster Booster { get; init; } = Booster.Gbdt;

        [Choice(true, false)] public bool UseBias { get; init; } = true;

        [Uniform(0, 1)] public float Dropout { get; init; } = 0.5f;

        [QUniform(0.1, 0.9, 0.1)] public double Subsample { get; init; } = 0.8;

        [Normal(0, 1)] public double Shift { get; init; }

        [LogNormal(0.01, 1)] public double Decay { get; init; } = 0.01;

        [QLogUniform(1, 1000, 1)] public long Buckets { get; init; } = 10;

        [QNormal(0, 4, 2)] public int Offset { get; init; }

        [QLogNormal(16, 0.5, 1)] public long BatchSize { get; init; } = 16;

        [Choice(32, 64, 128)] public long Hidden { get; init; } = 64;

        [Choice(0.25, 0.5)] public float Ratio { get; init; } = 0.5f;
    }
}
