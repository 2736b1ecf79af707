using System.Globalization;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting;

/// <summary>
/// The one wording of trials for people and files: the end-of-sweep summary, the progress lines, the HTML report and the
/// CLI's <c>tune show</c>, <c>tune best</c> and <c>tune export</c> all format through it, so the same trial reads the
/// same everywhere. Every number is written in the invariant culture.
/// </summary>
public static class TrialFormat
{
    /// <summary>Writes a value for a table: six significant digits, so that a row fits a terminal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Value(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Writes a value exactly, in round-trip form: for <c>tune best</c> and exports.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Names a trial state: <c>pending</c>, <c>running</c>, <c>completed</c>, <c>pruned</c> or <c>failed</c>.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The lower-case name.</returns>
    public static string State(TrialState state) => state switch
    {
        TrialState.Pending => "pending",
        TrialState.Running => "running",
        TrialState.Completed => "completed",
        TrialState.Pruned => "pruned",
        _ => "failed",
    };

    /// <summary>Names a trial's state for a table: as <see cref="State(TrialState)"/>, with <c>pending (interrupted)</c> for a trial a stopped sweep interrupted.</summary>
    /// <param name="state">The state.</param>
    /// <param name="isInterrupted">Whether the trial's last attempt was interrupted (<see cref="Trial.IsInterrupted"/>).</param>
    /// <returns>The text.</returns>
    public static string State(TrialState state, bool isInterrupted) =>
        isInterrupted && state == TrialState.Pending ? "pending (interrupted)" : State(state);

    /// <summary>
    /// Writes the value that ranks a trial (<see cref="TrialStanding.RankingValue"/>): a completed trial's objective, or
    /// a pruned trial's last step value followed by the step it stopped at (<c>0.8125 @7</c>); <c>-</c> for none.
    /// </summary>
    /// <param name="standing">The trial's standing.</param>
    /// <returns>The text.</returns>
    public static string Objective(TrialStanding standing)
    {
        if (standing.RankingValue is not { } value)
        {
            return "-";
        }

        return standing.StoppedAtStep is { } step ? $"{Value(value)} @{step.ToString(CultureInfo.InvariantCulture)}" : Value(value);
    }

    /// <summary>Writes one parameter value for a table: reals to six significant digits, choices and integers as themselves.</summary>
    /// <param name="value">The value: a <see cref="double"/>, <see cref="long"/>, <see cref="string"/> or <see cref="bool"/>.</param>
    /// <returns>The text.</returns>
    public static string Parameter(object? value) => value switch
    {
        double d => Value(d),
        string s => s,
        _ => SearchSpaces.Parameter.Format(value),
    };

    /// <summary>
    /// Describes parameters for a table: <c>Name=value, ...</c>, in the given order. The exact values are in
    /// <c>tune best</c>, exports, the lock file and the report's best configuration.
    /// </summary>
    /// <param name="values">The parameters' names and values.</param>
    /// <returns>The text.</returns>
    public static string Parameters(IEnumerable<KeyValuePair<string, object?>> values) =>
        string.Join(", ", values.Select(p => $"{p.Key}={Parameter(p.Value)}"));

    /// <summary>Describes a configuration for a table, as <see cref="Parameters"/> does.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The text.</returns>
    public static string Configuration(Configuration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Parameters(configuration.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)));
    }

    /// <summary>Writes a duration: <c>12.3 s</c> under a minute, <c>m:ss</c> under an hour, <c>h:mm:ss</c> beyond.</summary>
    /// <param name="duration">The duration; a negative one (clock skew between machines) is written as zero.</param>
    /// <returns>The text.</returns>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration.TotalSeconds < 60
            ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : duration.TotalHours < 1
                ? duration.ToString(@"m\:ss", CultureInfo.InvariantCulture)
                : ((int)duration.TotalHours).ToString(CultureInfo.InvariantCulture) + duration.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>Writes how long a trial's last attempt ran, as <see cref="Duration(TimeSpan)"/> does.</summary>
    /// <param name="startedAt">When the attempt started.</param>
    /// <param name="endedAt">When the trial ended.</param>
    /// <returns>The text, or <c>-</c> when it has not started or not ended.</returns>
    public static string Duration(DateTimeOffset? startedAt, DateTimeOffset? endedAt) =>
        startedAt is { } start && endedAt is { } end ? Duration(end - start) : "-";

    /// <summary>Writes elapsed time as a clock: <c>hh:mm:ss</c>.</summary>
    /// <param name="elapsed">The elapsed time.</param>
    /// <returns>The text.</returns>
    public static string Clock(TimeSpan elapsed) =>
        ((int)Math.Max(0, elapsed.TotalHours)).ToString("00", CultureInfo.InvariantCulture) + elapsed.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture);
}
