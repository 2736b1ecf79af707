using System.Text.RegularExpressions;
using Tune.Pipeline.Testing;
using Microsoft.Extensions.Time.Testing;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting.Tests;

public sealed class HtmlReportTests
{
    private static readonly HtmlReportOptions Options = new() { Experiment = "breast-cancer", ObjectiveMetric = "auc", Goal = Goal.Maximize };

    [Fact]
    public void Render_FinishedSweep_MatchesSnapshot()
    {
        var html = HtmlReport.Render(Samples.Result(), Options, Samples.Start.AddMinutes(2));

        Snapshot.Match(html, "Report", "html");
    }

    [Fact]
    public void Render_FinishedSweep_IsSelfContained()
    {
        var html = HtmlReport.Render(Samples.Result(), Options, Samples.Start);

        // One inline script (brushing, sorting, filtering); nothing it or the page loads.
        Assert.Single(Regex.Matches(html, "<script", RegexOptions.IgnoreCase));
        Assert.Contains("<script>\n", html, StringComparison.Ordinal);
        Assert.DoesNotContain("fetch(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("XMLHttpRequest", html, StringComparison.Ordinal);
        Assert.DoesNotContain("import(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);

        // The SVG namespace is a name, not a download.
        Assert.DoesNotContain("http", html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FinishedSweep_EveryChartDrawsMarks()
    {
        var html = HtmlReport.Render(Samples.Result(), Options, Samples.Start);

        var charts = Regex.Matches(html, "<svg [^>]*class=\"chart (\\w+)\"[^>]*>(.*?)</svg>", RegexOptions.Singleline);
        Assert.Equal(["history", "parallel", "slice", "slice", "slice", "pair", "pair", "pair", "steps", "importance"], charts.Select(c => c.Groups[1].Value));
        Assert.All(charts, c => Assert.Contains("class=\"mark", c.Groups[2].Value, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_LogAndChoiceParameters_DrawLogAxesAndCategories()
    {
        var html = HtmlReport.Render(Samples.Result(), Options, Samples.Start);

        var learningRate = Chart(html, "data-parameter=\"LearningRate\"");
        Assert.Contains(">LearningRate (log)<", learningRate, StringComparison.Ordinal);
        Assert.Contains(">0.01<", learningRate, StringComparison.Ordinal);
        Assert.Contains(">0.1<", learningRate, StringComparison.Ordinal);
        Assert.Contains(">Leaves (log)<", Chart(html, "data-parameter=\"Leaves\""), StringComparison.Ordinal);
        var booster = Chart(html, "data-parameter=\"Booster\"");
        Assert.Contains(">dart<", booster, StringComparison.Ordinal);
        Assert.Contains(">gbdt<", booster, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PrunedTrialWithSteps_MarksWhereItStopped()
    {
        var html = HtmlReport.Render(Samples.Result(), Options, Samples.Start);

        var steps = Chart(html, "class=\"chart steps\"");
        Assert.Contains("class=\"mark pruned-end\"", steps, StringComparison.Ordinal);
        Assert.Contains("trial 2 pruned at step 2: 0.61", steps, StringComparison.Ordinal);
        Assert.Contains("<td class=\"number\" data-v=\"0.61\">0.61 @2</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SettingsAndEnvironment_ListsThem()
    {
        var options = new HtmlReportOptions { Experiment = "breast-cancer", ObjectiveMetric = "auc", Goal = Goal.Maximize };
        options.Settings.Add(new("seed", "42"));
        foreach (var line in SweepReport.CurrentEnvironment())
        {
            options.Environment.Add(line);
        }

        var html = HtmlReport.Render(Samples.Result(), options, Samples.Start);

        Assert.Contains("<h2 id=\"settings\">Settings</h2>\n<table>\n<tr><th>seed</th><td>42</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><th>machine</th><td>{Environment.MachineName}</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>.NET</th><td>.NET ", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ErrorWithMarkup_IsEncoded()
    {
        var html = HtmlReport.Render(Samples.Result(), Options, Samples.Start);

        Assert.Contains("&lt;fatal&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<fatal>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NothingToPlot_SaysSo()
    {
        var result = Samples.Result();

        var html = HtmlReport.Render(result with { Trials = [result.Trials[3]], BestTrial = null }, Options, Samples.Start);

        Assert.Contains("No trial completed.", html, StringComparison.Ordinal);
        Assert.Contains("No objective values to plot.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ExistingFile_ReplacesItWithReport()
    {
        var folder = Directory.CreateTempSubdirectory("tune-report-").FullName;
        try
        {
            var path = Path.Combine(folder, HtmlReport.FileName);
            await File.WriteAllTextAsync(path, "old", TestContext.Current.CancellationToken);

            await HtmlReport.WriteAsync(path, Samples.Result(), Options, new FakeTimeProvider(Samples.Start), TestContext.Current.CancellationToken);

            Assert.Equal(HtmlReport.Render(Samples.Result(), Options, Samples.Start), await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
            Assert.Equal([HtmlReport.FileName], Directory.GetFiles(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Chart(string html, string marker)
    {
        var at = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"No chart with {marker}.");
        var start = html.LastIndexOf("<svg", at, StringComparison.Ordinal);
        return html[start..(html.IndexOf("</svg>", at, StringComparison.Ordinal) + 6)];
    }
}
