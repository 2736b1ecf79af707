using ScottPlot;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting;

/// <summary>
/// Draws a sweep's optimisation history and its best trials' steps as PNG images (ScottPlot 5), for places HTML cannot
/// go: a markdown summary, a README, <c>artifacts/&lt;experiment&gt;/</c>. <c>report.html</c> holds the same and more.
/// </summary>
public static class PngCharts
{
    /// <summary>The file name of the history chart.</summary>
    public const string HistoryFileName = "history.png";

    /// <summary>The file name of the steps chart.</summary>
    public const string StepsFileName = "steps.png";

    /// <summary>How many of the best completed trials the steps chart draws.</summary>
    public const int BestTrialsDrawn = 5;

    private const int Width = 800;
    private const int Height = 450;

    /// <summary>Draws the objective of every trial by number (completed filled, pruned hollow at their last step) and the best completed value so far.</summary>
    /// <param name="report">The sweep.</param>
    /// <returns>The PNG bytes, or <see langword="null"/> when no trial has a value.</returns>
    public static byte[]? History(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var ranked = report.Trials.Where(t => t.Standing.RankingValue is { } v && double.IsFinite(v)).OrderBy(t => t.Number).ToList();
        if (ranked.Count == 0)
        {
            return null;
        }

        using var plot = new Plot();
        plot.Title($"{report.Name}: {report.ObjectiveMetric} by trial");
        plot.XLabel("trial");
        plot.YLabel($"{report.ObjectiveMetric} ({(report.Goal == Goal.Maximize ? "maximize" : "minimize")})");
        var completed = ranked.Where(t => t.State == TrialState.Completed).ToList();
        if (completed.Count > 0)
        {
            var best = new List<double>();
            foreach (var trial in completed)
            {
                best.Add(best.Count == 0 || report.Goal.IsBetter(trial.Value!.Value, best[^1]) ? trial.Value!.Value : best[^1]);
            }

            var line = plot.Add.Scatter(completed.Select(t => (double)t.Number).ToArray(), best.ToArray());
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.Color = Color.FromHex("#1a7f37");
            line.LegendText = "best so far";
            Points(plot, completed, "completed", Color.FromHex("#0969da"), MarkerShape.FilledCircle);
        }

        Points(plot, ranked.Where(t => t.State == TrialState.Pruned).ToList(), "pruned (last step)", Color.FromHex("#8c959f"), MarkerShape.OpenCircle);
        plot.ShowLegend();
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>Draws the steps of the best completed trials (<see cref="BestTrialsDrawn"/>, in the one order), one line each.</summary>
    /// <param name="report">The sweep.</param>
    /// <returns>The PNG bytes, or <see langword="null"/> when none of them reported steps.</returns>
    public static byte[]? Steps(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var best = TrialOrder.BestFirst(report.Trials, report.Goal, static t => t.Standing)
            .Where(t => t.State == TrialState.Completed && !t.Steps.IsEmpty)
            .Take(BestTrialsDrawn)
            .ToList();
        if (best.Count == 0)
        {
            return null;
        }

        using var plot = new Plot();
        plot.Title($"{report.Name}: steps of the {best.Count} best trials");
        plot.XLabel("step");
        plot.YLabel(report.ObjectiveMetric);
        foreach (var trial in best)
        {
            var line = plot.Add.Scatter(trial.Steps.Select(s => (double)s.Step).ToArray(), trial.Steps.Select(s => s.Value).ToArray());
            line.LegendText = $"trial {trial.Number}";
            line.MarkerSize = 4;
        }

        plot.ShowLegend();
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>Writes <see cref="HistoryFileName"/> and <see cref="StepsFileName"/> into a folder, each only where it has something to draw.</summary>
    /// <param name="directory">The folder, such as <c>artifacts/&lt;experiment&gt;/v3</c>.</param>
    /// <param name="report">The sweep.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The file names written.</returns>
    public static async Task<IReadOnlyList<string>> WriteAsync(string directory, SweepReport report, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (name, image) in new[] { (HistoryFileName, History(report)), (StepsFileName, Steps(report)) })
        {
            if (image is not null)
            {
                await File.WriteAllBytesAsync(Path.Combine(directory, name), image, cancellationToken).ConfigureAwait(false);
                written.Add(name);
            }
        }

        return written;
    }

    private static void Points(Plot plot, List<ReportTrial> trials, string legend, Color colour, MarkerShape shape)
    {
        if (trials.Count == 0)
        {
            return;
        }

        var points = plot.Add.Scatter(trials.Select(t => (double)t.Number).ToArray(), trials.Select(t => t.Standing.RankingValue!.Value).ToArray());
        points.LineWidth = 0;
        points.MarkerSize = 8;
        points.MarkerShape = shape;
        points.Color = colour;
        points.LegendText = legend;
    }
}
