using System.Globalization;
using System.Net;
using PuppeteerSharp;
using PuppeteerSharp.Input;
using Tune.Pipeline.Cli.Dashboard;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Tests.Browser;

/// <summary>
/// <c>report.html</c> of a real sweep in the system Chromium: it loads offline with no console error and no request,
/// every chart draws, brushing an axis filters the table, and a heading sorts it. Screenshots go to
/// <see cref="ReportBrowser.ScreenshotDirectory"/>.
/// </summary>
public sealed class ReportBrowserTests(ReportBrowser fixture) : IClassFixture<ReportBrowser>
{
    private const string VisibleRows = "Array.from(document.querySelectorAll('#trials-table tbody tr')).filter(r => !r.hidden).map(r => Number(r.dataset.n))";

    [Fact]
    public async Task Report_Loads_WithoutConsoleErrorsOrRequestsAndEveryChartDraws()
    {
        var page = await AssertLoadsAndDrawsAsync(fixture.ReportPath, ReportBrowser.Trials, "report.png");
        await using (page)
        {
            Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('svg.steps .pruned-end').length") > 0, "No pruned trial is marked on the step curves.");
        }
    }

    [Fact]
    public async Task Report_OfABreastCancerSweep_LoadsWithoutConsoleErrorsOrRequestsAndEveryChartDraws()
    {
        fixture.SkipUnlessBrowser();
        var directory = Directory.CreateTempSubdirectory("tune-browser-bc-").FullName;
        try
        {
            // The example experiment itself, its steps stopped early by median stopping from round 100.
            var config = Path.Combine(directory, "sweep.yaml");
            await File.WriteAllTextAsync(config, "early-stopping: {policy: median, delay-evaluation: 100}\n", TestContext.Current.CancellationToken);
            var store = Path.Combine(directory, "tune.db");
            var swept = await RunAsync(directory, BreastCancerExecutable, "sweep", "--config", config, "--store", store, "--sweep", "bc", "--max-trials", "12", "--agents", "1", "--seed", "3", "--no-publish");
            Assert.True(swept.Code == 0, swept.Output);
            var report = Path.Combine(directory, "report.html");
            var (code, _, error) = await Tune.RunAsync("report", "bc", "--store", store, "--output", report);
            Assert.True(code == 0, error);

            var page = await AssertLoadsAndDrawsAsync(report, 12, "breast-cancer-report.png");
            await page.DisposeAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Report_BrushingTheObjectiveAxis_FiltersTheTableToTheLinesThatPass()
    {
        await using var page = await OpenAsync();
        var axis = await page.QuerySelectorAsync("svg.parallel .brush-area[data-axis='3']");
        var box = await VisibleBoxAsync(page, axis);

        // The top third of the objective's axis: the best trials.
        await page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + 1);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + (box.Height / 3), new MoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();

        var visible = await page.EvaluateExpressionAsync<int[]>(VisibleRows);
        var passing = await page.EvaluateExpressionAsync<int[]>("Array.from(document.querySelectorAll('svg.parallel .pc-line:not(.dim)')).map(l => Number(l.dataset.n))");
        var lines = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('svg.parallel .pc-line').length");
        Assert.NotEmpty(visible);
        Assert.True(visible.Length < ReportBrowser.Trials, $"Brushing left all {visible.Length} rows.");
        Assert.True(passing.Length < lines, "Brushing dimmed no line.");
        Assert.Equal(passing.Order(), visible.Order());
        Assert.Equal($"{visible.Length} of {ReportBrowser.Trials} trials shown.", await page.EvaluateExpressionAsync<string>("document.getElementById('trial-count').textContent"));
        await page.ScreenshotAsync(Path.Combine(ReportBrowser.ScreenshotDirectory, "report-brushed.png"), new ScreenshotOptions { FullPage = true });

        // A click without a drag clears the axis; the full-page screenshot may have moved it.
        box = await VisibleBoxAsync(page, axis);
        await page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.UpAsync();
        Assert.Equal((ReportBrowser.Trials, 0), ((await page.EvaluateExpressionAsync<int[]>(VisibleRows)).Length, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('svg.parallel .pc-line.dim').length")));
    }

    [Fact]
    public async Task Report_ClickingHeadings_SortsTheTable()
    {
        await using var page = await OpenAsync();

        await page.ClickAsync("#trials-table thead th:nth-child(1)");
        var ascending = await page.EvaluateExpressionAsync<int[]>(VisibleRows);
        await page.ClickAsync("#trials-table thead th:nth-child(1)");
        var descending = await page.EvaluateExpressionAsync<int[]>(VisibleRows);
        await page.ClickAsync("#trials-table thead th:nth-child(4)");
        var rates = await page.EvaluateExpressionAsync<string[]>("Array.from(document.querySelectorAll('#trials-table tbody tr')).map(r => r.cells[3].dataset.v)");

        Assert.Equal(Enumerable.Range(0, ReportBrowser.Trials), ascending);
        Assert.Equal(Enumerable.Range(0, ReportBrowser.Trials).Reverse(), descending);
        var numbers = rates.Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(numbers.Order(), numbers);
    }

    [Fact]
    public async Task Dashboard_TrialAddedToTheStore_AppearsWithoutAReload()
    {
        var browser = fixture.SkipUnlessBrowser();
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DashboardServer.StartAsync(fixture.StorePath, IPAddress.Loopback, 0, null, ct);
        await using var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type is ConsoleType.Error)
            {
                errors.Add(e.Message.Text);
            }
        };
        page.PageError += (_, e) => errors.Add(e.Message);
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        await page.GoToAsync(server.Address.AbsoluteUri, WaitUntilNavigation.Load);
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("a[href='/sweeps/browser']"));
        Assert.Equal(ReportBrowser.Trials, (await page.EvaluateExpressionAsync<int[]>(VisibleRows)).Length);

        // A reload would lose this; the page must redraw in place.
        await page.EvaluateExpressionAsync("window.notReloaded = true");
        await using (var store = new SqliteSweepStore(fixture.StorePath))
        {
            var configuration = StepsExperimentSearchSpace.Instance.CreateConfiguration([0.03, 6L, "gbdt"]);
            var start = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
            var trial = new Trial(ReportBrowser.Trials, configuration, TrialState.Running, null) { Attempts = 1, StartedAt = start };
            await store.SaveTrialAsync("browser", trial with { State = TrialState.Pending, Attempts = 0, StartedAt = null }, ct);
            await store.SaveTrialAsync("browser", trial, ct);
            await store.AppendStepAsync("browser", ReportBrowser.Trials, new StepValue(1, 0.97), ct);
            await store.SaveTrialAsync("browser", trial with { State = TrialState.Completed, Value = 0.99, EndedAt = start.AddSeconds(1) }, ct);
        }

        await page.WaitForFunctionAsync($"() => document.querySelectorAll('#trials-table tbody tr').length === {ReportBrowser.Trials + 1}", new WaitForFunctionOptions { Timeout = 20_000 });
        Assert.True(await page.EvaluateExpressionAsync<bool>("window.notReloaded === true"), "The page reloaded.");
        Assert.Equal(ReportBrowser.Trials.ToString(CultureInfo.InvariantCulture), await page.EvaluateExpressionAsync<string>("document.querySelector('#trials-table tbody tr').dataset.n"));
        Assert.All(await page.EvaluateExpressionAsync<int[]>("Array.from(document.querySelectorAll('svg.chart')).map(c => c.querySelectorAll('.mark').length)"), count => Assert.True(count > 0));
        Assert.Empty(errors);
        await page.ScreenshotAsync(Path.Combine(ReportBrowser.ScreenshotDirectory, "dashboard.png"), new ScreenshotOptions { FullPage = true });
    }

    // Mouse events land only inside the viewport: bring the chart into it first.
    private static string BreastCancerExecutable =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "BreastCancer", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name, "BreastCancer.dll"));

    private static async Task<(int Code, string Output)> RunAsync(string directory, string executable, params string[] arguments)
    {
        var (code, output, error) = await TuneChildProcess.RunDotnetAsync(
            directory, [executable, .. arguments], new Dictionary<string, string> { ["TUNE_HOME"] = directory }, removed: null, TestContext.Current.CancellationToken);
        return (code, output + error);
    }

    // Opens a report, asserting that it loads with no console error and no request but its own, that every chart draws
    // marks, and that the table lists every trial; saves a screenshot and hands back the page.
    private async Task<IPage> AssertLoadsAndDrawsAsync(string reportPath, int trials, string screenshot)
    {
        var page = await fixture.SkipUnlessBrowser().NewPageAsync();
        var errors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type is ConsoleType.Error or ConsoleType.Warning)
            {
                errors.Add(e.Message.Text);
            }
        };
        page.PageError += (_, e) => errors.Add(e.Message);
        page.Request += (_, e) => requests.Add(e.Request.Url);
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });

        var url = new Uri(reportPath).AbsoluteUri;
        await page.GoToAsync(url, WaitUntilNavigation.Load);

        Assert.Empty(errors);
        Assert.Equal([url], requests);
        var marks = await page.EvaluateExpressionAsync<int[]>("Array.from(document.querySelectorAll('svg.chart')).map(c => c.querySelectorAll('.mark').length)");
        var kinds = await page.EvaluateExpressionAsync<string[]>("Array.from(document.querySelectorAll('svg.chart')).map(c => c.classList[1])");
        Assert.Equal(["history", "parallel", "slice", "steps", "importance"], kinds.Distinct().Except(["pair"]));
        Assert.Contains("pair", kinds);
        Assert.All(marks, count => Assert.True(count > 0, $"A chart drew no marks: {string.Join(", ", kinds.Zip(marks))}."));
        Assert.Equal(trials, (await page.EvaluateExpressionAsync<int[]>(VisibleRows)).Length);
        await page.ScreenshotAsync(Path.Combine(ReportBrowser.ScreenshotDirectory, screenshot), new ScreenshotOptions { FullPage = true });
        return page;
    }

    private static async Task<BoundingBox> VisibleBoxAsync(IPage page, IElementHandle element)
    {
        await page.EvaluateExpressionAsync("document.querySelector('svg.parallel').scrollIntoView({ block: 'center' })");
        return await element.BoundingBoxAsync();
    }

    private async Task<IPage> OpenAsync()
    {
        var page = await fixture.SkipUnlessBrowser().NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        await page.GoToAsync(new Uri(fixture.ReportPath).AbsoluteUri, WaitUntilNavigation.Load);
        return page;
    }
}
