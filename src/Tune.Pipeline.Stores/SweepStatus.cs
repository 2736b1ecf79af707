using System.Collections.Immutable;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores;

/// <summary>
/// Represents a sweep as a store records it, readable without its search space: for status reports, listings and
/// exports, and for tracking (its recorded definition).
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

    /// <summary>Gets when the sweep was first opened.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the sweep was last opened or closed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the search space's parameters as recorded when the sweep was created: <c>"Name: Distribution(...)"</c> each, in order.</summary>
    public ImmutableArray<string> Parameters { get; init; } = [];

    /// <summary>Gets the sampler's type name as recorded when the sweep was created.</summary>
    public string? Sampler { get; init; }

    /// <summary>Gets the early-stopping policy's type name as recorded when the sweep was created.</summary>
    public string? EarlyStoppingPolicy { get; init; }

    /// <summary>
    /// Gets the early-stopping policy with its settings as recorded when the sweep was created, such as
    /// <c>MedianStoppingPolicy(EvaluationInterval=1, DelayEvaluation=5)</c>; <see langword="null"/> for a sweep recorded before they were.
    /// </summary>
    public string? EarlyStoppingSettings { get; init; }

    /// <summary>Gets the trial budget recorded when the sweep was created.</summary>
    public int? MaxTrials { get; init; }

    /// <summary>Gets the most trials in flight at once, as recorded when the sweep was created.</summary>
    public int? MaxConcurrentTrials { get; init; }

    /// <summary>Gets how often a failed trial runs again, as recorded when the sweep was created.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>
    /// Gets the settings document recorded when the sweep was created (<c>Sweep.Settings</c>), so that a resume can
    /// restore them; <see langword="null"/> when it recorded none, or was created before stores recorded them.
    /// </summary>
    public string? Settings { get; init; }

    /// <summary>Gets the sampler's catalog name (such as <c>tpe</c>), as the sweep was created with.</summary>
    public string SamplerName => Sampler is null ? Samplers.SamplerCatalog.DefaultName : Samplers.SamplerCatalog.NameOf(Sampler);

    /// <summary>Gets the best completed trial's number, if any.</summary>
    public int? BestTrialNumber { get; init; }

    /// <summary>Gets the best completed trial's value, if any.</summary>
    public double? BestValue { get; init; }

    /// <summary>Gets the best completed trial's parameters as a JSON object, if any.</summary>
    public string? BestParameters { get; init; }
}
