namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Represents metrics, params and tags to log to one run, of any size: <see cref="MLflowClient.LogBatchAsync"/>
/// splits it into requests within the server's limits.
/// </summary>
public sealed class MLflowBatch
{
    /// <summary>Gets or sets the metric values, in the order they are to be sent.</summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<MLflowMetric> Metrics { get; init; } = [];

    /// <summary>Gets or sets the params.</summary>
    /// <value>Empty by default.</value>
    /// <remarks>A key given twice with the same value is sent once; with two different values the batch is refused.</remarks>
    public IReadOnlyList<MLflowParam> Params { get; init; } = [];

    /// <summary>Gets or sets the tags.</summary>
    /// <value>Empty by default.</value>
    /// <remarks>A key given twice is sent once, with its last value, as setting a tag twice would leave it.</remarks>
    public IReadOnlyList<MLflowTag> Tags { get; init; } = [];
}

/// <summary>
/// Represents what <see cref="MLflowClient.LogBatchAsync"/> did.
/// </summary>
/// <param name="RequestCount">How many <c>runs/log-batch</c> requests were sent.</param>
/// <param name="Warnings">Values truncated under <see cref="OversizeValuePolicy.Truncate"/>, one sentence each.</param>
public sealed record MLflowBatchResult(int RequestCount, IReadOnlyList<string> Warnings);
