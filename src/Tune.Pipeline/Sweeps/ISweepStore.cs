namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents where a sweep's trials, steps and results are recorded. The controller routes every trial state
/// change, step value and result through this port, and nothing else, so a store can be in memory
/// (<see cref="InMemorySweepStore"/>), SQLite or PostgreSQL without touching the controller.
/// </summary>
/// <remarks>
/// <para>The contract every store keeps, and the controller relies on:</para>
/// <list type="bullet">
/// <item><description><see cref="OpenSweepAsync"/> creates the sweep, or resumes it when a sweep of that name with the same search-space fingerprint and goal exists, as <see cref="Sweep.OpenMode"/> allows, and returns its trials ordered by number. It decides and creates in one atomic step, and refuses through <see cref="SweepConflictException.ThrowIfRefused"/>: of two controllers creating one name at once, exactly one creates it. A new sweep's <see cref="Sweep.Settings"/> are recorded with it; a resume leaves the recorded ones as they are.</description></item>
/// <item><description>Trial numbers are unique and gapless per sweep: a new trial's number is the count of trials already saved. A store rejects a save that would leave a gap.</description></item>
/// <item><description><see cref="SaveTrialAsync"/> replaces the trial's state, value, error, attempts, timings and metrics (not its steps) as one atomic write.</description></item>
/// <item><description>Saving a trial with a higher <see cref="Trial.Attempts"/> than recorded (a retry) discards its steps: steps belong to the attempt that reported them.</description></item>
/// <item><description><see cref="AppendStepAsync"/> is called in step order for each trial; steps of a trial arrive after the save that made it running.</description></item>
/// <item><description>A trial is never left <see cref="TrialState.Running"/> when the controller returns: each one is saved finished before <see cref="CloseSweepAsync"/>, or, when the sweep is cancelled, pending again and marked interrupted (<see cref="Trial.IsInterrupted"/>) so that a resumed sweep runs it again.</description></item>
/// </list>
/// <para>The controller calls the store from one logical flow at a time; a store shared by several processes must still be safe for concurrent sweeps.</para>
/// </remarks>
public interface ISweepStore
{
    /// <summary>Creates the sweep, or opens it again to resume it.</summary>
    /// <param name="sweep">The sweep's definition: name, search space, seed, goal, sampler and budget.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The trials already recorded for the sweep, ordered by number; empty for a new sweep.</returns>
    /// <exception cref="SweepConflictException">The store refuses to open the sweep: see <see cref="SweepConflictException.ThrowIfRefused"/>.</exception>
    ValueTask<IReadOnlyList<Trial>> OpenSweepAsync(Sweep sweep, CancellationToken cancellationToken);

    /// <summary>Inserts a new trial or replaces a recorded one's state and result.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="trial">The trial's snapshot; its <see cref="Trial.Steps"/> are ignored.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    ValueTask SaveTrialAsync(string sweepName, Trial trial, CancellationToken cancellationToken);

    /// <summary>Appends an intermediate value to a trial.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="trialNumber">The trial's number.</param>
    /// <param name="stepValue">The step and its value.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    ValueTask AppendStepAsync(string sweepName, int trialNumber, StepValue stepValue, CancellationToken cancellationToken);

    /// <summary>Records that the sweep ended and why.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="stopReason">Why it ended.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    ValueTask CloseSweepAsync(string sweepName, SweepStopReason stopReason, CancellationToken cancellationToken);
}
