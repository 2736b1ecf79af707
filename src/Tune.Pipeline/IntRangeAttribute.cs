namespace Tune.Pipeline;

/// <summary>
/// Samples an integer uniformly from [min, max], both inclusive, or log-uniformly when <see cref="Log"/> is set.
/// </summary>
/// <param name="min">The smallest value.</param>
/// <param name="max">The largest value.</param>
public sealed class IntRangeAttribute(long min, long max) : ParameterAttribute
{
    /// <summary>Gets the smallest value.</summary>
    public long Min { get; } = min;

    /// <summary>Gets the largest value.</summary>
    public long Max { get; } = max;

    /// <summary>Gets or sets a value indicating whether values are sampled on a log scale.</summary>
    /// <value><see langword="false"/> by default. When set, <see cref="Min"/> must be positive.</value>
    public bool Log { get; set; }
}
