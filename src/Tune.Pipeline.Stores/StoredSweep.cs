using System.Collections.Immutable;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores;

/// <summary>
/// Represents a sweep as a store records it, readable without its search space: for listings and exports.
/// </summary>
/// <param name="Name">The sweep's name.</param>
/// <param name="Fingerprint">The search space's fingerprint.</param>
/// <param name="Goal">Whether the objective is maximized or minimized.</param>
/// <param name="Seed">The sweep's seed.</param>
/// <param name="IsClosed">Whether the sweep has ended.</param>
/// <param name="StopReason">Why the sweep ended, once it has.</param>
/// <param name="CreatedAt">When the sweep was created.</param>
/// <param name="UpdatedAt">When the sweep was last opened or closed.</param>
/// <param name="Definition">
/// The sweep's definition as written when it was created: a JSON object with name, fingerprint, goal, seed, maxTrials,
/// maxConcurrentTrials, maxRetries, sampler, earlyStoppingPolicy and parameters (each <c>"Name: Distribution(...)"</c>,
/// in the search space's order).
/// </param>
public sealed record StoredSweep(
    string Name,
    string Fingerprint,
    Goal Goal,
    long Seed,
    bool IsClosed,
    SweepStopReason? StopReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Definition)
{
    /// <summary>Gets the number of trials in each state; states without trials are absent.</summary>
    public ImmutableDictionary<TrialState, int> TrialCounts { get; init; } = ImmutableDictionary<TrialState, int>.Empty;

    /// <summary>Gets the best completed trial's value, if any trial has completed.</summary>
    public double? BestValue { get; init; }
}
