using System.Globalization;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Tests.Sweeps;

public sealed class ListCommandTests(SweptStore store) : IClassFixture<SweptStore>
{
    [Fact]
    public async Task List_StoreWithTwoSweeps_ShowsEachWithStateTrialCountsAndBestValue()
    {
        var alpha = await store.TrialsAsync("alpha");

        var (code, output, error) = await Tune.RunAsync("list", "--store", store.Path);

        Assert.Equal(0, code);
        Assert.Empty(error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(store.Path, lines[0], StringComparison.Ordinal);
        Assert.Equal(["sweep", "state", "goal", "trials", "completed", "pruned", "failed", "active", "best", "created", "(UTC)", "updated", "(UTC)"], Cells(lines[1]));
        var row = Cells(Assert.Single(lines, l => l.StartsWith("alpha ", StringComparison.Ordinal)));
        var completed = alpha.Where(t => t.State == TrialState.Completed).ToList();
        var best = completed.Min(t => t.Value!.Value);
        Assert.Equal(
            ["alpha", "closed", "(MaxTrials)", "minimize", "12", Count(completed.Count), "0", Count(alpha.Count(t => t.State == TrialState.Failed)), "0", best.ToString("G6", CultureInfo.InvariantCulture)],
            row[..10]);
        Assert.Single(lines, l => l.StartsWith("beta ", StringComparison.Ordinal) && l.Contains("maximize", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_NoStoreFile_SaysThereIsNoneAndCreatesNothing()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"tune-{Guid.NewGuid():N}", "tune.db");

        var (code, output, _) = await Tune.RunAsync("list", "--store", missing);

        Assert.Equal(0, code);
        Assert.Contains($"there is no store at '{missing}'", output, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);
}
