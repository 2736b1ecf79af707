using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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

        context.RegisterSourceOutput(experiments, static (spc, model) => Emitter.Emit(spc, model));
    }
}
