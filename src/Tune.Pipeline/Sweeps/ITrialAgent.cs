using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents a worker that runs trials for the sweep controller: in this process (<see cref="InProcessTrialAgent"/>),
/// or in an agent process on this machine or another.
/// </summary>
/// <remarks>
/// The controller calls <see cref="RunTrialAsync"/> once per attempt, up to the sweep's maximum of concurrent trials at
/// once, each call from the thread pool. The agent forwards the trial's step reports to
/// <see cref="TrialContext.Report"/> of the context it is given, lets the trial see
/// <see cref="TrialContext.IsStopRequested"/>, and returns the trial's result or throws its failure.
/// </remarks>
public interface ITrialAgent
{
    /// <summary>Runs one attempt of a trial.</summary>
    /// <param name="configuration">The configuration to evaluate.</param>
    /// <param name="context">The trial's context, created by the controller: reports go back through it.</param>
    /// <param name="cancellationToken">Cancelled when the trial times out, is stopped early, or the sweep ends.</param>
    /// <returns>The trial's result.</returns>
    ValueTask<TrialResult> RunTrialAsync(Configuration configuration, TrialContext context, CancellationToken cancellationToken);
}
