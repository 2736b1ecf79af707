namespace Tune.Pipeline.Generators.Tests.Experiments;

[Experiment]
[Objective("rmse", Goal.Minimize)]
public sealed partial class LogScale : FixtureExperiment<LogScale.Parameters>
{
    public sealed partial class Parameters
    {
        [LogUniform(1e-3, 1e3)] public double Rate { get; set; } = 1;

        [IntRange(1, 1000, Log = true)] public int Width { get; set; } = 32;

        [QLogUniform(10, 1000, 10)] public int Batch { get; set; } = 100;
    }
}
