namespace Tune.Pipeline.Tracking.MLflow.Wire;

// The shapes of MLflow's REST API (https://mlflow.org/docs/latest/rest-api.html), named in snake_case by
// MLflowJsonContext. Ids are strings, times int64 epoch milliseconds.

internal sealed record WireKeyValue(string Key, string Value);

internal sealed record WireMetric(string Key, double Value, long Timestamp, long Step);

internal sealed record CreateExperimentRequest(string Name, string? ArtifactLocation, IReadOnlyList<WireKeyValue>? Tags);

internal sealed record CreateExperimentResponse(string? ExperimentId);

internal sealed record WireExperiment(string? ExperimentId, string? Name, string? ArtifactLocation, string? LifecycleStage);

internal sealed record GetExperimentResponse(WireExperiment? Experiment);

internal sealed record CreateRunRequest(string ExperimentId, long StartTime, string? RunName, IReadOnlyList<WireKeyValue> Tags);

internal sealed record WireRunInfo(
    string? RunId,
    string? RunUuid,
    string? ExperimentId,
    string? RunName,
    string? Status,
    long? StartTime,
    long? EndTime,
    string? ArtifactUri,
    string? LifecycleStage);

internal sealed record WireRunData(IReadOnlyList<WireMetric>? Metrics, IReadOnlyList<WireKeyValue>? Params, IReadOnlyList<WireKeyValue>? Tags);

internal sealed record WireRun(WireRunInfo? Info, WireRunData? Data);

internal sealed record RunResponse(WireRun? Run);

internal sealed record LogBatchRequest(string RunId, IReadOnlyList<WireMetric> Metrics, IReadOnlyList<WireKeyValue> Params, IReadOnlyList<WireKeyValue> Tags);

internal sealed record UpdateRunRequest(string RunId, string Status, long EndTime);

internal sealed record UpdateRunResponse(WireRunInfo? RunInfo);

internal sealed record SearchRunsRequest(IReadOnlyList<string> ExperimentIds, string? Filter, IReadOnlyList<string>? OrderBy, int MaxResults, string? PageToken);

internal sealed record SearchRunsResponse(IReadOnlyList<WireRun>? Runs, string? NextPageToken);

internal sealed record MetricHistoryResponse(IReadOnlyList<WireMetric>? Metrics, string? NextPageToken);

internal sealed record CreateRegisteredModelRequest(string Name, string? Description, IReadOnlyList<WireKeyValue>? Tags);

internal sealed record WireRegisteredModel(string? Name, string? Description);

internal sealed record RegisteredModelResponse(WireRegisteredModel? RegisteredModel);

internal sealed record CreateModelVersionRequest(string Name, string Source, string? RunId, string? Description);

internal sealed record WireModelVersion(string? Name, string? Version, string? Source, string? RunId, string? Status);

internal sealed record ModelVersionResponse(WireModelVersion? ModelVersion);

internal sealed record ErrorResponse(string? ErrorCode, string? Message);

internal sealed record EmptyResponse;
