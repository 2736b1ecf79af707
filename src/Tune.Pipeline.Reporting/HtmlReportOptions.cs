namespace Tune.Pipeline.Reporting;

/// <summary>
/// Gets or sets what <see cref="HtmlReport"/> writes beside the trials of a finished sweep.
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

    /// <summary>Gets the sweep's settings to list (seed, sampler, early stopping, budget), in order.</summary>
    /// <value>Empty by default.</value>
    public IList<KeyValuePair<string, string>> Settings { get; } = [];

    /// <summary>Gets the environment to list (<see cref="SweepReport.CurrentEnvironment"/>, a commit), in order.</summary>
    /// <value>Empty by default, so that a report can be compared byte for byte.</value>
    public IList<KeyValuePair<string, string>> Environment { get; } = [];
}
