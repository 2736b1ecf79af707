using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Tune.Pipeline.Generators.Tests.TestHelpers;

namespace Tune.Pipeline.Generators.Tests;

/// <summary>
/// Every descriptor's help link opens a page of this repository, and the page's example really produces that diagnostic
/// with the message the page shows.
/// </summary>
public partial class DiagnosticDocsTests
{
    // Help links point at the default branch's blob of docs/diagnostics/ID.md; the test maps that prefix to this checkout.
    private const string BlobPrefix = "https://github.com/tune-pipeline/tune-pipeline/blob/main/";

    public static TheoryData<string> Ids => [.. Descriptors().Select(d => d.Id)];

    [Theory]
    [MemberData(nameof(Ids))]
    public void HelpLink_OfEveryDescriptor_IsAPageInTheRepository(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);

        Assert.StartsWith(BlobPrefix, descriptor.HelpLinkUri, StringComparison.Ordinal);
        var page = Path.Combine(RepositoryRoot(), descriptor.HelpLinkUri[BlobPrefix.Length..]);
        Assert.True(File.Exists(page), $"{descriptor.HelpLinkUri} maps to {page}, which does not exist.");
        Assert.StartsWith($"# {id}: {descriptor.Title}", File.ReadAllText(page), StringComparison.Ordinal);
        Assert.Contains($"[{id}]({id}.md)", File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics", "README.md")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Example_OnEveryPage_ReportsItsDiagnosticWithTheMessageShown(string id)
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics", id + ".md"));
        var code = CSharpBlock().Match(page);
        Assert.True(code.Success, $"{id}.md has no ```csharp example.");
        var shown = Regex.Match(page, $@"(?:error|warning) {id}: (?<message>[^\n]+)\n");
        Assert.True(shown.Success, $"{id}.md shows no '{id}: message' line.");
        var exceptions = new List<Exception>();

        var diagnostics = await TestCompilation.AnalyzeAsync(TestCompilation.Create(code.Groups["code"].Value), exceptions, TestContext.Current.CancellationToken);

        Assert.Empty(exceptions);
        var reported = diagnostics.Where(d => d.Id == id).Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(reported.Count > 0, $"{id}.md's example reports {string.Join(", ", diagnostics.Select(d => d.Id))}, not {id}.");
        Assert.Contains(shown.Groups["message"].Value, reported);
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() => typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (DiagnosticDescriptor)field.GetValue(null)!);

    private static string RepositoryRoot()
    {
        var directory = typeof(DiagnosticDocsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!;
        return Path.GetFullPath(Path.Combine(directory, "..", ".."));
    }

    [GeneratedRegex("```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
