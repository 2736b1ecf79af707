using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Tune.Pipeline.Generators.Rules;

namespace Tune.Pipeline.Generators.Analyzers;

/// <summary>
/// Reports mistakes in the shape of an [Experiment] class (TUNE01xx) at the class: not partial, generic, not exactly
/// one objective, no or several parameters types, or a parameters type the generated search space cannot use.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ExperimentAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        DiagnosticDescriptors.ExperimentNotPartial,
        DiagnosticDescriptors.ParametersTypeNotPartial,
        DiagnosticDescriptors.ObjectiveCount,
        DiagnosticDescriptors.NotAnExperiment,
        DiagnosticDescriptors.GenericType,
        DiagnosticDescriptors.NoParameters,
        DiagnosticDescriptors.ParametersTypeInaccessible,
        DiagnosticDescriptors.NoParameterlessConstructor,
        DiagnosticDescriptors.AmbiguousParametersType,
        DiagnosticDescriptors.RequiredMember,
    ];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.From(start.Compilation);
            if (!known.IsComplete)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, known), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, KnownSymbols known)
    {
        if (context.Symbol is not INamedTypeSymbol type
            || !type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.ExperimentAttribute)))
        {
            return;
        }

        var problems = new List<Problem>();
        _ = ExperimentReader.Read(type, known, problems, context.CancellationToken);
        foreach (var problem in problems)
        {
            context.ReportDiagnostic(problem.ToDiagnostic());
        }
    }
}
