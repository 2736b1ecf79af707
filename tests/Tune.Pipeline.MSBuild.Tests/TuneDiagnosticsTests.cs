using System.Text.RegularExpressions;

namespace Tune.Pipeline.MSBuild.Tests;

public partial class TuneDiagnosticsTests
{
    // Help links point at the default branch's blob of docs/diagnostics/ID.md; the test maps that prefix to this checkout.
    private const string BlobPrefix = "https://github.com/tune-pipeline/tune-pipeline/blob/main/";

    public static TheoryData<string> Ids => [.. TuneDiagnostics.All];

    [Theory]
    [MemberData(nameof(Ids))]
    public void HelpLink_OfEveryId_IsAPageInTheRepository(string id)
    {
        var link = TuneDiagnostics.HelpLink(id);

        Assert.StartsWith(BlobPrefix, link, StringComparison.Ordinal);
        var page = Path.Combine(BuildFolder.RepositoryRoot, link[BlobPrefix.Length..]);
        Assert.True(File.Exists(page), $"{link} maps to {page}, which does not exist.");
        Assert.StartsWith($"# {id}: ", File.ReadAllText(page), StringComparison.Ordinal);
        Assert.Contains($"[{id}]({id}.md)", File.ReadAllText(Path.Combine(BuildFolder.RepositoryRoot, "docs", "diagnostics", "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_AreTune10xx_AndTheTargetsReportOnlyThese_WithTheSameLink()
    {
        var targets = File.ReadAllText(Path.Combine(BuildFolder.TasksOutput, "build", "Tune.Pipeline.MSBuild.targets"));

        Assert.All(TuneDiagnostics.All, id => Assert.Matches("^TUNE10[0-9]{2}$", id));
        Assert.Equal(TuneDiagnostics.All.Count, TuneDiagnostics.All.Distinct().Count());
        Assert.Subset(TuneDiagnostics.All.ToHashSet(), TuneId().Matches(targets).Select(m => m.Value).ToHashSet());
        Assert.Contains($"<TunePipelineHelpLink>{TuneDiagnostics.HelpLink(string.Empty)[..^3]}</TunePipelineHelpLink>", targets, StringComparison.Ordinal);
    }

    [GeneratedRegex("TUNE[0-9]{4}")]
    private static partial Regex TuneId();
}
