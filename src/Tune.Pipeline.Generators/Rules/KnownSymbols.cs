using Microsoft.CodeAnalysis;

namespace Tune.Pipeline.Generators.Rules;

/// <summary>
/// Represents Core's types as found in one compilation; <see langword="null"/> members mean Core is not referenced.
/// </summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation)
    {
        ExperimentAttribute = compilation.GetTypeByMetadataName(KnownNames.ExperimentAttribute);
        ObjectiveAttribute = compilation.GetTypeByMetadataName(KnownNames.ObjectiveAttribute);
        ParameterAttribute = compilation.GetTypeByMetadataName(KnownNames.ParameterAttribute);
        ExperimentInterface = compilation.GetTypeByMetadataName(KnownNames.ExperimentInterface);
        Goal = compilation.GetTypeByMetadataName(KnownNames.Goal);
    }

    /// <summary>Gets [Experiment].</summary>
    public INamedTypeSymbol? ExperimentAttribute { get; }

    /// <summary>Gets [Objective].</summary>
    public INamedTypeSymbol? ObjectiveAttribute { get; }

    /// <summary>Gets the base class of the distribution attributes.</summary>
    public INamedTypeSymbol? ParameterAttribute { get; }

    /// <summary>Gets <c>IExperiment&lt;TParameters&gt;</c>.</summary>
    public INamedTypeSymbol? ExperimentInterface { get; }

    /// <summary>Gets the goal enum.</summary>
    public INamedTypeSymbol? Goal { get; }

    /// <summary>Gets a value indicating whether Core's types were all found.</summary>
    public bool IsComplete =>
        ExperimentAttribute is not null && ObjectiveAttribute is not null && ParameterAttribute is not null && ExperimentInterface is not null && Goal is not null;

    /// <summary>Finds Core's types in a compilation.</summary>
    /// <param name="compilation">The compilation.</param>
    /// <returns>The symbols.</returns>
    public static KnownSymbols From(Compilation compilation) => new(compilation);

    /// <summary>Tells whether an attribute class is a distribution attribute.</summary>
    /// <param name="attributeClass">The attribute's class.</param>
    /// <returns><see langword="true"/> when it derives from ParameterAttribute.</returns>
    public bool IsParameterAttribute(INamedTypeSymbol? attributeClass)
    {
        if (ParameterAttribute is null)
        {
            return false;
        }

        for (var type = attributeClass?.BaseType; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, ParameterAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
