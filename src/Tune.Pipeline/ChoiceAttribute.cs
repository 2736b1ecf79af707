namespace Tune.Pipeline;

/// <summary>
/// Samples one of the given values: strings, numbers, booleans or enum members, all of the property's type. Choices
/// are logged and returned as their values, never as indexes.
/// </summary>
/// <param name="values">The values to choose from; at least one, no duplicates.</param>
public sealed class ChoiceAttribute(params object[] values) : ParameterAttribute
{
    /// <summary>Gets the values to choose from.</summary>
    public IReadOnlyList<object> Values { get; } = values;
}
