using System.Globalization;
using System.Net;
using System.Text;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting;

/// <summary>
/// Draws the report's charts as inline SVG, with nothing from elsewhere: every drawn data point or line carries the class
/// <c>mark</c>, so a test (or a reader's script) can tell a chart that drew from one that did not.
/// </summary>
internal static class ReportCharts
{
    // Viridis at five stops (van der Walt and Smith, matplotlib 2.0): ordered by lightness, readable in grey and by the colour-blind.
    private static readonly (byte R, byte G, byte B)[] Viridis = [(0xfd, 0xe7, 0x25), (0x5e, 0xc9, 0x62), (0x21, 0x91, 0x8c), (0x3b, 0x52, 0x8b), (0x44, 0x01, 0x54)];

    /// <summary>Draws the objective of every trial by number, with the best value so far as a step line.</summary>
    public static void History(StringBuilder html, SweepReport report)
    {
        var points = Ranked(report).OrderBy(p => p.Trial.Number).ToList();
        if (points.Count == 0)
        {
            html.Append("<p>No objective values to plot.</p>\n");
            return;
        }

        var frame = new Frame(720, 280);
        var x = ReportAxis.For(ReportScale.Linear, [0L, (long)Math.Max(1, report.Trials.Max(t => t.Number))]);
        var y = ObjectiveAxis(points);
        Open(html, frame, "history", $"{report.ObjectiveMetric} by trial, with the best so far");
        Axes(html, frame, x, y, "trial", report.ObjectiveMetric);

        var path = new StringBuilder();
        double? bestSoFar = null;
        foreach (var (trial, value) in points.Where(p => p.Trial.State == TrialState.Completed))
        {
            if (bestSoFar is null)
            {
                bestSoFar = value;
                path.Append(CultureInfo.InvariantCulture, $"M{N(frame.X(x.Place((long)trial.Number)))} {N(frame.Y(y.Place(value)))}");
                continue;
            }

            path.Append(CultureInfo.InvariantCulture, $" H{N(frame.X(x.Place((long)trial.Number)))}");
            if (report.Goal.IsBetter(value, bestSoFar.Value))
            {
                bestSoFar = value;
                path.Append(CultureInfo.InvariantCulture, $" V{N(frame.Y(y.Place(value)))}");
            }
        }

        if (path.Length > 0)
        {
            path.Append(CultureInfo.InvariantCulture, $" H{N(frame.X(1))}");
            html.Append(CultureInfo.InvariantCulture, $"<path class=\"mark best-line\" d=\"{path}\"><title>best so far</title></path>\n");
        }

        foreach (var (trial, value) in points)
        {
            html.Append(CultureInfo.InvariantCulture, $"<circle class=\"mark {Css(trial.State)}\" cx=\"{N(frame.X(x.Place((long)trial.Number)))}\" cy=\"{N(frame.Y(y.Place(value)))}\" r=\"4\"><title>trial {trial.Number} ({TrialFormat.State(trial.State)}): {Encode(TrialFormat.Objective(trial.Standing))}</title></circle>\n");
        }

        html.Append("</svg>\n");
    }

    /// <summary>
    /// Draws parallel coordinates: one vertical axis per parameter and one for the objective, one line per trial with a
    /// value, coloured by it. Each line carries its trial's number and its place on every axis, for the page's brushing script.
    /// </summary>
    public static void ParallelCoordinates(StringBuilder html, SweepReport report)
    {
        if (PointsOrSay(html, report, 1) is not { } points)
        {
            return;
        }

        var axes = report.Parameters.Select(p => (Name: p.Name, Axis: ReportAxis.For(p.Scale, points.Select(t => t.Trial.Parameters.GetValueOrDefault(p.Name))), Scale: p.Scale)).ToList();
        var objective = ObjectiveAxis(points);
        axes.Add((report.ObjectiveMetric, objective, ReportScale.Linear));
        var frame = new Frame(Math.Max(720, 130 * axes.Count), 350, Left: 70, Right: 70, Top: 42, Bottom: 24);
        double AxisX(int i) => frame.X(i / (double)(axes.Count - 1));
        Open(html, frame, "parallel", "parallel coordinates of the parameters and the objective; drag along an axis to filter the trials",
            $" data-top=\"{N(frame.Y(1))}\" data-bottom=\"{N(frame.Y(0))}\"");
        foreach (var (trial, value) in points.OrderBy(p => Goodness(report, objective, p.Value)))
        {
            var places = axes.Take(axes.Count - 1).Select(a => a.Axis.Place(trial.Parameters.GetValueOrDefault(a.Name))).Append(objective.Place(value)).ToList();
            if (places.Any(p => p is null))
            {
                continue;
            }

            var line = string.Join(" ", places.Select((p, i) => $"{N(AxisX(i))},{N(frame.Y(p))}"));
            var data = string.Join(" ", places.Select(p => p!.Value.ToString("0.####", CultureInfo.InvariantCulture)));
            html.Append(CultureInfo.InvariantCulture, $"<polyline class=\"mark pc-line {Css(trial.State)}\" data-n=\"{trial.Number}\" data-p=\"{data}\" points=\"{line}\" stroke=\"{Colour(Goodness(report, objective, value))}\"><title>trial {trial.Number}: {Encode(TrialFormat.Objective(trial.Standing))}</title></polyline>\n");
        }

        for (var i = 0; i < axes.Count; i++)
        {
            var (name, axis, scale) = axes[i];
            var ax = AxisX(i);
            html.Append(CultureInfo.InvariantCulture, $"<g class=\"pc-axis\" data-axis=\"{i}\"><line class=\"axis\" x1=\"{N(ax)}\" y1=\"{N(frame.Y(0))}\" x2=\"{N(ax)}\" y2=\"{N(frame.Y(1))}\"/>\n");
            // Titles alternate between two lines, so that long parameter names on neighbouring axes do not overlap.
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" x=\"{N(ax)}\" y=\"{N(frame.Y(1) - (i % 2 == 0 ? 12 : 26))}\" text-anchor=\"middle\">{Encode(name)}{(scale == ReportScale.Log ? " (log)" : string.Empty)}</text>\n");
            foreach (var (place, label) in axis.Ticks())
            {
                html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(ax - 5)}\" y=\"{N(frame.Y(place) + 4)}\" text-anchor=\"end\">{Encode(Short(label))}</text>\n");
            }

            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"brush\" x=\"{N(ax - 8)}\" y=\"0\" width=\"16\" height=\"0\"/>\n");
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"brush-area\" data-axis=\"{i}\" x=\"{N(ax - 14)}\" y=\"{N(frame.Y(1))}\" width=\"28\" height=\"{N(frame.Y(0) - frame.Y(1))}\"><title>drag to filter by {Encode(name)}; click to clear</title></rect></g>\n");
        }

        html.Append("</svg>\n");
    }

    /// <summary>Draws one slice plot per parameter: the objective against that parameter's values, on its own scale.</summary>
    public static void Slices(StringBuilder html, SweepReport report)
    {
        if (PointsOrSay(html, report, 1) is not { } points)
        {
            return;
        }

        var y = ObjectiveAxis(points);
        html.Append("<div class=\"grid\">\n");
        foreach (var parameter in report.Parameters)
        {
            var x = ReportAxis.For(parameter.Scale, points.Select(p => p.Trial.Parameters.GetValueOrDefault(parameter.Name)));
            var frame = new Frame(340, 240);
            Open(html, frame, "slice", $"{report.ObjectiveMetric} by {parameter.Name}", $" data-parameter=\"{Encode(parameter.Name)}\"");
            Axes(html, frame, x, y, $"{parameter.Name}{(parameter.Scale == ReportScale.Log ? " (log)" : string.Empty)}", report.ObjectiveMetric);
            foreach (var (trial, value) in points)
            {
                if (x.Place(trial.Parameters.GetValueOrDefault(parameter.Name)) is { } place)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<circle class=\"mark {Css(trial.State)}\" cx=\"{N(frame.X(place))}\" cy=\"{N(frame.Y(y.Place(value)))}\" r=\"3.5\"><title>trial {trial.Number}: {Encode(parameter.Name)}={Encode(TrialFormat.Parameter(trial.Parameters[parameter.Name]))}, {Encode(TrialFormat.Objective(trial.Standing))}</title></circle>\n");
                }
            }

            html.Append("</svg>\n");
        }

        html.Append("</div>\n");
    }

    /// <summary>
    /// Draws a scatter of every pair of parameters, coloured by the objective; the page shows one pair at a time (the two
    /// most important first) and a list picks another.
    /// </summary>
    public static void Pairs(StringBuilder html, SweepReport report, IReadOnlyList<ReportParameter> byImportance)
    {
        if (PointsOrSay(html, report, 2) is not { } points)
        {
            return;
        }

        var objective = ObjectiveAxis(points);
        var first = (byImportance[0].Name, byImportance[1].Name);
        var pairs = new List<(ReportParameter X, ReportParameter Y)>();
        for (var i = 0; i < report.Parameters.Length; i++)
        {
            for (var j = i + 1; j < report.Parameters.Length; j++)
            {
                var pair = (report.Parameters[i], report.Parameters[j]);
                if ((pair.Item1.Name, pair.Item2.Name) == first || (pair.Item2.Name, pair.Item1.Name) == first)
                {
                    pairs.Insert(0, pair);
                }
                else
                {
                    pairs.Add(pair);
                }
            }
        }

        html.Append("<p><label>Parameters <select id=\"pair-select\">");
        for (var i = 0; i < pairs.Count; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"{i}\">{Encode(pairs[i].X.Name)} × {Encode(pairs[i].Y.Name)}</option>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</select></label> Colour: {Encode(report.ObjectiveMetric)}, from <span class=\"swatch\" style=\"background:{Colour(0)}\"></span> worst to <span class=\"swatch\" style=\"background:{Colour(1)}\"></span> best.</p>\n");
        for (var i = 0; i < pairs.Count; i++)
        {
            var (px, py) = pairs[i];
            var x = ReportAxis.For(px.Scale, points.Select(p => p.Trial.Parameters.GetValueOrDefault(px.Name)));
            var y = ReportAxis.For(py.Scale, points.Select(p => p.Trial.Parameters.GetValueOrDefault(py.Name)));
            var frame = new Frame(520, 360, Left: 80);
            Open(html, frame, "pair", $"{py.Name} against {px.Name}, coloured by {report.ObjectiveMetric}", $" data-pair=\"{i}\"{(i == 0 ? string.Empty : " style=\"display:none\"")}");
            Axes(html, frame, x, y, $"{px.Name}{(px.Scale == ReportScale.Log ? " (log)" : string.Empty)}", $"{py.Name}{(py.Scale == ReportScale.Log ? " (log)" : string.Empty)}");
            foreach (var (trial, value) in points.OrderBy(p => Goodness(report, objective, p.Value)))
            {
                if (x.Place(trial.Parameters.GetValueOrDefault(px.Name)) is { } cx && y.Place(trial.Parameters.GetValueOrDefault(py.Name)) is { } cy)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<circle class=\"mark pair-point\" cx=\"{N(frame.X(cx))}\" cy=\"{N(frame.Y(cy))}\" r=\"5\" fill=\"{Colour(Goodness(report, objective, value))}\"><title>trial {trial.Number}: {Encode(TrialFormat.Objective(trial.Standing))}</title></circle>\n");
                }
            }

            html.Append("</svg>\n");
        }
    }

    /// <summary>Draws every trial's steps as a curve; a pruned trial's curve ends in a cross where it stopped.</summary>
    public static void Steps(StringBuilder html, SweepReport report)
    {
        var curves = report.Trials.Where(t => !t.Steps.IsEmpty).OrderBy(t => t.Number).ToList();
        if (curves.Count == 0)
        {
            html.Append("<p>No trial reported steps.</p>\n");
            return;
        }

        var frame = new Frame(720, 300);
        var x = ReportAxis.For(ReportScale.Linear, curves.SelectMany(t => t.Steps).Select(s => (object?)s.Step));
        var y = ReportAxis.For(ReportScale.Linear, curves.SelectMany(t => t.Steps).Select(s => (object?)s.Value));
        Open(html, frame, "steps", $"{report.ObjectiveMetric} by step for every trial that reported steps; crosses mark where pruned trials stopped");
        Axes(html, frame, x, y, "step", report.ObjectiveMetric);
        var best = report.Best?.Number;
        foreach (var trial in curves)
        {
            var css = trial.Number == best ? "best" : Css(trial.State);
            var line = string.Join(" ", trial.Steps.Select(s => $"{N(frame.X(x.Place(s.Step)))},{N(frame.Y(y.Place(s.Value)))}"));
            html.Append(CultureInfo.InvariantCulture, $"<polyline class=\"mark step-line {css}\" data-n=\"{trial.Number}\" points=\"{line}\"><title>trial {trial.Number} ({TrialFormat.State(trial.State)})</title></polyline>\n");
            if (trial.State == TrialState.Pruned)
            {
                var last = trial.Steps[^1];
                html.Append(CultureInfo.InvariantCulture, $"<path class=\"mark pruned-end\" d=\"M{N(frame.X(x.Place(last.Step)) - 4)} {N(frame.Y(y.Place(last.Value)) - 4)} l8 8 m0 -8 l-8 8\"><title>trial {trial.Number} pruned at step {last.Step}: {TrialFormat.Value(last.Value)}</title></path>\n");
            }
        }

        html.Append("</svg>\n");
    }

    /// <summary>Draws each parameter's importance (<see cref="ParameterImportance"/>) as a bar.</summary>
    public static void Importance(StringBuilder html, IReadOnlyList<(ReportParameter Parameter, double? Share)> importance)
    {
        if (importance.Count == 0 || importance.All(i => i.Share is null))
        {
            html.Append("<p>Importance needs at least three completed trials.</p>\n");
            return;
        }

        var frame = new Frame(560, 30 + (26 * importance.Count), Left: 150, Right: 60, Top: 8, Bottom: 22);
        Open(html, frame, "importance", "share of the objective's variance explained by each parameter alone (η²)");
        var row = 0;
        foreach (var (parameter, share) in importance)
        {
            var top = frame.Top + (26 * row++);
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(frame.Left - 6)}\" y=\"{N(top + 15)}\" text-anchor=\"end\">{Encode(parameter.Name)}</text>\n");
            if (share is { } s)
            {
                html.Append(CultureInfo.InvariantCulture, $"<rect class=\"mark bar\" x=\"{N(frame.Left)}\" y=\"{N(top + 3)}\" width=\"{N(Math.Max(1, s * (frame.Width - frame.Left - frame.Right)))}\" height=\"18\"><title>{Encode(parameter.Name)}: η² = {s.ToString("0.000", CultureInfo.InvariantCulture)}</title></rect>\n");
                html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(frame.Left + Math.Max(1, s * (frame.Width - frame.Left - frame.Right)) + 4)}\" y=\"{N(top + 15)}\">{s.ToString("0.00", CultureInfo.InvariantCulture)}</text>\n");
            }
            else
            {
                html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(frame.Left + 4)}\" y=\"{N(top + 15)}\">too few trials</text>\n");
            }
        }

        html.Append("</svg>\n");
    }

    /// <summary>Gets the trials that have a value to draw (<see cref="TrialStanding.RankingValue"/>): completed ones, and pruned ones at their last step.</summary>
    private static IEnumerable<(ReportTrial Trial, double Value)> Ranked(SweepReport report) =>
        report.Trials.Where(t => t.Standing.RankingValue is { } v && double.IsFinite(v)).Select(t => (t, t.Standing.RankingValue!.Value));

    // The charts over parameters need enough parameters and a trial with a value: without them the page says so instead of drawing an empty frame.
    private static List<(ReportTrial Trial, double Value)>? PointsOrSay(StringBuilder html, SweepReport report, int parameters)
    {
        var points = Ranked(report).ToList();
        if (points.Count > 0 && report.Parameters.Length >= parameters)
        {
            return points;
        }

        html.Append(parameters == 1 ? "<p>No trial with a value to draw.</p>\n" : "<p>A scatter of two parameters needs two parameters and a trial with a value.</p>\n");
        return null;
    }

    private static ReportAxis ObjectiveAxis(IEnumerable<(ReportTrial Trial, double Value)> points) =>
        ReportAxis.For(ReportScale.Linear, points.Select(p => (object?)p.Value));

    // 1 for the best value on the axis, 0 for the worst, whichever way the goal points.
    private static double Goodness(SweepReport report, ReportAxis objective, double value)
    {
        var place = Math.Clamp(objective.Place(value) ?? 0, 0, 1);
        return report.Goal == Goal.Maximize ? place : 1 - place;
    }

    private static string Colour(double goodness)
    {
        var scaled = Math.Clamp(goodness, 0, 1) * (Viridis.Length - 1);
        var low = Math.Min((int)scaled, Viridis.Length - 2);
        var t = scaled - low;
        var (a, b) = (Viridis[low], Viridis[low + 1]);
        byte Mix(byte from, byte to) => (byte)Math.Round(from + ((to - from) * t));
        return $"#{Mix(a.R, b.R):x2}{Mix(a.G, b.G):x2}{Mix(a.B, b.B):x2}";
    }

    private static void Open(StringBuilder html, Frame frame, string kind, string label, string attributes = "") =>
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {kind}\" width=\"{N(frame.Width)}\" height=\"{N(frame.Height)}\" viewBox=\"0 0 {N(frame.Width)} {N(frame.Height)}\" role=\"img\" aria-label=\"{Encode(label)}\"{attributes}>\n");

    private static void Axes(StringBuilder html, Frame frame, ReportAxis x, ReportAxis y, string xTitle, string yTitle)
    {
        html.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{N(frame.X(0))}\" y1=\"{N(frame.Y(0))}\" x2=\"{N(frame.X(1))}\" y2=\"{N(frame.Y(0))}\"/>\n");
        html.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{N(frame.X(0))}\" y1=\"{N(frame.Y(0))}\" x2=\"{N(frame.X(0))}\" y2=\"{N(frame.Y(1))}\"/>\n");
        foreach (var (place, label) in x.Ticks())
        {
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(frame.X(place))}\" y=\"{N(frame.Y(0) + 14)}\" text-anchor=\"middle\">{Encode(Short(label))}</text>\n");
        }

        foreach (var (place, label) in y.Ticks())
        {
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(frame.X(0) - 5)}\" y=\"{N(frame.Y(place) + 4)}\" text-anchor=\"end\">{Encode(Short(label))}</text>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" x=\"{N(frame.X(0.5))}\" y=\"{N(frame.Height - 6)}\" text-anchor=\"middle\">{Encode(xTitle)}</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" x=\"12\" y=\"{N(frame.Y(0.5))}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {N(frame.Y(0.5))})\">{Encode(yTitle)}</text>\n");
    }

    // A long category (a choice with a sentence in it) would run into the next axis: the full text is in the table and tooltips.
    private static string Short(string label) => label.Length <= 14 ? label : label[..13] + "…";

    private static string Css(TrialState state) => state == TrialState.Completed ? "completed" : "pruned";

    private static string N(double? value) => (value ?? 0).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>The plot area inside a chart: fractions 0..1 on each axis to pixels, y growing upwards.</summary>
    private sealed record Frame(double Width, double Height, double Left = 64, double Right = 16, double Top = 16, double Bottom = 40)
    {
        public double X(double? place) => Left + ((place ?? 0) * (Width - Left - Right));

        public double Y(double? place) => Height - Bottom - ((place ?? 0) * (Height - Top - Bottom));
    }
}
