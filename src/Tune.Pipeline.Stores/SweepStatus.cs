using System.Collections.Immutable;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores;

/// <summary>
/// Represents a sweep as a store records it, readable without its search space: for status reports.
/// </summary>
/// <param name="Name">The sweep's name.</param>
/// <param name="Fingerprint">The search space's fingerprint.</param>
/// <param name="Goal">Whether the objective is maximized or minimized.</param>
/// <param name="Seed">The sweep's seed.</param>
/// <param name="IsClosed">Whether the sweep has ended.</param>
/// <param name="StopReason">Why the sweep ended, once it has.</param>
public sealed record SweepStatus(string Name, string Fingerprint, Goal Goal, long Seed, bool IsClosed, SweepStopReason? StopReason)
{
    /// <summary>Gets the number of trials in each state; states without trials are absent.</summary>
    public ImmutableDictionary<TrialState, int> TrialCounts { get; init; } = ImmutableDictionary<TrialState, int>.Empty;

    /// <summary>Gets the sampler's catalog name (such as <c>tpe</c>), as the sweep was created with.</summary>
    public string SamplerName { get; init; } = Samplers.SamplerCatalog.DefaultName;

    /// <summary>Gets the best completed trial's number, if any.</summary>
    public int? BestTrialNumber { get; init; }

    /// <summary>Gets the best completed trial's value, if any.</summary>
    public double? BestValue { get; init; }

    /// <summary>Gets the best completed trial's parameters as a JSON object, if any.</summary>
    public string? BestParameters { get; init; }
}
