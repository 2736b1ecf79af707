namespace Tune.Pipeline.SearchSpaces;

/// <summary>
/// Represents how a parameter's value is held in a <see cref="Configuration"/>.
/// </summary>
public enum ParameterValueKind
{
    /// <summary>A <see cref="double"/>.</summary>
    Real,

    /// <summary>A <see cref="long"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Names the kind of value, as the documentation and space files do.")]
    Integer,

    /// <summary>One of the parameter's <see cref="Parameter.Choices"/>, as its value.</summary>
    Categorical,
}
