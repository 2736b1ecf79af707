using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Cli.Tests.Browser;

/// <summary>
/// A small experiment with a log-scaled, an integer and a choice parameter that reports a learning curve: the objective
/// climbs towards a ceiling set by the parameters over eight steps, flat enough, so that median stopping prunes the weak trials.
/// </summary>
public sealed class StepsExperiment : IExperiment<StepsExperiment.Parameters>
{
    public ValueTask PrepareAsync(ExperimentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<TrialResult> RunTrialAsync(Parameters parameters, TrialContext context, CancellationToken cancellationToken)
    {
        var ceiling = 0.95 - (0.3 * Math.Abs(Math.Log10(parameters.LearningRate / 0.03))) - (0.01 * Math.Abs(parameters.Depth - 6)) - (parameters.Booster == "dart" ? 0.03 : 0);
        var value = 0.0;
        for (var step = 1; step <= 8; step++)
        {
            value = ceiling * (1 - (0.3 * Math.Exp(-step / 2.0)));
            context.Report(step, value);

            // The controller decides a stop between reports: a trial that never waits would finish before it is asked to stop.
            await Task.Delay(5, cancellationToken);
            context.ThrowIfStopRequested();
        }

        return value;
    }

    public ValueTask RetrainAsync(Parameters parameters, ExperimentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public sealed class Parameters
    {
        public double LearningRate { get; init; } = 0.03;

        public long Depth { get; init; } = 6;

        public string Booster { get; init; } = "gbdt";
    }
}

/// <summary>A hand-written typed space, as the source generator would emit it.</summary>
public sealed class StepsExperimentSearchSpace() : SearchSpace<StepsExperiment.Parameters>(
    [Parameter.LogUniform("LearningRate", 1e-3, 0.3), Parameter.IntRange("Depth", 2, 12), Parameter.Choice("Booster", ["gbdt", "dart"])])
{
    public static StepsExperimentSearchSpace Instance { get; } = new();

    public override StepsExperiment.Parameters ToParameters(Configuration configuration) =>
        new() { LearningRate = configuration.GetDouble("LearningRate"), Depth = configuration.GetInt64("Depth"), Booster = (string)configuration["Booster"] };

    public override Configuration ToConfiguration(StepsExperiment.Parameters parameters) =>
        CreateConfiguration([parameters.LearningRate, parameters.Depth, parameters.Booster]);

    protected override StepsExperiment.Parameters CreateDefault() => new();
}
