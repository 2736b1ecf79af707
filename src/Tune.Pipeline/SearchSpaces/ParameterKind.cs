namespace Tune.Pipeline.SearchSpaces;

/// <summary>
/// Represents the distribution a parameter is sampled from; one member per distribution attribute.
/// </summary>
public enum ParameterKind
{
    /// <summary>Uniform on [min, max].</summary>
    Uniform,

    /// <summary>Log-uniform on [min, max], both positive.</summary>
    LogUniform,

    /// <summary>Normal with mean mu and standard deviation sigma (unbounded).</summary>
    Normal,

    /// <summary>Log-normal with median mu and log-space standard deviation sigma (unbounded above).</summary>
    LogNormal,

    /// <summary>Uniform on the grid min, min + q, ..., max.</summary>
    QUniform,

    /// <summary>Log-uniform on [min, max], rounded to the grid min, min + q, ..., max.</summary>
    QLogUniform,

    /// <summary>Normal, rounded to a multiple of q.</summary>
    QNormal,

    /// <summary>Log-normal, rounded to a multiple of q.</summary>
    QLogNormal,

    /// <summary>An integer in [min, max], optionally on a log scale.</summary>
    IntRange,

    /// <summary>One of a list of values.</summary>
    Choice,
}
