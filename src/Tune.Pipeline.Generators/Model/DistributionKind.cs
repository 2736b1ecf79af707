namespace Tune.Pipeline.Generators.Model;

/// <summary>Represents the distribution attribute on a parameter property; mirrors Core's <c>ParameterKind</c>.</summary>
internal enum DistributionKind
{
    /// <summary>[Uniform].</summary>
    Uniform,

    /// <summary>[LogUniform].</summary>
    LogUniform,

    /// <summary>[Normal].</summary>
    Normal,

    /// <summary>[LogNormal].</summary>
    LogNormal,

    /// <summary>[QUniform].</summary>
    QUniform,

    /// <summary>[QLogUniform].</summary>
    QLogUniform,

    /// <summary>[QNormal].</summary>
    QNormal,

    /// <summary>[QLogNormal].</summary>
    QLogNormal,

    /// <summary>[IntRange].</summary>
    IntRange,

    /// <summary>[Choice].</summary>
    Choice,
}
