namespace Tune.Pipeline.Stopping;

/// <summary>
/// Decides, when a trial reports a step, whether it should stop early because it is unlikely to beat the others.
/// </summary>
/// <remarks>
/// The controller calls <see cref="ShouldStop"/> from one thread, once per reported step, with a snapshot of every trial
/// of the sweep. A stopped trial sees <see cref="TrialContext.IsStopRequested"/>, its cancellation token is cancelled,
/// and it is recorded as <see cref="Sweeps.TrialState.Pruned"/>. Policies must work for both goals.
/// </remarks>
public interface IEarlyStoppingPolicy
{
    /// <summary>Tells whether the trial that just reported should stop.</summary>
    /// <param name="context">The reporting trial, its new step, and every trial of the sweep.</param>
    /// <returns><see langword="true"/> to stop the trial.</returns>
    bool ShouldStop(EarlyStoppingContext context);
}
