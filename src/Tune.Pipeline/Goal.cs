namespace Tune.Pipeline;

/// <summary>
/// Represents the direction in which an objective improves.
/// </summary>
public enum Goal
{
    /// <summary>Smaller values are better (a loss, an error rate).</summary>
    Minimize,

    /// <summary>Larger values are better (an accuracy, an AUC).</summary>
    Maximize,
}
