namespace Tune.Pipeline.Reporting;

/// <summary>
/// Gets or sets what <see cref="HtmlReport"/> writes beside the trials.
/// </summary>
public sealed class HtmlReportOptions
{
    /// <summary>Gets or sets the experiment's name, the page's title.</summary>
    /// <value>Defaults to the empty string.</value>
    public string Experiment { get; set; } = string.Empty;

    /// <summary>Gets or sets the objective metric's name.</summary>
    /// <value>Defaults to <c>objective</c>.</value>
    public string ObjectiveMetric { get; set; } = "objective";

    /// <summary>Gets or sets whether the objective was maximized or minimized; it orders the table and draws the best-so-far line.</summary>
    /// <value>Defaults to <see cref="Goal.Minimize"/>.</value>
    public Goal Goal { get; set; } = Goal.Minimize;
}
