using System.Collections.Immutable;
using System.Globalization;

namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents how one attempt of a trial ended, and what the trial records for it: the one classification the sweep
/// controller, agent processes and stores share.
/// </summary>
/// <param name="Kind">How the attempt ended.</param>
/// <param name="Value">The objective value of a completed attempt; <see langword="null"/> otherwise.</param>
/// <param name="Error">Why a failed, timed-out or lost attempt ended; <see langword="null"/> otherwise.</param>
public readonly record struct TrialOutcome(TrialOutcomeKind Kind, double? Value, string? Error)
{
    /// <summary>Gets the outcome of an attempt cut short because the sweep stopped.</summary>
    public static TrialOutcome Interrupted => new(TrialOutcomeKind.Interrupted, null, null);

    /// <summary>Gets the extra metrics a completed attempt returned beside its objective.</summary>
    public ImmutableDictionary<string, double>? Metrics { get; init; }

    /// <summary>Gets the state the trial is recorded in after this outcome.</summary>
    public TrialState State => Kind switch
    {
        TrialOutcomeKind.Completed => TrialState.Completed,
        TrialOutcomeKind.Pruned => TrialState.Pruned,
        TrialOutcomeKind.Interrupted => TrialState.Pending,
        _ => TrialState.Failed,
    };

    /// <summary>Creates the outcome of an attempt that failed for a reason outside the trial (the sweep's deadline, a store failure).</summary>
    /// <param name="error">Why, in one sentence.</param>
    /// <returns>A <see cref="TrialOutcomeKind.Failed"/> outcome.</returns>
    public static TrialOutcome Failure(string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        return new TrialOutcome(TrialOutcomeKind.Failed, null, error);
    }

    /// <summary>Classifies how an attempt ended. Every place that records a trial's end asks this method, and nothing else.</summary>
    /// <param name="trialNumber">The trial's number, for messages.</param>
    /// <param name="result">What the trial returned; ignored when <paramref name="exception"/> is set.</param>
    /// <param name="exception">What the trial (or its agent) threw, if it threw.</param>
    /// <param name="stopRequested">Whether early stopping asked the trial to stop before it ended.</param>
    /// <param name="timedOutAfter">The trial timeout, when it ran out before the trial ended; <see langword="null"/> otherwise.</param>
    /// <param name="interrupted">Whether the sweep itself stopped (Ctrl+C) while the trial ran.</param>
    /// <returns>The outcome.</returns>
    /// <remarks>
    /// <para>The rules, first match wins:</para>
    /// <list type="number">
    /// <item><description>The sweep stopped: <see cref="TrialOutcomeKind.Interrupted"/>, whatever the trial did.</description></item>
    /// <item><description>A stop was requested and the trial returned, or threw an <see cref="OperationCanceledException"/> (such as <see cref="TrialStoppedException"/>): <see cref="TrialOutcomeKind.Pruned"/>. Any other exception still fails it.</description></item>
    /// <item><description><see cref="TrialLostException"/>: <see cref="TrialOutcomeKind.Lost"/>, its message as the error.</description></item>
    /// <item><description>The timeout ran out and the trial threw an <see cref="OperationCanceledException"/>: <see cref="TrialOutcomeKind.TimedOut"/>.</description></item>
    /// <item><description><see cref="TrialFailedException"/>: <see cref="TrialOutcomeKind.Failed"/>, its message (an error recorded elsewhere) as is.</description></item>
    /// <item><description>Any other exception: <see cref="TrialOutcomeKind.Failed"/>, <c>"Type: message"</c>.</description></item>
    /// <item><description>A NaN or infinite objective: <see cref="TrialOutcomeKind.Failed"/>.</description></item>
    /// <item><description>Otherwise <see cref="TrialOutcomeKind.Completed"/> with the objective and metrics.</description></item>
    /// </list>
    /// </remarks>
    public static TrialOutcome Classify(
        int trialNumber, TrialResult result, Exception? exception, bool stopRequested = false, TimeSpan? timedOutAfter = null, bool interrupted = false)
    {
        if (interrupted)
        {
            return Interrupted;
        }

        if (stopRequested && exception is null or OperationCanceledException)
        {
            return new TrialOutcome(TrialOutcomeKind.Pruned, null, null);
        }

        switch (exception)
        {
            case TrialLostException lost:
                return new TrialOutcome(TrialOutcomeKind.Lost, null, lost.Message);
            case OperationCanceledException when timedOutAfter is { } timeout:
                return new TrialOutcome(TrialOutcomeKind.TimedOut, null,
                    $"Trial {trialNumber} timed out after {timeout.ToString("c", CultureInfo.InvariantCulture)}.");
            case TrialFailedException recorded:
                return new TrialOutcome(TrialOutcomeKind.Failed, null, recorded.Message);
            case not null:
                return new TrialOutcome(TrialOutcomeKind.Failed, null, $"{exception.GetType().Name}: {exception.Message}");
        }

        if (!double.IsFinite(result.Objective))
        {
            return new TrialOutcome(TrialOutcomeKind.Failed, null,
                $"Trial {trialNumber} returned {result.Objective.ToString(CultureInfo.InvariantCulture)} as its objective; a completed trial needs a finite value.");
        }

        return new TrialOutcome(TrialOutcomeKind.Completed, result.Objective, null) { Metrics = result.Metrics };
    }

    /// <summary>Records this outcome on the trial whose attempt ended.</summary>
    /// <param name="trial">The trial as it ran.</param>
    /// <param name="endedAt">When the attempt ended.</param>
    /// <returns>
    /// The trial, finished in <see cref="State"/>; or, when interrupted, pending again with <see cref="Trial.IsInterrupted"/>
    /// set and the attempt's start and steps cleared, so that running it again replays it.
    /// </returns>
    public Trial ApplyTo(Trial trial, DateTimeOffset endedAt)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (Kind == TrialOutcomeKind.Interrupted)
        {
            return trial with { State = TrialState.Pending, IsInterrupted = true, Value = null, Error = null, StartedAt = null, EndedAt = null, Steps = [] };
        }

        return trial with
        {
            State = State,
            IsInterrupted = false,
            Value = Value,
            Error = Error,
            EndedAt = endedAt,
            Metrics = Kind == TrialOutcomeKind.Completed && Metrics is { } metrics ? metrics : ImmutableDictionary<string, double>.Empty,
        };
    }
}
