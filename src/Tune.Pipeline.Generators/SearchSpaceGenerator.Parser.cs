using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Tune.Pipeline.Generators.Model;
using Tune.Pipeline.Generators.Rules;

namespace Tune.Pipeline.Generators;

/// <content>Turns an [Experiment] class into a model, at once, so that no symbol outlives the transform.</content>
public sealed partial class SearchSpaceGenerator
{
    private static class Parser
    {
        public static ExperimentModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol experiment)
            {
                return null;
            }

            // Problems are the analyzers' to report; the generator only needs to know whether it can write code.
            var problems = new List<Problem>();
            return ExperimentReader.Read(experiment, KnownSymbols.From(context.SemanticModel.Compilation), problems, cancellationToken);
        }
    }
}
