using System.Collections.Immutable;

namespace Tune.Pipeline.Stores;

/// <summary>
/// Represents what a store records about a sweep's tracking: the names it is tracked under and the tracking server's
/// ids of its experiment and runs.
/// </summary>
/// <param name="SweepName">The sweep's name.</param>
public sealed record TrackedSweep(string SweepName)
{
    /// <summary>The key of the sweep's own (parent) run in <see cref="Runs"/>: trial numbers start at 0.</summary>
    public const int SweepRunNumber = -1;

    /// <summary>Gets the experiment name recorded for the sweep, if any.</summary>
    public string? ExperimentName { get; init; }

    /// <summary>Gets the objective metric name recorded for the sweep, if any.</summary>
    public string? ObjectiveMetric { get; init; }

    /// <summary>Gets the tracking server's experiment id, once known.</summary>
    public string? ExperimentId { get; init; }

    /// <summary>
    /// Gets the runs by trial number (<see cref="SweepRunNumber"/> for the sweep's run). A <see langword="null"/> id
    /// means a create was sent and its answer not recorded: the run may exist and must be looked up.
    /// </summary>
    public ImmutableDictionary<int, string?> Runs { get; init; } = ImmutableDictionary<int, string?>.Empty;
}
