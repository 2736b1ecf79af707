namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents why a sweep ended.
/// </summary>
public enum SweepStopReason
{
    /// <summary>The sweep created its maximum number of trials and they finished.</summary>
    MaxTrials,

    /// <summary>The sampler had nothing left to propose (a finished grid).</summary>
    SearchSpaceExhausted,

    /// <summary>The sweep ran for its maximum duration; trials still running then were stopped and marked failed.</summary>
    MaxDuration,

    /// <summary>The configured number of trials finished without improving on the best one.</summary>
    NoImprovement,

    /// <summary>A completed trial reached the target value.</summary>
    TargetReached,

    /// <summary>The sweep was cancelled by its caller; trials still running then were marked failed.</summary>
    Cancelled,
}
