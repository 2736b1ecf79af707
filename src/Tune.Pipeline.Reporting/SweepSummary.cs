using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting;

/// <summary>
/// Writes a finished sweep's summary table, best first: trial, state, objective, parameters and duration.
/// </summary>
public static class SweepSummary
{
    /// <summary>Writes the table, with a caption naming the best trial and why the sweep ended.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="result">The finished sweep.</param>
    /// <param name="objectiveMetric">The objective metric's name, for the column heading.</param>
    /// <param name="goal">Whether the objective was maximized or minimized; it orders the rows.</param>
    /// <param name="maxRows">The most rows to show; the rest are counted in the caption. Defaults to all.</param>
    public static void Write(IAnsiConsole console, SweepResult result, string objectiveMetric, Goal goal, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Write(Build(result, objectiveMetric, goal, maxRows));
        console.WriteLine();
    }

    /// <summary>Builds the table without writing it, to place it in a larger layout.</summary>
    /// <param name="result">The finished sweep.</param>
    /// <param name="objectiveMetric">The objective metric's name, for the column heading.</param>
    /// <param name="goal">Whether the objective was maximized or minimized; it orders the rows.</param>
    /// <param name="maxRows">The most rows to show; the rest are counted in the caption. Defaults to all.</param>
    /// <returns>The table, followed by a line of counts.</returns>
    public static IRenderable Build(SweepResult result, string objectiveMetric, Goal goal, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(objectiveMetric);
        if (maxRows is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        }

        var table = new Table()
            .Title(new TableTitle($"sweep {Markup.Escape(result.SweepName)}"))
            .AddColumn(new TableColumn("trial").RightAligned())
            .AddColumn("state")
            .AddColumn(new TableColumn(Markup.Escape(objectiveMetric)).RightAligned())
            .AddColumn("parameters")
            .AddColumn(new TableColumn("duration").RightAligned());

        var ordered = result.Trials.BestFirst(goal).ToList();
        var shown = maxRows is { } max ? ordered.Take(max).ToList() : ordered;
        foreach (var trial in shown)
        {
            var isBest = ReferenceEquals(trial, result.BestTrial) || (result.BestTrial is { } best && best.Number == trial.Number);
            var objective = TrialFormat.Objective(trial.Standing);
            var style = isBest ? new Style(Color.Green, decoration: Decoration.Bold) : trial.State == TrialState.Failed ? new Style(Color.Red) : Style.Plain;
            table.AddRow(
                new Text(trial.Number.ToString(CultureInfo.InvariantCulture) + (isBest ? " *" : string.Empty), style),
                new Text(TrialFormat.State(trial.State, trial.IsInterrupted), style),
                new Text(objective, style),
                new Text(TrialFormat.Configuration(trial.Configuration)),
                new Text(TrialFormat.Duration(trial.StartedAt, trial.EndedAt)));
        }

        if (result.BestTrial is { } top)
        {
            table.Caption(new TableTitle(Markup.Escape($"* best: trial {top.Number}, {objectiveMetric}={TrialFormat.Value(top.Value!.Value)}")));
        }

        // Counts on a line of their own under the table, so a narrow table does not wrap them.
        var counts = result.BestTrial is null ? "no trial completed; " : string.Empty;
        counts += $"{result.Count(TrialState.Completed)} completed, {result.Count(TrialState.Pruned)} pruned, {result.Count(TrialState.Failed)} failed; stopped: {StopReason(result.StopReason)}";
        if (shown.Count < ordered.Count)
        {
            counts += $"; {ordered.Count - shown.Count} more not shown";
        }

        return new Rows(table, new Text(counts));
    }

    /// <summary>Names why a sweep stopped, in words: <c>trial budget spent</c>, <c>no improvement</c> and so on.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The words.</returns>
    public static string StopReason(SweepStopReason reason) => reason switch
    {
        SweepStopReason.MaxTrials => "trial budget spent",
        SweepStopReason.SearchSpaceExhausted => "search space exhausted",
        SweepStopReason.MaxDuration => "time budget spent",
        SweepStopReason.NoImprovement => "no improvement",
        SweepStopReason.TargetReached => "target reached",
        _ => "cancelled",
    };
}
