using System.Globalization;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting;

/// <summary>The order and wording the summary table, the plain progress and the HTML report share.</summary>
internal static class TrialRanking
{
    /// <summary>
    /// Orders trials best first: completed ones by objective (ties to the lower number), then pruned ones by their
    /// last step value, then failed ones, then any still pending or running, each group by number where values tie.
    /// </summary>
    public static IEnumerable<Trial> BestFirst(IEnumerable<Trial> trials, Goal goal) => trials
        .OrderBy(t => Group(t.State))
        .ThenBy(t => RankValue(t, goal))
        .ThenBy(t => t.Number);

    /// <summary>The value that stands for a trial: a completed trial's objective, a pruned trial's last step value.</summary>
    public static double? Objective(Trial trial) => trial.State switch
    {
        TrialState.Completed => trial.Value,
        TrialState.Pruned => trial.LastStep?.Value,
        _ => null,
    };

    public static string FormatValue(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>
    /// Describes a configuration for people: real values to 6 significant digits, so a row fits a terminal. The
    /// exact values are in the lock file, the manifest and the report's best configuration.
    /// </summary>
    public static string FormatConfiguration(Configuration configuration) =>
        string.Join(", ", configuration.Select(p => $"{p.Key}={p.Value switch
        {
            double d => FormatValue(d),
            string s => s,
            _ => Parameter.Format(p.Value),
        }}"));

    public static string FormatState(TrialState state) => state switch
    {
        TrialState.Pending => "pending",
        TrialState.Running => "running",
        TrialState.Completed => "completed",
        TrialState.Pruned => "pruned",
        _ => "failed",
    };

    public static string FormatDuration(TimeSpan duration)
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

    public static string FormatClock(TimeSpan elapsed) =>
        ((int)Math.Max(0, elapsed.TotalHours)).ToString("00", CultureInfo.InvariantCulture) + elapsed.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture);

    public static string? Duration(Trial trial) =>
        trial.StartedAt is { } start && trial.EndedAt is { } end ? FormatDuration(end - start) : null;

    private static int Group(TrialState state) => state switch
    {
        TrialState.Completed => 0,
        TrialState.Pruned => 1,
        TrialState.Failed => 2,
        _ => 3,
    };

    private static double RankValue(Trial trial, Goal goal) =>
        Objective(trial) is { } value && double.IsFinite(value) ? goal.ToLoss(value) : double.PositiveInfinity;
}
