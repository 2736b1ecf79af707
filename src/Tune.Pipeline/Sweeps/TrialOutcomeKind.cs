namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents how one attempt of a trial ended. Each kind maps to exactly one <see cref="TrialState"/>: see
/// <see cref="TrialOutcome.State"/>.
/// </summary>
public enum TrialOutcomeKind
{
    /// <summary>Returned a finite objective value: <see cref="TrialState.Completed"/>.</summary>
    Completed,

    /// <summary>Stopped by the early-stopping policy; its last step value stands for it: <see cref="TrialState.Pruned"/>.</summary>
    Pruned,

    /// <summary>Threw, or returned a NaN or infinite objective value: <see cref="TrialState.Failed"/>, retried while retries are left.</summary>
    Failed,

    /// <summary>Ran past the sweep's trial timeout: <see cref="TrialState.Failed"/>, retried while retries are left.</summary>
    TimedOut,

    /// <summary>The agent running it stopped heartbeating, or its trial left the queue without a result: <see cref="TrialState.Failed"/>, retried while retries are left.</summary>
    Lost,

    /// <summary>
    /// The sweep stopped (Ctrl+C) while it ran. Not the trial's fault: it is <see cref="TrialState.Pending"/> again,
    /// with <see cref="Trial.IsInterrupted"/> set, and a resumed sweep runs it again with the same configuration and seed.
    /// </summary>
    Interrupted,
}
