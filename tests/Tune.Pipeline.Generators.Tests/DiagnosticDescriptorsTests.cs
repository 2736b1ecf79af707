using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Tune.Pipeline.Generators.Analyzers;

namespace Tune.Pipeline.Generators.Tests;

public partial class DiagnosticDescriptorsTests
{
    private static readonly DiagnosticDescriptor[] All = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
        .ToArray();

    [Fact]
    public void Descriptors_Ids_AreTuneAndFourDigitsInTheirArea()
    {
        Assert.All(All, d => Assert.Matches(IdPattern(), d.Id));
        Assert.Equal(All.Length, All.Select(d => d.Id).Distinct().Count());
        Assert.All(All.Where(d => d.Category.EndsWith("Experiment", StringComparison.Ordinal)), d => Assert.StartsWith("TUNE01", d.Id, StringComparison.Ordinal));
        Assert.All(All.Where(d => d.Category.EndsWith("Parameters", StringComparison.Ordinal)), d => Assert.StartsWith("TUNE02", d.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void Descriptors_HelpLink_IsBuiltFromTheId()
    {
        Assert.All(All, d => Assert.EndsWith("/" + d.Id + ".md", d.HelpLinkUri, StringComparison.Ordinal));
    }

    [Fact]
    public void Descriptors_EachOne_IsSupportedByExactlyOneAnalyzer()
    {
        var supported = new ExperimentAnalyzer().SupportedDiagnostics.Concat(new ParameterAttributeAnalyzer().SupportedDiagnostics).Select(d => d.Id).ToList();

        Assert.Equal(All.Select(d => d.Id).Order(StringComparer.Ordinal), supported.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Descriptors_EachOne_IsTrackedInTheUnshippedRelease()
    {
        var directory = typeof(DiagnosticDescriptorsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!;
        var unshipped = File.ReadAllText(Path.Combine(directory, "..", "..", "src", "Tune.Pipeline.Generators", "AnalyzerReleases.Unshipped.md"));

        Assert.All(All, d => Assert.Contains($"{d.Id} | {d.Category} | {d.DefaultSeverity} |", unshipped, StringComparison.Ordinal));
    }

    [GeneratedRegex("^TUNE[0-9]{4}$")]
    private static partial Regex IdPattern();
}
