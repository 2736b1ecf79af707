namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents where a trial is in its life. A trial moves from <see cref="Pending"/> to <see cref="Running"/> and
/// ends in exactly one of the other three states; there are no others.
/// </summary>
public enum TrialState
{
    /// <summary>Proposed and waiting for an agent.</summary>
    Pending,

    /// <summary>Leased by an agent and running.</summary>
    Running,

    /// <summary>Finished with a finite objective value.</summary>
    Completed,

    /// <summary>Stopped early by the early-stopping policy; its last step value stands for it.</summary>
    Pruned,

    /// <summary>Threw, timed out, or reported a NaN or infinite objective value.</summary>
    Failed,
}
