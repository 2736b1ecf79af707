using System.Text.RegularExpressions;

namespace Tune.Pipeline.Cli.Tests.Sweeps;

public sealed class ReportCommandTests(SweptStore store) : IClassFixture<SweptStore>
{
    [Fact]
    public async Task Report_StoredSweep_WritesTheReportWithEveryTrialAndChart()
    {
        var trials = await store.TrialsAsync("alpha");
        var file = Path.Combine(Path.GetTempPath(), $"tune-{Guid.NewGuid():N}", "report.html");

        try
        {
            var (code, output, error) = await Tune.RunAsync("report", "alpha", "--store", store.Path, "--output", file);

            Assert.Equal((0, string.Empty), (code, error));
            Assert.Equal($"Wrote the report of sweep 'alpha' ({trials.Count} trials) to {file}.", output.Trim());
            var html = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.Equal(trials.Count, Regex.Count(html, "<tr data-n="));
            foreach (var kind in new[] { "history", "parallel", "slice", "pair", "importance" })
            {
                Assert.Contains($"class=\"chart {kind}\"", html, StringComparison.Ordinal);
            }

            // The parameters' scales come from the recorded definition: Rate is log-uniform, Kernel a choice.
            Assert.Contains(">Rate (log)<", html, StringComparison.Ordinal);
            Assert.Contains("<tr><th>seed</th><td>11</td></tr>", html, StringComparison.Ordinal);
            Assert.Contains("(writing this report)", html, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public async Task Report_UnknownSweep_ExitsTwoWithOneLine()
    {
        var (code, output, error) = await Tune.RunAsync("report", "alpah", "--store", store.Path, "--output", Path.Combine(Path.GetTempPath(), $"tune-{Guid.NewGuid():N}.html"));

        Assert.Equal((2, string.Empty), (code, output));
        Assert.Equal($"No sweep 'alpah' in the store '{store.Path}'. Did you mean 'alpha'?", error.Trim());
    }

    [Fact]
    public async Task Report_OutputInAFile_ExitsTwoNamingThePath()
    {
        var blocker = Path.Combine(Path.GetTempPath(), $"tune-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(blocker, "a file, not a folder", TestContext.Current.CancellationToken);

        try
        {
            var (code, _, error) = await Tune.RunAsync("report", "alpha", "--store", store.Path, "--output", Path.Combine(blocker, "report.html"));

            Assert.Equal(2, code);
            Assert.StartsWith($"Cannot write the report to '{Path.Combine(blocker, "report.html")}'", error, StringComparison.Ordinal);
            Assert.Single(error.Trim().Split('\n'));
        }
        finally
        {
            File.Delete(blocker);
        }
    }
}
