using Microsoft.CodeAnalysis;

namespace Tune.Pipeline.Generators.Tests.TestHelpers;

/// <summary>Runs the TUNE analyzers over marked-up source and checks that exactly the marked diagnostics appear.</summary>
internal static class AnalyzerVerifier
{
    private const string Usings = "using Tune.Pipeline;\n";

    /// <summary>Verifies the markup and returns the TUNE diagnostics, so that a test can also check a message.</summary>
    public static async Task<IReadOnlyList<Diagnostic>> VerifyAsync(string markup, bool allowCompilerErrors = false)
    {
        var (source, expected) = DiagnosticMarkup.Parse(Usings + markup);
        var compilation = TestCompilation.Create(source);
        if (!allowCompilerErrors)
        {
            // The case must be real C#: only the analyzers may object to it.
            Assert.Empty(compilation.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("TUNE", StringComparison.Ordinal)));
        }

        var exceptions = new List<Exception>();
        var diagnostics = await TestCompilation.AnalyzeAsync(compilation, exceptions, TestContext.Current.CancellationToken);

        Assert.Empty(exceptions);
        var tune = diagnostics.Where(d => d.Id.StartsWith("TUNE", StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        var actual = tune.Select(d => (d.Id, d.Location.SourceSpan)).ToList();
        Assert.True(
            expected.SequenceEqual(actual),
            $"Expected:{Environment.NewLine}{Describe(expected, source)}{Environment.NewLine}Actual:{Environment.NewLine}"
            + string.Join(Environment.NewLine, tune.Select(d => $"  {d.Id} at '{source[d.Location.SourceSpan.Start..d.Location.SourceSpan.End]}': {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")));
        return tune;
    }

    private static string Describe(IEnumerable<(string Id, Microsoft.CodeAnalysis.Text.TextSpan Span)> diagnostics, string source) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => $"  {d.Id} at '{source[d.Span.Start..d.Span.End]}'"));
}
