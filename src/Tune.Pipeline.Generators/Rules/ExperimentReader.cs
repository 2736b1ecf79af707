using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Tune.Pipeline.Generators.Helpers;
using Tune.Pipeline.Generators.Model;

namespace Tune.Pipeline.Generators.Rules;

/// <summary>
/// Reads an [Experiment] class: its shape (partial, non-generic, one objective, one parameters type) and its
/// parameters, into the model the emitter writes.
/// </summary>
/// <remarks>
/// Shared by the generator and the analyzer. Class-shape problems go to the caller; problems with single parameters
/// are the parameter analyzer's to report, and here only stop generation. Never throws on incomplete code.
/// </remarks>
internal static class ExperimentReader
{
    /// <summary>Reads an experiment class.</summary>
    /// <param name="experiment">The class carrying [Experiment].</param>
    /// <param name="known">Core's types.</param>
    /// <param name="problems">Receives every class-shape mistake.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The model; a stub (<see cref="ExperimentModel.IsStub"/>) when an error stops generation but the space's class can
    /// still be declared; <see langword="null"/> when not even that can be written.
    /// </returns>
    public static ExperimentModel? Read(INamedTypeSymbol experiment, KnownSymbols known, List<Problem> problems, CancellationToken cancellationToken)
    {
        if (!known.IsComplete)
        {
            return null;
        }

        var start = problems.Count;
        var location = experiment.Locations.FirstOrDefault(l => l.IsInSource) ?? experiment.Locations.FirstOrDefault();
        var className = experiment.Name;
        if (!IsPartial(experiment, cancellationToken))
        {
            problems.Add(new Problem(DiagnosticDescriptors.ExperimentNotPartial, location, className));
        }

        var genericOwner = Chain(experiment).FirstOrDefault(t => t.TypeParameters.Length > 0);
        if (genericOwner is not null)
        {
            problems.Add(new Problem(DiagnosticDescriptors.GenericType, location, genericOwner.Name));
        }

        var objectives = experiment.GetAttributes()
            .Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.ObjectiveAttribute))
            .ToList();
        if (objectives.Count != 1)
        {
            var fix = objectives.Count == 0
                ? "Add one, such as [Objective(\"auc\", Goal.Maximize)]"
                : "Keep the primary objective and report the other metrics as steps";
            problems.Add(new Problem(DiagnosticDescriptors.ObjectiveCount, location, className, objectives.Count, fix + "."));
        }

        var parameterTypes = experiment.AllInterfaces
            .Where(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, known.ExperimentInterface) && i.TypeArguments.Length == 1)
            .Select(i => i.TypeArguments[0])
            .Distinct<ITypeSymbol>(SymbolEqualityComparer.Default)
            .ToList();
        if (parameterTypes.Count == 0)
        {
            problems.Add(new Problem(DiagnosticDescriptors.NotAnExperiment, location, className));
            return null;
        }

        if (parameterTypes.Count > 1)
        {
            problems.Add(new Problem(DiagnosticDescriptors.AmbiguousParametersType, location, className, parameterTypes[0].Name, parameterTypes[1].Name));
            return null;
        }

        if (parameterTypes[0] is not INamedTypeSymbol { TypeKind: TypeKind.Class } parametersType)
        {
            // An error type or a type parameter: the compiler or TUNE0105 already says what is wrong.
            return null;
        }

        var publicSpace = CheckParametersType(experiment, parametersType, location, problems, cancellationToken);
        var parameters = ReadParameters(parametersType, known, location, problems, out var parametersValid, cancellationToken);
        var stub = !parametersValid || problems.Skip(start).Any(p => p.IsError);
        if (stub && !CanStub(experiment, parametersType, problems.Skip(start)))
        {
            return null;
        }

        var objective = objectives.FirstOrDefault();
        var metric = objective is { ConstructorArguments.Length: > 0 } ? objective.ConstructorArguments[0].Value as string ?? string.Empty : string.Empty;
        var goalValue = objective is { ConstructorArguments.Length: > 1 } ? objective.ConstructorArguments[1].Value : null;
        var goalMember = known.Goal is null ? null : ParameterReader.EnumMember(known.Goal, goalValue);
        var goal = goalMember is null
            ? "(global::" + KnownNames.Goal + ")(" + (goalValue ?? 0) + ")"
            : "global::" + KnownNames.Goal + "." + goalMember.Name;

        var experimentAttribute = experiment.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.ExperimentAttribute));
        var experimentName = experimentAttribute is { ConstructorArguments.Length: 1 } && experimentAttribute.ConstructorArguments[0].Value is string name
            ? name
            : Literals.KebabCase(className);

        var ns = NamespaceOf(experiment);
        var containers = string.Concat(Chain(experiment).Skip(1).Reverse().Select(t => t.Name + "."));
        return new ExperimentModel(
            ns,
            (ns.Length > 0 ? ns + "." : string.Empty) + containers + className + ".SearchSpace.g.cs",
            className + "SearchSpace",
            publicSpace ? "public" : "internal",
            experimentName,
            metric,
            goal,
            parametersType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            NamespaceOf(parametersType),
            // A stub reopens the parameters type only when every type around it is partial, as the full space requires.
            stub && problems.Skip(start).Any(p => p.Descriptor == DiagnosticDescriptors.ParametersTypeNotPartial)
                ? default
                : new EquatableArray<TypeDeclarationModel>(Chain(parametersType).Reverse().Select(t => new TypeDeclarationModel(Keyword(t), Literals.Identifier(t.Name)))),
            stub ? default : new EquatableArray<ParameterModel>(parameters),
            IsStub: stub);
    }

    /// <summary>
    /// Says whether a stub of the space can be written for an experiment whose space cannot be: one that names the
    /// parameters type without a compiler error of its own (no type parameters, an accessible type), so that the TUNE
    /// error is the only one and the user's calls of the space do not add a cascade of CS0103.
    /// </summary>
    private static bool CanStub(INamedTypeSymbol experiment, INamedTypeSymbol parametersType, IEnumerable<Problem> problems) =>
        !Chain(experiment).Concat(Chain(parametersType)).Any(t => t.TypeParameters.Length > 0)
        && !problems.Any(p => p.Descriptor == DiagnosticDescriptors.ParametersTypeInaccessible || p.Descriptor == DiagnosticDescriptors.GenericType);

    private static bool CheckParametersType(INamedTypeSymbol experiment, INamedTypeSymbol parametersType, Location? location, List<Problem> problems, CancellationToken cancellationToken)
    {
        var isPublic = true;
        foreach (var type in Chain(parametersType))
        {
            // The experiment's own shape is reported once, above, even when it also contains the parameters type.
            var isExperiment = SymbolEqualityComparer.Default.Equals(type, experiment);
            if (type.TypeParameters.Length > 0 && !isExperiment)
            {
                problems.Add(new Problem(DiagnosticDescriptors.GenericType, location, type.Name));
            }

            if (!isExperiment && !IsPartial(type, cancellationToken))
            {
                problems.Add(new Problem(DiagnosticDescriptors.ParametersTypeNotPartial, location, type.Name, parametersType.Name));
            }

            switch (type.DeclaredAccessibility)
            {
                case Accessibility.Public:
                    break;
                case Accessibility.Internal or Accessibility.ProtectedOrInternal:
                    isPublic = false;
                    break;
                default:
                    problems.Add(new Problem(
                        DiagnosticDescriptors.ParametersTypeInaccessible, location, type.Name, Describe(type.DeclaredAccessibility), parametersType.Name));
                    isPublic = false;
                    break;
            }
        }

        var constructible = !parametersType.IsAbstract && parametersType.InstanceConstructors.Any(c =>
            c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal);
        if (!constructible)
        {
            problems.Add(new Problem(DiagnosticDescriptors.NoParameterlessConstructor, location, parametersType.Name));
        }

        for (var type = parametersType; type is not null; type = type.BaseType)
        {
            var required = type.GetMembers().FirstOrDefault(m => m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true });
            if (required is not null)
            {
                problems.Add(new Problem(DiagnosticDescriptors.RequiredMember, location, parametersType.Name, required.Name));
                break;
            }
        }

        return isPublic;
    }

    private static List<ParameterModel> ReadParameters(
        INamedTypeSymbol parametersType, KnownSymbols known, Location? location, List<Problem> problems, out bool valid, CancellationToken cancellationToken)
    {
        var parameterProblems = new List<Problem>();
        var models = new List<ParameterModel>();
        var declared = 0;
        valid = true;
        foreach (var property in parametersType.GetMembers().OfType<IPropertySymbol>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ParameterReader.Read(property, known, parameterProblems, cancellationToken) is not { } read)
            {
                continue;
            }

            declared++;
            if (read.Model is { } model)
            {
                models.Add(model);
            }
            else
            {
                valid = false;
            }
        }

        if (declared == 0)
        {
            problems.Add(new Problem(DiagnosticDescriptors.NoParameters, location, parametersType.Name));
            valid = false;
        }

        valid &= !parameterProblems.Any(p => p.IsError);
        return models;
    }

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
            && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));

    /// <summary>Lists a type and its containing types, innermost first.</summary>
    private static IEnumerable<INamedTypeSymbol> Chain(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            yield return current;
        }
    }

    private static string NamespaceOf(INamedTypeSymbol type) =>
        type.ContainingNamespace is null || type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    private static string Describe(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "not accessible",
    };
}
