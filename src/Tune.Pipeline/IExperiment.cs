namespace Tune.Pipeline;

/// <summary>
/// Represents an experiment whose hyperparameters, <typeparamref name="TParameters"/>, are tuned. Mark the class with
/// <see cref="ExperimentAttribute"/> and <see cref="ObjectiveAttribute"/>; the generator then produces its typed
/// search space.
/// </summary>
/// <typeparam name="TParameters">The parameters type, whose properties carry the distribution attributes.</typeparam>
/// <remarks>
/// <para>
/// An agent creates one instance, calls <see cref="PrepareAsync"/> once, then <see cref="RunTrialAsync"/> for each
/// trial it is given, possibly concurrently when it runs several trials at once: keep what
/// <see cref="PrepareAsync"/> loads read-only, and put a trial's own state in locals.
/// </para>
/// <para>
/// A trial returns its objective (a <see cref="double"/> converts to <see cref="TrialResult"/>), reports
/// intermediate values with <see cref="TrialContext.Report"/> and stops when <see cref="TrialContext.IsStopRequested"/>
/// turns true. An exception, or a NaN or infinite objective, marks the trial failed and the sweep goes on.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// public async ValueTask&lt;TrialResult&gt; RunTrialAsync(Parameters parameters, TrialContext context, CancellationToken cancellationToken)
/// {
///     var model = new Model(parameters, seed: context.Seed, threads: context.Threads);
///     for (var epoch = 1; epoch &lt;= 20 &amp;&amp; !context.IsStopRequested; epoch++)
///     {
///         await model.TrainEpochAsync(_data.Train, cancellationToken);
///         context.Report(epoch, model.Evaluate(_data.Validation));
///     }
///     return model.Evaluate(_data.Validation);
/// }
/// </code>
/// </example>
public interface IExperiment<TParameters>
    where TParameters : class
{
    /// <summary>Loads and prepares the data once per agent, before its first trial. Does nothing unless implemented.</summary>
    /// <param name="context">The agent's seed, threads and artifacts directory.</param>
    /// <param name="cancellationToken">Cancelled when the sweep is cancelled.</param>
    /// <returns>A task that completes when the data is ready.</returns>
    ValueTask PrepareAsync(ExperimentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Runs one trial: trains with <paramref name="parameters"/> and returns the objective.</summary>
    /// <param name="parameters">The trial's parameters.</param>
    /// <param name="context">The trial's number, seed, threads and artifacts directory; reports steps and tells when to stop.</param>
    /// <param name="cancellationToken">Cancelled when the trial times out, is stopped early, or the sweep ends.</param>
    /// <returns>The objective value, with optional extra metrics.</returns>
    ValueTask<TrialResult> RunTrialAsync(TParameters parameters, TrialContext context, CancellationToken cancellationToken);

    /// <summary>Trains the final model on all the data with the given (usually the best) parameters.</summary>
    /// <param name="parameters">The parameters to retrain with.</param>
    /// <param name="context">The seed, threads and the directory to write the model to.</param>
    /// <param name="cancellationToken">Cancels the retraining.</param>
    /// <returns>A task that completes when the model is written.</returns>
    ValueTask RetrainAsync(TParameters parameters, ExperimentContext context, CancellationToken cancellationToken);
}
