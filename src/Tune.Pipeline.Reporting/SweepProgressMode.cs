namespace Tune.Pipeline.Reporting;

/// <summary>
/// Represents how <see cref="SweepProgress"/> shows a sweep.
/// </summary>
public enum SweepProgressMode
{
    /// <summary>Live on an interactive terminal that understands ANSI; plain when output is redirected or <c>CI</c> is set.</summary>
    Auto,

    /// <summary>A live view redrawn in place.</summary>
    Live,

    /// <summary>One line per trial event, for logs and CI.</summary>
    Plain,
}
