using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting;

/// <summary>
/// Forwards every call to the sweep's real store, then tells <see cref="SweepProgress"/> what was recorded: the store
/// is the one port every trial state change and step goes through, so nothing is missed and nothing is shown that was
/// not recorded.
/// </summary>
internal sealed class ProgressSweepStore(ISweepStore inner, SweepProgress progress) : ISweepStore
{
    public async ValueTask<IReadOnlyList<Trial>> OpenSweepAsync(Sweep sweep, CancellationToken cancellationToken)
    {
        var trials = await inner.OpenSweepAsync(sweep, cancellationToken).ConfigureAwait(false);
        progress.OnResumed(trials);
        return trials;
    }

    public async ValueTask SaveTrialAsync(string sweepName, Trial trial, CancellationToken cancellationToken)
    {
        await inner.SaveTrialAsync(sweepName, trial, cancellationToken).ConfigureAwait(false);
        progress.OnTrialSaved(trial);
    }

    public async ValueTask AppendStepAsync(string sweepName, int trialNumber, StepValue stepValue, CancellationToken cancellationToken)
    {
        await inner.AppendStepAsync(sweepName, trialNumber, stepValue, cancellationToken).ConfigureAwait(false);
        progress.OnTrialStep(trialNumber, stepValue);
    }

    public ValueTask CloseSweepAsync(string sweepName, SweepStopReason stopReason, CancellationToken cancellationToken) =>
        inner.CloseSweepAsync(sweepName, stopReason, cancellationToken);
}
