using System.Globalization;
using System.Net;
using System.Text;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting;

/// <summary>
/// Writes <c>report.html</c>: one self-contained page (its styles, SVG charts and a small script inline; nothing loaded
/// from elsewhere, so it opens offline and from an artifact store) with the sweep's outcome, the best configuration, the
/// optimisation history, parallel coordinates that filter the table when an axis is brushed, a slice plot per parameter,
/// a scatter of any two parameters, every trial's steps, parameter importance, the trials (sortable and filterable) and
/// the sweep's settings and environment.
/// </summary>
public static class HtmlReport
{
    /// <summary>The file name the sweep publishes the report under.</summary>
    public const string FileName = "report.html";

    /// <summary>Renders the report of a finished sweep.</summary>
    /// <param name="result">The finished sweep.</param>
    /// <param name="options">The experiment, objective, goal, settings and environment.</param>
    /// <param name="generatedAt">The time printed on the page.</param>
    /// <returns>The HTML text.</returns>
    public static string Render(SweepResult result, HtmlReportOptions options, DateTimeOffset generatedAt) =>
        Render(SweepReport.From(result, options), generatedAt);

    /// <summary>Renders the report.</summary>
    /// <param name="report">What to draw.</param>
    /// <param name="generatedAt">The time printed on the page.</param>
    /// <returns>The HTML text.</returns>
    public static string Render(SweepReport report, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(report);
        var metric = Encode(report.ObjectiveMetric);
        var html = new StringBuilder();
        var goal = report.Goal == Goal.Maximize ? "maximize" : "minimize";
        var generated = generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        int Count(TrialState state) => report.Trials.Count(t => t.State == state);
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Encode(report.Experiment)}}: sweep {{Encode(report.Name)}}</title>
            <style>
            {{Style}}
            </style>
            </head>
            <body>
            <h1>{{Encode(report.Experiment)}}</h1>
            <p>Sweep <strong>{{Encode(report.Name)}}</strong>: {{report.Trials.Length}} trials ({{Count(TrialState.Completed)}} completed, {{Count(TrialState.Pruned)}} pruned, {{Count(TrialState.Failed)}} failed); stopped: {{Encode(report.Outcome)}}. Objective: {{metric}} ({{goal}}). Generated {{generated}} UTC.</p>

            """);

        html.Append("<h2>Best configuration</h2>\n");
        if (report.Best is { } best)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Trial {best.Number}: {metric} = {TrialFormat.Value(best.Value!.Value)}</p>\n");
            html.Append("<table>\n<tr><th>parameter</th><th>value</th></tr>\n");
            foreach (var name in ParameterNames(report))
            {
                if (best.Parameters.TryGetValue(name, out var value))
                {
                    html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(name)}</td><td>{Encode(Exact(value))}</td></tr>\n");
                }
            }

            html.Append("</table>\n");
        }
        else
        {
            html.Append("<p>No trial completed.</p>\n");
        }

        var importance = ParameterImportance.Compute(report.Parameters, report.Trials);
        var byImportance = importance.OrderByDescending(i => i.Share ?? -1).Select(i => i.Parameter).ToList();

        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"history\">Optimisation history</h2>\n<p>{metric} of every trial by number (filled: completed; hollow: pruned, at its last step), and the best completed value so far.</p>\n");
        ReportCharts.History(html, report);

        html.Append("<h2 id=\"parallel\">Parallel coordinates</h2>\n<p>One line per trial with a value, coloured from worst (yellow) to best (purple). Drag along an axis to keep only the trials that pass there (the table below follows); click an axis to clear it.</p>\n");
        ReportCharts.ParallelCoordinates(html, report);

        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"slices\">Slices</h2>\n<p>{metric} against each parameter on its own scale: log-scaled parameters on log axes, choices as categories.</p>\n");
        ReportCharts.Slices(html, report);

        html.Append("<h2 id=\"pairs\">Two parameters</h2>\n");
        ReportCharts.Pairs(html, report, byImportance);

        html.Append("<h2 id=\"steps\">Steps</h2>\n<p>Every step each trial reported; a cross marks where a pruned trial stopped, the best trial is drawn in green.</p>\n");
        ReportCharts.Steps(html, report);

        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"importance\">Parameter importance</h2>\n<p>The share of the variance of {metric} over the completed trials that each parameter explains on its own: the correlation ratio η² with the trials grouped by choice, or into at most {ParameterImportance.MaxBins} equal-count bins of a number. It is a first-order measure, like the main effects of fANOVA (Hutter, Hoos and Leyton-Brown, <cite>An Efficient Approach for Assessing Hyperparameter Importance</cite>, ICML 2014) but without its random-forest model and without interactions; with few trials every parameter looks more important than it is.</p>\n");
        ReportCharts.Importance(html, importance);

        AppendTrials(html, report);
        AppendSettings(html, "Settings", "settings", report.Settings);
        AppendSettings(html, "Environment", "environment", report.Environment);
        html.Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Renders the report of a finished sweep and writes it atomically: a reader sees the old file or the new one.</summary>
    /// <param name="path">The file, such as <c>artifacts/&lt;experiment&gt;/report.html</c>.</param>
    /// <param name="result">The finished sweep.</param>
    /// <param name="options">The experiment, objective and goal.</param>
    /// <param name="timeProvider">The clock for the time printed; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public static Task WriteAsync(string path, SweepResult result, HtmlReportOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default) =>
        WriteAsync(path, SweepReport.From(result, options), timeProvider, cancellationToken);

    /// <summary>Renders the report and writes it atomically: a reader sees the old file or the new one.</summary>
    /// <param name="path">The file.</param>
    /// <param name="report">What to draw.</param>
    /// <param name="timeProvider">The clock for the time printed; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public static async Task WriteAsync(string path, SweepReport report, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = Render(report, (timeProvider ?? TimeProvider.System).GetUtcNow());
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

    private static void AppendTrials(StringBuilder html, SweepReport report)
    {
        var metric = Encode(report.ObjectiveMetric);
        var names = ParameterNames(report);
        html.Append("<h2 id=\"trials\">Trials, best first</h2>\n");
        html.Append("<p><label>Filter <input id=\"trial-filter\" type=\"search\" placeholder=\"text in any column\"></label> <span id=\"trial-count\"></span> Click a heading to sort by it.</p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<table id=\"trials-table\">\n<thead><tr><th data-type=\"number\">trial</th><th>state</th><th data-type=\"number\">{metric}</th>");
        foreach (var name in names)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th data-type=\"{(report.Parameters.FirstOrDefault(p => p.Name == name)?.Scale == ReportScale.Category ? "text" : "number")}\">{Encode(name)}</th>");
        }

        html.Append("<th data-type=\"number\">duration</th><th>error</th></tr></thead>\n<tbody>\n");
        var bestNumber = report.Best?.Number;
        foreach (var trial in TrialOrder.BestFirst(report.Trials, report.Goal, static t => t.Standing))
        {
            var css = bestNumber == trial.Number ? " class=\"best\"" : trial.State == TrialState.Failed ? " class=\"failed\"" : string.Empty;
            var ranking = trial.Standing.RankingValue is { } v ? TrialFormat.Exact(v) : string.Empty;
            var seconds = trial.StartedAt is { } s && trial.EndedAt is { } e ? (e - s).TotalSeconds.ToString("R", CultureInfo.InvariantCulture) : string.Empty;
            html.Append(CultureInfo.InvariantCulture, $"<tr data-n=\"{trial.Number}\"{css}><td class=\"number\">{trial.Number}</td><td>{TrialFormat.State(trial.State, trial.IsInterrupted)}</td><td class=\"number\" data-v=\"{ranking}\">{Encode(TrialFormat.Objective(trial.Standing))}</td>");
            foreach (var name in names)
            {
                var value = trial.Parameters.GetValueOrDefault(name);
                var sortKey = value is null or string ? string.Empty : Exact(value);
                html.Append(CultureInfo.InvariantCulture, $"<td{(value is string ? string.Empty : " class=\"number\"")} data-v=\"{Encode(sortKey)}\">{Encode(value is null ? string.Empty : TrialFormat.Parameter(value))}</td>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<td class=\"number\" data-v=\"{seconds}\">{Encode(TrialFormat.Duration(trial.StartedAt, trial.EndedAt))}</td><td>{Encode(trial.Error ?? string.Empty)}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendSettings(StringBuilder html, string title, string id, IEnumerable<KeyValuePair<string, string>> lines)
    {
        var list = lines.ToList();
        if (list.Count == 0)
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"{id}\">{title}</h2>\n<table>\n");
        foreach (var (name, value) in list)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{Encode(name)}</th><td>{Encode(value)}</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    // The definition's parameters first, then any a trial holds beyond them (a store written by another version).
    private static List<string> ParameterNames(SweepReport report)
    {
        var names = report.Parameters.Select(p => p.Name).ToList();
        foreach (var name in report.Trials.SelectMany(t => t.Parameters.Keys).Order(StringComparer.Ordinal))
        {
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static string Exact(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        double d => TrialFormat.Exact(d),
        _ => SearchSpaces.Parameter.Format(value),
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1f24; max-width: 1200px; }
        table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
        th, td { border-bottom: 1px solid #d0d7de; padding: 0.25rem 0.75rem; text-align: left; vertical-align: top; }
        #trials-table th { cursor: pointer; user-select: none; background: #f6f8fa; }
        #trials-table th.asc::after { content: " ▲"; }
        #trials-table th.desc::after { content: " ▼"; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        tr.best td { font-weight: bold; background: #dafbe1; }
        tr.failed td { color: #cf222e; }
        .grid { display: flex; flex-wrap: wrap; gap: 0.5rem; }
        svg.chart { display: block; margin: 0.5rem 0 1rem; overflow: visible; }
        svg text { font-size: 11px; fill: #57606a; }
        svg text.axis-title { font-size: 12px; fill: #1b1f24; }
        .axis { stroke: #8c959f; }
        circle.completed { fill: #0969da; }
        circle.pruned { fill: #fff; stroke: #8c959f; stroke-width: 1.5; }
        circle.pair-point { stroke: #57606a; stroke-width: 0.5; }
        .best-line { fill: none; stroke: #1a7f37; stroke-width: 2; }
        .pc-line { fill: none; stroke-width: 1.5; opacity: 0.85; }
        .pc-line.pruned { stroke-dasharray: 4 3; }
        .pc-line.dim { stroke: #d0d7de !important; opacity: 0.35; }
        .brush-area { fill: transparent; cursor: crosshair; }
        .brush { fill: #0969da; fill-opacity: 0.15; stroke: #0969da; }
        .step-line { fill: none; stroke-width: 1.5; stroke: #0969da; opacity: 0.7; }
        .step-line.pruned { stroke: #8c959f; }
        .step-line.best { stroke: #1a7f37; stroke-width: 2.5; opacity: 1; }
        .pruned-end { stroke: #cf222e; stroke-width: 2; fill: none; }
        .bar { fill: #0969da; }
        .swatch { display: inline-block; width: 0.8em; height: 0.8em; border: 1px solid #57606a; vertical-align: middle; }
        """;

    // Brushing (parallel coordinates), the pair picker, and the table's filter and sort; no library, nothing fetched.
    private const string Script = """
        (function () {
          'use strict';
          var table = document.getElementById('trials-table');
          var rows = table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
          var filterBox = document.getElementById('trial-filter');
          var countLabel = document.getElementById('trial-count');
          var brushes = {};
          var passing = null;

          function apply() {
            var text = filterBox ? filterBox.value.trim().toLowerCase() : '';
            var shown = 0;
            rows.forEach(function (row) {
              var ok = (!passing || passing.has(row.getAttribute('data-n'))) && (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
              row.hidden = !ok;
              if (ok) { shown++; }
            });
            if (countLabel) { countLabel.textContent = shown + ' of ' + rows.length + ' trials shown.'; }
          }

          var svg = document.querySelector('svg.parallel');
          if (svg) {
            var lines = Array.prototype.slice.call(svg.querySelectorAll('.pc-line'));
            var top = parseFloat(svg.getAttribute('data-top'));
            var bottom = parseFloat(svg.getAttribute('data-bottom'));
            function localY(event) {
              var point = svg.createSVGPoint();
              point.x = event.clientX; point.y = event.clientY;
              return point.matrixTransform(svg.getScreenCTM().inverse()).y;
            }
            function place(y) { return Math.min(1, Math.max(0, (bottom - y) / (bottom - top))); }
            function refilter() {
              var axes = Object.keys(brushes);
              if (axes.length === 0) { passing = null; }
              else {
                passing = new Set();
                lines.forEach(function (line) {
                  var p = line.getAttribute('data-p').split(' ').map(Number);
                  var ok = axes.every(function (a) { return p[a] >= brushes[a][0] && p[a] <= brushes[a][1]; });
                  line.classList.toggle('dim', !ok);
                  if (ok) { passing.add(line.getAttribute('data-n')); }
                });
              }
              if (!passing) { lines.forEach(function (line) { line.classList.remove('dim'); }); }
              apply();
            }
            Array.prototype.forEach.call(svg.querySelectorAll('.brush-area'), function (area) {
              var axis = area.getAttribute('data-axis');
              var mark = area.parentNode.querySelector('.brush');
              var start = null;
              area.addEventListener('pointerdown', function (event) {
                start = localY(event);
                area.setPointerCapture(event.pointerId);
                event.preventDefault();
              });
              area.addEventListener('pointermove', function (event) {
                if (start === null) { return; }
                var y = localY(event);
                mark.setAttribute('y', Math.min(start, y));
                mark.setAttribute('height', Math.abs(y - start));
              });
              area.addEventListener('pointerup', function (event) {
                if (start === null) { return; }
                var end = localY(event);
                if (Math.abs(end - start) < 3) {
                  delete brushes[axis];
                  mark.setAttribute('height', 0);
                } else {
                  brushes[axis] = [place(Math.max(start, end)), place(Math.min(start, end))];
                }
                start = null;
                refilter();
              });
            });
          }

          var pick = document.getElementById('pair-select');
          if (pick) {
            pick.addEventListener('change', function () {
              Array.prototype.forEach.call(document.querySelectorAll('svg.pair'), function (chart) {
                chart.style.display = chart.getAttribute('data-pair') === pick.value ? '' : 'none';
              });
            });
          }

          if (table) {
            Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, column) {
              cell.addEventListener('click', function () {
                var ascending = !cell.classList.contains('asc');
                Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.classList.remove('asc', 'desc'); });
                cell.classList.add(ascending ? 'asc' : 'desc');
                var numeric = cell.getAttribute('data-type') === 'number';
                function key(row) {
                  var td = row.cells[column];
                  var v = td.hasAttribute('data-v') ? td.getAttribute('data-v') : td.textContent;
                  return numeric ? (v === '' ? NaN : parseFloat(v)) : v.toLowerCase();
                }
                rows.sort(function (a, b) {
                  var x = key(a), y = key(b);
                  // Empty cells go last whichever way the column sorts: a trial without a value is not the best or the worst.
                  if (numeric && isNaN(x) !== isNaN(y)) { return isNaN(x) ? 1 : -1; }
                  var order = x < y ? -1 : x > y ? 1 : 0;
                  return ascending ? order : -order;
                });
                rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
              });
            });
          }

          if (filterBox) { filterBox.addEventListener('input', apply); }
          apply();
        }());
        """;
}
