using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Tune.Pipeline.Generators.Model;

namespace Tune.Pipeline.Generators.Rules;

/// <summary>
/// Represents the result of reading one parameter property.
/// </summary>
/// <param name="Model">The parameter, or <see langword="null"/> when an error prevents generating it.</param>
/// <param name="Location">The attribute's location.</param>
internal sealed record ParameterRead(ParameterModel? Model, Location? Location)
{
    /// <summary>Gets the choices as comparable values: strings, booleans, longs (integers and enums) or doubles.</summary>
    public ImmutableArray<object> ChoiceValues { get; init; } = [];

    /// <summary>Gets the choices as the user wrote them, for messages.</summary>
    public ImmutableArray<string> ChoiceDisplays { get; init; } = [];
}
