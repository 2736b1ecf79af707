using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Tune.Pipeline.Generators.Helpers;
using Tune.Pipeline.Generators.Model;

namespace Tune.Pipeline.Generators;

/// <summary>
/// Generates, for each [Experiment] class, a typed search space (<c>{Experiment}SearchSpace</c>) from the
/// distribution attributes on its parameters type, and a <c>ToConfiguration()</c> method on that type.
/// </summary>
/// <remarks>
/// Declarations the generator cannot use are skipped quietly; the analyzers in this assembly report why.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class SearchSpaceGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ExperimentModel> experiments = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ExperimentAttribute,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, ct) => Parser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Experiments);

        // Two experiments may share a parameters type; each would add the same ToConfiguration() to it, which does not
        // compile, so a shared type gets none and its users call {Experiment}SearchSpace.Instance.ToConfiguration.
        IncrementalValueProvider<EquatableArray<string>> sharedParametersTypes = experiments
            .Select(static (model, _) => model.ParametersTypeName)
            .Collect()
            .Select(static (names, _) => new EquatableArray<string>(
                names.GroupBy(name => name, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key).OrderBy(name => name, StringComparer.Ordinal)))
            .WithTrackingName(TrackingNames.SharedParametersTypes);

        context.RegisterSourceOutput(
            experiments.Combine(sharedParametersTypes),
            static (spc, pair) => Emitter.Emit(spc, pair.Left, addToConfiguration: !pair.Right.Contains(pair.Left.ParametersTypeName)));
    }
}
