using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Tune.Pipeline.Generators.Tests.TestHelpers;

/// <summary>Checks that the generator's pipeline is incremental: cached on unrelated edits, with models that hold only values.</summary>
internal static class GeneratorAssert
{
    private static readonly string[] TrackedSteps = [TrackingNames.Parse, TrackingNames.Experiments, TrackingNames.SharedParametersTypes];

    /// <summary>Runs the generator, adds an unrelated file, reruns it, and checks that every tracked step and output was reused.</summary>
    public static void CachedAfterUnrelatedChange(Compilation compilation)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var driver = TestCompilation.CreateDriver().RunGenerators(compilation, cancellationToken);
        var changed = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("internal static class Unrelated { }", TestCompilation.ParseOptions, cancellationToken: cancellationToken));

        var result = driver.RunGenerators(changed, cancellationToken).GetRunResult().Results.Single();

        Assert.NotEmpty(result.GeneratedSources);
        foreach (var stepName in TrackedSteps)
        {
            var steps = Assert.Contains(stepName, (IDictionary<string, ImmutableArray<IncrementalGeneratorRunStep>>)result.TrackedSteps);
            Assert.All(
                steps.SelectMany(step => step.Outputs),
                output => Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step {stepName} was {output.Reason} after an unrelated change."));
        }

        Assert.All(
            result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    /// <summary>Checks that no tracked model holds a symbol, syntax, location or compilation, which would defeat caching.</summary>
    public static void ModelsHoldOnlyValues(GeneratorDriverRunResult runResult)
    {
        var outputs = runResult.Results.Single().TrackedSteps
            .Where(pair => TrackedSteps.Contains(pair.Key))
            .SelectMany(pair => pair.Value)
            .SelectMany(step => step.Outputs)
            .Select(output => output.Value)
            .ToList();

        Assert.NotEmpty(outputs);
        foreach (var value in outputs)
        {
            HoldsOnlyValues(value, "model", new HashSet<object>(ReferenceEqualityComparer.Instance));
        }
    }

    private static void HoldsOnlyValues(object? value, string path, HashSet<object> visited)
    {
        if (value is null or string or Enum || value.GetType().IsPrimitive || !visited.Add(value))
        {
            return;
        }

        Assert.False(
            value is ISymbol or SyntaxNode or SyntaxTree or Location or Compilation or SemanticModel,
            $"{path} holds a {value.GetType().Name}, which keeps the compilation alive and defeats caching.");
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                HoldsOnlyValues(item, $"{path}[{i++}]", visited);
            }

            return;
        }

        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                HoldsOnlyValues(field.GetValue(value), $"{path}.{field.Name}", visited);
            }
        }
    }
}
