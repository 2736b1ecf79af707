namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Represents an MLflow run: a sweep (parent run) or a trial (child run).
/// </summary>
/// <param name="RunId">The run's id.</param>
/// <param name="ExperimentId">The experiment's id.</param>
/// <param name="RunName">The run's name, if any.</param>
/// <param name="Status">The run's status.</param>
/// <param name="StartTime">When the run started; the epoch when the server stored none.</param>
/// <param name="EndTime">When the run ended, if it has.</param>
/// <param name="ArtifactUri">The root of the run's artifacts, such as <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts</c>.</param>
public sealed record MLflowRun(
    string RunId,
    string ExperimentId,
    string? RunName,
    MLflowRunStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    string? ArtifactUri)
{
    /// <summary>Gets the run's tags (empty when the call answers run info only).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the run's params (empty when the call answers run info only).</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the latest value of each metric (empty when the call answers run info only).</summary>
    public IReadOnlyList<MLflowMetric> Metrics { get; init; } = [];

    /// <summary>Gets the parent run's id from the <c>mlflow.parentRunId</c> tag, if any.</summary>
    public string? ParentRunId => Tags.TryGetValue(MLflowClient.ParentRunIdTag, out var parent) ? parent : null;
}

/// <summary>
/// Represents a query for <see cref="MLflowClient.SearchRunsAsync"/>.
/// </summary>
public sealed class MLflowRunQuery
{
    /// <summary>Gets or sets the experiments searched.</summary>
    /// <value>Required; at least one id.</value>
    public IReadOnlyList<string> ExperimentIds { get; init; } = [];

    /// <summary>Gets or sets the filter, such as <c>tags.`tune.sweep` = 'abc' AND params.lr = '0.1'</c>.</summary>
    /// <value><see langword="null"/> (every run) by default.</value>
    /// <remarks>MLflow's grammar joins with <c>AND</c> only; params and tags compare as quoted strings.</remarks>
    public string? Filter { get; init; }

    /// <summary>Gets or sets the ordering, such as <c>attributes.start_time ASC</c>.</summary>
    /// <value>Empty by default: the server's order (newest first).</value>
    public IReadOnlyList<string> OrderBy { get; init; } = [];

    /// <summary>Gets or sets how many runs one page holds.</summary>
    /// <value>1000 by default; between 1 and 50000, the server's limit.</value>
    public int PageSize { get; init; } = 1000;
}

/// <summary>
/// Represents one page of <c>runs/search</c>.
/// </summary>
/// <param name="Runs">The runs on this page.</param>
/// <param name="NextPageToken">The token for the next page; <see langword="null"/> on the last page.</param>
public sealed record MLflowRunPage(IReadOnlyList<MLflowRun> Runs, string? NextPageToken);
