namespace Tune.Pipeline.Reporting;

/// <summary>
/// Gets or sets what <see cref="SweepProgress"/> shows and how.
/// </summary>
public sealed class SweepProgressOptions
{
    /// <summary>Gets or sets the experiment's name, shown in the heading.</summary>
    /// <value>Defaults to the empty string.</value>
    public string Experiment { get; set; } = string.Empty;

    /// <summary>Gets or sets the objective metric's name, such as <c>auc</c>.</summary>
    /// <value>Defaults to <c>objective</c>.</value>
    public string ObjectiveMetric { get; set; } = "objective";

    /// <summary>Gets or sets whether the objective is maximized or minimized; it decides the best trial.</summary>
    /// <value>Defaults to <see cref="Goal.Minimize"/>, as <c>SweepOptions</c> does.</value>
    public Goal Goal { get; set; } = Goal.Minimize;

    /// <summary>Gets or sets the sweep's trial budget, for the count and the estimated time left.</summary>
    /// <value>Defaults to <see langword="null"/>: unknown, and no estimate is shown.</value>
    public int? MaxTrials { get; set; }

    /// <summary>Gets or sets how the progress is shown.</summary>
    /// <value>Defaults to <see cref="SweepProgressMode.Auto"/>.</value>
    public SweepProgressMode Mode { get; set; } = SweepProgressMode.Auto;

    /// <summary>Gets or sets how often the live view is redrawn.</summary>
    /// <value>Defaults to 250 milliseconds.</value>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
