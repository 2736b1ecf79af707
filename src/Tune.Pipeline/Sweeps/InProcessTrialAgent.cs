using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents an agent that runs trials in this process: an <see cref="IExperiment{TParameters}"/> or a delegate.
/// For tests, benchmarks, notebooks and experiments cheap enough not to need their own processes.
/// </summary>
/// <remarks>
/// The experiment's <see cref="IExperiment{TParameters}.PrepareAsync"/> runs once, before the first trial; concurrent
/// trials share the prepared instance.
/// </remarks>
public sealed class InProcessTrialAgent : ITrialAgent
{
    private readonly Func<Configuration, TrialContext, CancellationToken, ValueTask<TrialResult>> _runTrial;
    private readonly Func<CancellationToken, ValueTask>? _prepare;
    private readonly Lock _prepareLock = new();
    private Task? _prepared;

    /// <summary>Initializes a new instance of the <see cref="InProcessTrialAgent"/> class that runs a delegate.</summary>
    /// <param name="runTrial">Evaluates a configuration and returns its objective.</param>
    public InProcessTrialAgent(Func<Configuration, TrialContext, CancellationToken, ValueTask<TrialResult>> runTrial)
        : this(runTrial, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InProcessTrialAgent"/> class that runs a synchronous delegate.</summary>
    /// <param name="runTrial">Evaluates a configuration and returns its objective.</param>
    public InProcessTrialAgent(Func<Configuration, TrialContext, TrialResult> runTrial)
        : this(WrapSynchronous(runTrial), null)
    {
    }

    private InProcessTrialAgent(
        Func<Configuration, TrialContext, CancellationToken, ValueTask<TrialResult>> runTrial,
        Func<CancellationToken, ValueTask>? prepare)
    {
        ArgumentNullException.ThrowIfNull(runTrial);
        _runTrial = runTrial;
        _prepare = prepare;
    }

    /// <summary>Creates an agent that runs an experiment's trials with typed parameters.</summary>
    /// <typeparam name="TParameters">The experiment's parameters type.</typeparam>
    /// <param name="experiment">The experiment.</param>
    /// <param name="space">The experiment's typed search space, which converts configurations to parameters.</param>
    /// <param name="context">What <see cref="IExperiment{TParameters}.PrepareAsync"/> is given; defaults to a new <see cref="ExperimentContext"/>.</param>
    /// <returns>The agent.</returns>
    public static InProcessTrialAgent Create<TParameters>(IExperiment<TParameters> experiment, SearchSpace<TParameters> space, ExperimentContext? context = null)
        where TParameters : class
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(space);
        var prepareContext = context ?? new ExperimentContext();
        return new InProcessTrialAgent(
            (configuration, trialContext, ct) => experiment.RunTrialAsync(space.ToParameters(configuration), trialContext, ct),
            ct => experiment.PrepareAsync(prepareContext, ct));
    }

    /// <inheritdoc/>
    public ValueTask<TrialResult> RunTrialAsync(Configuration configuration, TrialContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(context);
        if (_prepare is null)
        {
            return _runTrial(configuration, context, cancellationToken);
        }

        return RunPreparedAsync(configuration, context, cancellationToken);
    }

    private static Func<Configuration, TrialContext, CancellationToken, ValueTask<TrialResult>> WrapSynchronous(Func<Configuration, TrialContext, TrialResult> runTrial)
    {
        ArgumentNullException.ThrowIfNull(runTrial);
        return (configuration, context, _) => ValueTask.FromResult(runTrial(configuration, context));
    }

    private async ValueTask<TrialResult> RunPreparedAsync(Configuration configuration, TrialContext context, CancellationToken cancellationToken)
    {
        Task prepared;
        lock (_prepareLock)
        {
            // A failed preparation is retried by the next trial rather than failing every trial with a stale exception.
            if (_prepared is null || _prepared.IsFaulted || _prepared.IsCanceled)
            {
                _prepared = _prepare!(cancellationToken).AsTask();
            }

            prepared = _prepared;
        }

        await prepared.ConfigureAwait(false);
        return await _runTrial(configuration, context, cancellationToken).ConfigureAwait(false);
    }
}
