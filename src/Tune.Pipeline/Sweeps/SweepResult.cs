using System.Collections.Immutable;

namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents how a sweep ended: every trial, the best one and why it stopped.
/// </summary>
/// <param name="SweepName">The sweep's name.</param>
/// <param name="Trials">Every trial, by number; none is pending or running.</param>
/// <param name="BestTrial">The best completed trial (ties to the lower number), or <see langword="null"/> when none completed.</param>
/// <param name="StopReason">Why the sweep ended.</param>
public sealed record SweepResult(string SweepName, ImmutableArray<Trial> Trials, Trial? BestTrial, SweepStopReason StopReason)
{
    /// <summary>Gets the number of trials that ended in a state.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The count.</returns>
    public int Count(TrialState state) => Trials.Count(t => t.State == state);
}
