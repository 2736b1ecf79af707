namespace Tune.Pipeline.Generators.Tests.Experiments;

/// <summary>
/// Base for the generator's fixture experiments: they exist to be compiled and to have their search spaces generated,
/// never to be swept, so running one is a mistake in a test.
/// </summary>
public abstract class FixtureExperiment<TParameters> : IExperiment<TParameters>
    where TParameters : class
{
    public ValueTask<TrialResult> RunTrialAsync(TParameters parameters, TrialContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{GetType().Name} is a generator fixture and is never swept.");

    public ValueTask RetrainAsync(TParameters parameters, ExperimentContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{GetType().Name} is a generator fixture and is never retrained.");
}
