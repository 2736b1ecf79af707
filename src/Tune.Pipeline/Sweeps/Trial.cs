using System.Collections.Immutable;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents one evaluation of one configuration, as samplers and policies see it: an immutable snapshot.
/// </summary>
/// <param name="Number">The trial's number: unique and gapless within a sweep, from 0.</param>
/// <param name="Configuration">The configuration evaluated.</param>
/// <param name="State">Where the trial is in its life.</param>
/// <param name="Value">The final objective value of a completed trial; <see langword="null"/> otherwise.</param>
/// <remarks>Equatable by value, except that <see cref="Steps"/> and <see cref="Metrics"/> compare by reference (use <c>SequenceEqual</c>).</remarks>
public sealed record Trial(int Number, Configuration Configuration, TrialState State, double? Value)
{
    /// <summary>Gets the step values reported so far, in step order.</summary>
    public ImmutableArray<StepValue> Steps { get; init; } = [];

    /// <summary>Gets the failure's message for a failed trial.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the seed derived for the trial's own randomness.</summary>
    public long Seed { get; init; }

    /// <summary>Gets how many times the trial was started: 1, plus one per retry after a failure.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when the trial's last attempt started, if it did.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the trial finished, if it did.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Gets the extra metrics a completed trial returned beside its objective.</summary>
    public ImmutableDictionary<string, double> Metrics { get; init; } = ImmutableDictionary<string, double>.Empty;

    /// <summary>Gets the last reported step value, if any.</summary>
    public StepValue? LastStep => Steps.IsEmpty ? null : Steps[^1];

    /// <summary>
    /// Gets a value indicating whether the trial's last attempt was interrupted because the sweep stopped (Ctrl+C): it is
    /// pending again, and resuming the sweep runs it again with the same configuration and seed.
    /// </summary>
    /// <remarks>A recorded flag, set only through <see cref="TrialOutcome.ApplyTo"/> with <see cref="TrialOutcomeKind.Interrupted"/>.</remarks>
    public bool IsInterrupted { get; init; }

    /// <summary>Gets what places the trial in the best-first order (<see cref="TrialOrder"/>).</summary>
    public TrialStanding Standing => new(Number, State, Value, LastStep);

    /// <summary>Gets a value indicating whether the trial has ended (completed, pruned or failed).</summary>
    public bool IsFinished => State is TrialState.Completed or TrialState.Pruned or TrialState.Failed;
}
