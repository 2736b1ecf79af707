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

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);

        // The SVG namespace is a name, not a download.
        Assert.DoesNotContain("http", html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
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
}
