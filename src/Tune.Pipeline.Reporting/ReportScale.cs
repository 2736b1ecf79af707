namespace Tune.Pipeline.Reporting;

/// <summary>Represents how the report's charts lay out a parameter's values along an axis.</summary>
public enum ReportScale
{
    /// <summary>Evenly: uniform, normal and integer parameters.</summary>
    Linear,

    /// <summary>By powers of ten: log-uniform, log-normal and log-scaled integer parameters.</summary>
    Log,

    /// <summary>One evenly spaced place per value: choices.</summary>
    Category,
}
