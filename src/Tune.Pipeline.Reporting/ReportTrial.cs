using System.Collections.Immutable;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting;

/// <summary>Represents one trial as the report draws it, whether read from a finished sweep or from a store.</summary>
/// <param name="Number">The trial's number.</param>
/// <param name="State">Its state.</param>
/// <param name="Value">The objective's value, once completed.</param>
/// <param name="Parameters">Its parameter values by name: <see cref="double"/>, <see cref="long"/>, <see cref="string"/> or <see cref="bool"/>; choices as their values.</param>
public sealed record ReportTrial(int Number, TrialState State, double? Value, ImmutableDictionary<string, object?> Parameters)
{
    /// <summary>Gets the steps the trial reported, in step order.</summary>
    public ImmutableArray<StepValue> Steps { get; init; } = [];

    /// <summary>Gets when its last attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when it ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Gets why it failed, if it did.</summary>
    public string? Error { get; init; }

    /// <summary>Gets a value indicating whether a stopped sweep interrupted its attempt.</summary>
    public bool IsInterrupted { get; init; }

    /// <summary>Gets the last step it reported, if any.</summary>
    public StepValue? LastStep { get; init; }

    /// <summary>Gets what places the trial in the best-first order (<see cref="TrialOrder"/>).</summary>
    public TrialStanding Standing => new(Number, State, Value, LastStep ?? (Steps.IsEmpty ? null : Steps[^1]));

    /// <summary>Describes a trial of a finished sweep.</summary>
    /// <param name="trial">The trial.</param>
    /// <returns>The description.</returns>
    public static ReportTrial From(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return new(trial.Number, trial.State, trial.Value, trial.Configuration.ToImmutableDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal))
        {
            Steps = trial.Steps,
            StartedAt = trial.StartedAt,
            EndedAt = trial.EndedAt,
            Error = trial.Error,
            IsInterrupted = trial.IsInterrupted,
        };
    }
}
