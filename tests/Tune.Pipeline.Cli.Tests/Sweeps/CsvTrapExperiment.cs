using System.Globalization;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Cli.Tests.Sweeps;

/// <summary>
/// An experiment whose values exercise the exports: a real, an integer and choices holding a comma and quotes; trials
/// with an odd depth fail with a message holding a comma, quotes and a line break.
/// </summary>
public sealed class CsvTrapExperiment : IExperiment<CsvTrapExperiment.Parameters>
{
    public ValueTask<TrialResult> RunTrialAsync(Parameters parameters, TrialContext context, CancellationToken cancellationToken)
    {
        if (parameters.Depth % 2 == 1)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"depth {parameters.Depth}, \"odd\"\nnot supported"));
        }

        return ValueTask.FromResult<TrialResult>((parameters.Rate * parameters.Depth) + parameters.Kernel.Length);
    }

    public ValueTask RetrainAsync(Parameters parameters, ExperimentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public sealed class Parameters
    {
        public double Rate { get; init; } = 0.5;

        public long Depth { get; init; } = 2;

        public string Kernel { get; init; } = "plain";
    }
}

/// <summary>A hand-written typed space, as the source generator would emit it.</summary>
public sealed class CsvTrapSearchSpace() : SearchSpace<CsvTrapExperiment.Parameters>(
    [Parameter.LogUniform("Rate", 1e-4, 1), Parameter.IntRange("Depth", 1, 8), Parameter.Choice("Kernel", ["plain", "a,b", "say \"hi\""])])
{
    public static CsvTrapSearchSpace Instance { get; } = new();

    public override CsvTrapExperiment.Parameters ToParameters(Configuration configuration) =>
        new() { Rate = configuration.GetDouble("Rate"), Depth = configuration.GetInt64("Depth"), Kernel = (string)configuration["Kernel"] };

    public override Configuration ToConfiguration(CsvTrapExperiment.Parameters parameters) =>
        CreateConfiguration([parameters.Rate, parameters.Depth, parameters.Kernel]);

    protected override CsvTrapExperiment.Parameters CreateDefault() => new();
}
