using Tune.Pipeline.Generators.Helpers;

namespace Tune.Pipeline.Generators.Model;

/// <summary>
/// Represents one parameter of a generated search space: a property and its distribution.
/// </summary>
/// <remarks>
/// Must stay equatable (strings, numbers, enums and <see cref="EquatableArray{T}"/> only) so that the incremental
/// pipeline can cache it; never hold a symbol, syntax node, location or compilation.
/// </remarks>
/// <param name="Name">The property's name, which is the parameter's name.</param>
/// <param name="Kind">The distribution.</param>
/// <param name="ValueType">The property's type.</param>
/// <param name="TypeName">The property's fully qualified type name, as written in generated code.</param>
/// <param name="Min">The smallest value of a bounded distribution (or <see cref="double.NaN"/>).</param>
/// <param name="Max">The largest value of a bounded distribution (or <see cref="double.NaN"/>).</param>
/// <param name="Mu">The mean or median of a normal distribution (or <see cref="double.NaN"/>).</param>
/// <param name="Sigma">The standard deviation of a normal distribution (or <see cref="double.NaN"/>).</param>
/// <param name="Q">The quantum of a quantised distribution (or <see cref="double.NaN"/>).</param>
/// <param name="IntMin">The smallest value of an integer range.</param>
/// <param name="IntMax">The largest value of an integer range.</param>
/// <param name="Log">Whether an integer range is log-scaled.</param>
/// <param name="Choices">The choices as C# literals of the property's type, in declaration order.</param>
internal sealed record ParameterModel(
    string Name,
    DistributionKind Kind,
    PropertyValueType ValueType,
    string TypeName,
    double Min,
    double Max,
    double Mu,
    double Sigma,
    double Q,
    long IntMin,
    long IntMax,
    bool Log,
    EquatableArray<string> Choices)
{
    /// <summary>Gets a value indicating whether values are integers held as <see cref="long"/>.</summary>
    public bool IsIntegral => ValueType is PropertyValueType.Int32 or PropertyValueType.Int64;
}
