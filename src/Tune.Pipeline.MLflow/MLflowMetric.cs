namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Represents one value of a metric at one step.
/// </summary>
/// <param name="Key">The metric's key, such as <c>auc</c>.</param>
/// <param name="Value">The value; NaN and infinities travel as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.</param>
/// <param name="Timestamp">When the value was measured; sent as epoch milliseconds, so finer precision is lost.</param>
/// <param name="Step">The step (epoch, iteration, boosting round); 0 for a final value.</param>
public sealed record MLflowMetric(string Key, double Value, DateTimeOffset Timestamp, long Step = 0);

/// <summary>
/// Represents one param of a run: logged once, never changed.
/// </summary>
/// <param name="Key">The param's key.</param>
/// <param name="Value">The value, at most 6000 characters.</param>
public sealed record MLflowParam(string Key, string Value);

/// <summary>
/// Represents one tag of a run, an experiment or a registered model.
/// </summary>
/// <param name="Key">The tag's key, such as <c>mlflow.parentRunId</c>.</param>
/// <param name="Value">The value, at most 5000 characters.</param>
public sealed record MLflowTag(string Key, string Value);
