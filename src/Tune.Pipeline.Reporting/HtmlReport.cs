using System.Globalization;
using System.Net;
using System.Text;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting;

/// <summary>
/// Writes <c>report.html</c>: a self-contained page (no scripts, fonts or images from elsewhere) with the sweep's
/// outcome, the best configuration, an SVG plot of the objective by trial number, and every trial, best first.
/// </summary>
public static class HtmlReport
{
    /// <summary>The file name the sweep publishes the report under.</summary>
    public const string FileName = "report.html";

    private const double Width = 640;
    private const double Height = 260;
    private const double Left = 64;
    private const double Right = 16;
    private const double Top = 16;
    private const double Bottom = 40;

    /// <summary>Renders the report.</summary>
    /// <param name="result">The finished sweep.</param>
    /// <param name="options">The experiment, objective and goal.</param>
    /// <param name="generatedAt">The time printed on the page.</param>
    /// <returns>The HTML text.</returns>
    public static string Render(SweepResult result, HtmlReportOptions options, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var metric = Encode(options.ObjectiveMetric);
        var html = new StringBuilder();
        var goal = options.Goal == Goal.Maximize ? "maximize" : "minimize";
        var generated = generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var stopped = Encode(SweepSummary.StopReason(result.StopReason));
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Encode(options.Experiment)}}: sweep {{Encode(result.SweepName)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1f24; }
            table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
            th, td { border-bottom: 1px solid #d0d7de; padding: 0.25rem 0.75rem; text-align: left; vertical-align: top; }
            td.number { text-align: right; font-variant-numeric: tabular-nums; }
            tr.best td { font-weight: bold; background: #dafbe1; }
            tr.failed td { color: #cf222e; }
            svg text { font-size: 11px; fill: #57606a; }
            .completed { fill: #0969da; }
            .pruned { fill: none; stroke: #8c959f; stroke-width: 1.5; }
            .best-line { fill: none; stroke: #1a7f37; stroke-width: 2; }
            .axis { stroke: #8c959f; }
            </style>
            </head>
            <body>
            <h1>{{Encode(options.Experiment)}}</h1>
            <p>Sweep <strong>{{Encode(result.SweepName)}}</strong>: {{result.Trials.Length}} trials ({{result.Count(TrialState.Completed)}} completed, {{result.Count(TrialState.Pruned)}} pruned, {{result.Count(TrialState.Failed)}} failed); stopped: {{stopped}}. Objective: {{metric}} ({{goal}}). Generated {{generated}} UTC.</p>

            """);

        html.Append("<h2>Best configuration</h2>\n");
        if (result.BestTrial is { } best)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Trial {best.Number}: {metric} = {TrialFormat.Value(best.Value!.Value)}</p>\n");
            html.Append("<table>\n<tr><th>parameter</th><th>value</th></tr>\n");
            foreach (var (name, value) in best.Configuration)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(name)}</td><td>{Encode(FormatParameter(value))}</td></tr>\n");
            }

            html.Append("</table>\n");
        }
        else
        {
            html.Append("<p>No trial completed.</p>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>{metric} by trial</h2>\n");
        AppendPlot(html, result, options);

        html.Append("<h2>Trials, best first</h2>\n<table>\n");
        html.Append(CultureInfo.InvariantCulture, $"<tr><th>trial</th><th>state</th><th>{metric}</th><th>parameters</th><th>duration</th><th>error</th></tr>\n");
        foreach (var trial in result.Trials.BestFirst(options.Goal))
        {
            var css = result.BestTrial?.Number == trial.Number ? " class=\"best\"" : trial.State == TrialState.Failed ? " class=\"failed\"" : string.Empty;
            var objective = TrialFormat.Objective(trial.Standing);
            html.Append(CultureInfo.InvariantCulture, $"<tr{css}><td class=\"number\">{trial.Number}</td><td>{TrialFormat.State(trial.State, trial.IsInterrupted)}</td><td class=\"number\">{objective}</td><td>{Encode(TrialFormat.Configuration(trial.Configuration))}</td><td class=\"number\">{Encode(TrialFormat.Duration(trial.StartedAt, trial.EndedAt))}</td><td>{Encode(trial.Error ?? string.Empty)}</td></tr>\n");
        }

        html.Append("</table>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Renders the report and writes it atomically: a reader sees the old file or the new one.</summary>
    /// <param name="path">The file, such as <c>artifacts/&lt;experiment&gt;/report.html</c>.</param>
    /// <param name="result">The finished sweep.</param>
    /// <param name="options">The experiment, objective and goal.</param>
    /// <param name="timeProvider">The clock for the time printed; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public static async Task WriteAsync(string path, SweepResult result, HtmlReportOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = Render(result, options, (timeProvider ?? TimeProvider.System).GetUtcNow());
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static void AppendPlot(StringBuilder html, SweepResult result, HtmlReportOptions options)
    {
        var points = result.Trials
            .Where(t => t.Standing.RankingValue is not null)
            .OrderBy(t => t.Number)
            .Select(t => (Trial: t, Value: t.Standing.RankingValue!.Value))
            .ToList();
        if (points.Count == 0)
        {
            html.Append("<p>No objective values to plot.</p>\n");
            return;
        }

        var xMax = Math.Max(1, result.Trials.Max(t => t.Number));
        var yMin = points.Min(p => p.Value);
        var yMax = points.Max(p => p.Value);
        if (yMin == yMax)
        {
            // One distinct value: give the axis some height so the points sit in the middle.
            var pad = yMin == 0 ? 1 : Math.Abs(yMin) * 0.1;
            yMin -= pad;
            yMax += pad;
        }

        double X(int number) => Left + (number / (double)xMax * (Width - Left - Right));
        double Y(double value) => Top + ((yMax - value) / (yMax - yMin) * (Height - Top - Bottom));

        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(Width)}\" height=\"{N(Height)}\" viewBox=\"0 0 {N(Width)} {N(Height)}\" role=\"img\" aria-label=\"{Encode(options.ObjectiveMetric)} by trial number\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{N(Left)}\" y1=\"{N(Height - Bottom)}\" x2=\"{N(Width - Right)}\" y2=\"{N(Height - Bottom)}\"/>\n");
        html.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{N(Left)}\" y1=\"{N(Top)}\" x2=\"{N(Left)}\" y2=\"{N(Height - Bottom)}\"/>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left - 6)}\" y=\"{N(Top + 4)}\" text-anchor=\"end\">{TrialFormat.Value(yMax)}</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left - 6)}\" y=\"{N(Height - Bottom)}\" text-anchor=\"end\">{TrialFormat.Value(yMin)}</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left)}\" y=\"{N(Height - Bottom + 16)}\" text-anchor=\"middle\">0</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Width - Right)}\" y=\"{N(Height - Bottom + 16)}\" text-anchor=\"middle\">{xMax}</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N((Left + Width - Right) / 2)}\" y=\"{N(Height - 6)}\" text-anchor=\"middle\">trial</text>\n");

        // The best value so far, as a step line through the completed trials in number order.
        var path = new StringBuilder();
        double? bestSoFar = null;
        foreach (var (trial, value) in points.Where(p => p.Trial.State == TrialState.Completed))
        {
            if (bestSoFar is null)
            {
                bestSoFar = value;
                path.Append(CultureInfo.InvariantCulture, $"M{N(X(trial.Number))} {N(Y(value))}");
                continue;
            }

            path.Append(CultureInfo.InvariantCulture, $" H{N(X(trial.Number))}");
            if (options.Goal.IsBetter(value, bestSoFar.Value))
            {
                bestSoFar = value;
                path.Append(CultureInfo.InvariantCulture, $" V{N(Y(value))}");
            }
        }

        var lastCompleted = points.LastOrDefault(p => p.Trial.State == TrialState.Completed).Trial;
        if (path.Length > 0)
        {
            if (lastCompleted is not null && lastCompleted.Number < xMax)
            {
                path.Append(CultureInfo.InvariantCulture, $" H{N(X(xMax))}");
            }

            html.Append(CultureInfo.InvariantCulture, $"<path class=\"best-line\" d=\"{path}\"/>\n");
        }

        foreach (var (trial, value) in points)
        {
            var css = trial.State == TrialState.Completed ? "completed" : "pruned";
            html.Append(CultureInfo.InvariantCulture, $"<circle class=\"{css}\" cx=\"{N(X(trial.Number))}\" cy=\"{N(Y(value))}\" r=\"4\"><title>trial {trial.Number} ({TrialFormat.State(trial.State)}): {TrialFormat.Value(value)}</title></circle>\n");
        }

        html.Append("</svg>\n");
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string FormatParameter(object value) => value is string s ? s : Parameter.Format(value);
}
