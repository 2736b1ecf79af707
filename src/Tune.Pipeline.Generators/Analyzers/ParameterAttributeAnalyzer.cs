using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Tune.Pipeline.Generators.Rules;

namespace Tune.Pipeline.Generators.Analyzers;

/// <summary>
/// Reports mistakes in distribution attributes (TUNE02xx) at the attribute: bounds, log scale, quanta, choices, the
/// property's type and accessors, and a default (the property's constant initializer) the space does not contain.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ParameterAttributeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        DiagnosticDescriptors.MinNotBelowMax,
        DiagnosticDescriptors.LogScaleNonPositive,
        DiagnosticDescriptors.QuantumNotPositive,
        DiagnosticDescriptors.QuantumDoesNotDivideRange,
        DiagnosticDescriptors.NoChoices,
        DiagnosticDescriptors.DuplicateChoice,
        DiagnosticDescriptors.MixedChoiceTypes,
        DiagnosticDescriptors.ChoiceTypeMismatch,
        DiagnosticDescriptors.MultipleDistributions,
        DiagnosticDescriptors.WrongPropertyType,
        DiagnosticDescriptors.DefaultOutOfRange,
        DiagnosticDescriptors.DefaultNotAChoice,
        DiagnosticDescriptors.DefaultOffGrid,
        DiagnosticDescriptors.PropertyNotSettable,
        DiagnosticDescriptors.SigmaNotPositive,
        DiagnosticDescriptors.LogNormalMedianNotPositive,
        DiagnosticDescriptors.NonFiniteNumber,
        DiagnosticDescriptors.IntegerArgumentNotWhole,
        DiagnosticDescriptors.BoundOutsideInt32,
    ];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.From(start.Compilation);
            if (known.ParameterAttribute is null)
            {
                return;
            }

            start.RegisterSyntaxNodeAction(nodeContext => Analyze(nodeContext, known), SyntaxKind.PropertyDeclaration);
        });
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, KnownSymbols known)
    {
        // Cheap syntax check first: most properties carry no attribute at all.
        if (context.Node is not PropertyDeclarationSyntax { AttributeLists.Count: > 0 } declaration
            || context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } property)
        {
            return;
        }

        var problems = new List<Problem>();
        var read = ParameterReader.Read(property, known, problems, context.CancellationToken);
        if (read is not null && declaration.Initializer?.Value is { } initializer)
        {
            var constant = context.SemanticModel.GetConstantValue(initializer, context.CancellationToken);
            if (constant.HasValue)
            {
                DefaultChecker.Check(read, constant.Value, initializer.ToString(), problems);
            }
        }

        foreach (var problem in problems)
        {
            context.ReportDiagnostic(problem.ToDiagnostic());
        }
    }
}
